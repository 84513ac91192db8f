// The county's calendar as the console needs it: its time zone for every
// time shown, and its working days for "还剩 N 个工作日" / "已超期 N 个工作日".
// Loaded once per login from CalendarService.GetCalendar. A year the store
// has no data for counts weekends only, as the server does.
import { reactive } from "vue";
import type { Timestamp } from "@bufbuild/protobuf";
import { api } from "./client";

export const county = reactive({
  timeZone: "Asia/Shanghai",
  holidays: new Set<string>(),
  makeupWorkdays: new Set<string>(),
});

export async function loadCounty() {
  const calendar = await api.calendar.getCalendar({});
  county.timeZone = calendar.timeZone || "Asia/Shanghai";
  county.holidays = new Set(calendar.years.flatMap((year) => year.holidays));
  county.makeupWorkdays = new Set(calendar.years.flatMap((year) => year.makeupWorkdays));
}

// `YYYY-MM-DD` of a moment in the county's zone.
export function localDate(moment: Date): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: county.timeZone, year: "numeric", month: "2-digit", day: "2-digit",
  }).format(moment);
}

function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function isWorkingDay(date: string): boolean {
  if (county.makeupWorkdays.has(date)) return true;
  if (county.holidays.has(date)) return false;
  const [y, m, d] = date.split("-").map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

// Working days in (from, to], both `YYYY-MM-DD`; at most ~3 years counted.
function workingDaysAfter(from: string, to: string): number {
  let count = 0;
  for (let date = shiftDate(from, 1), n = 0; date <= to && n < 1100; date = shiftDate(date, 1), n++) {
    if (isWorkingDay(date)) count++;
  }
  return count;
}

function toDate(time: Timestamp | undefined): Date | null {
  return time ? time.toDate() : null;
}

// "还剩 N 个工作日", "今日到期" or "已超期 N 个工作日" for a deadline. A
// deadline is 24:00 of its day, so its day is that of the moment before.
export function deadlineText(due: Timestamp | undefined, now = new Date()): string {
  const deadline = toDate(due);
  if (!deadline) return "";
  const dueDay = localDate(new Date(deadline.getTime() - 1));
  const today = localDate(now);
  if (deadline.getTime() > now.getTime()) {
    if (dueDay === today) return "今日到期";
    return `还剩 ${workingDaysAfter(today, dueDay)} 个工作日`;
  }
  const late = workingDaysAfter(dueDay, today);
  return late ? `已超期 ${late} 个工作日` : "已超期（不足 1 个工作日）";
}

export function isOverdue(due: Timestamp | undefined, now = new Date()): boolean {
  const deadline = toDate(due);
  return deadline !== null && deadline.getTime() <= now.getTime();
}

// A moment in the county's zone: 2026-12-07 09:30.
export function formatTime(time: Timestamp | undefined): string {
  const moment = toDate(time);
  if (!moment) return "";
  const parts = new Intl.DateTimeFormat("zh-CN", {
    timeZone: county.timeZone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(moment);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

// How far the county's zone is ahead of UTC at `at`, in milliseconds.
function zoneOffsetMs(at: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: county.timeZone, hourCycle: "h23", year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

// 24:00 in the county's zone of a `YYYY-MM-DD` day: how the server reads a
// deadline given as a date.
export function endOfDay(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d + 1);
  return new Date(guess - zoneOffsetMs(new Date(guess)));
}

// A deadline the way a notice writes it: 24:00 of its day rather than
// 00:00 of the next (2026-12-28 24:00).
export function formatDeadline(time: Timestamp | undefined): string {
  const moment = toDate(time);
  if (!moment) return "";
  const shown = formatTime(time);
  if (!shown.endsWith(" 00:00")) return shown;
  return `${localDate(new Date(moment.getTime() - 1))} 24:00`;
}
