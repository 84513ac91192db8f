#include "domain/work_calendar.h"

#include <algorithm>

namespace duban {

void WorkCalendar::SetYear(const CalendarYear& year) {
  auto in_year = [&](absl::CivilDay day) { return day.year() == year.year; };
  std::erase_if(holidays_, in_year);
  std::erase_if(makeup_workdays_, in_year);
  holidays_.insert(year.holidays.begin(), year.holidays.end());
  makeup_workdays_.insert(year.makeup_workdays.begin(), year.makeup_workdays.end());
  years_.insert(year.year);
}

bool WorkCalendar::HasYear(int year) const { return years_.contains(year); }

bool WorkCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (makeup_workdays_.contains(day)) return true;
  if (holidays_.contains(day)) return false;
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday;
}

WorkingDayCount WorkCalendar::Count(absl::CivilDay day, int n) const {
  WorkingDayCount count{day, false};
  const int step = n >= 0 ? 1 : -1;
  for (int remaining = std::abs(n); remaining > 0;) {
    count.day += step;
    if (!HasYear(static_cast<int>(count.day.year()))) count.weekends_only = true;
    if (IsWorkingDay(count.day)) --remaining;
  }
  return count;
}

absl::CivilDay WorkCalendar::NthWorkingDayAfter(absl::CivilDay day, int n) const {
  return Count(day, std::max(n, 1)).day;
}

absl::Time WorkCalendar::DeadlineAfter(absl::Time from, int n) const {
  return EndOf(NthWorkingDayAfter(absl::ToCivilDay(from, zone_), n));
}

absl::CivilDay WorkCalendar::DayOfDeadline(absl::Time deadline) const {
  return absl::ToCivilDay(deadline - absl::Nanoseconds(1), zone_);
}

double WorkCalendar::WorkingDaysBetween(absl::Time start, absl::Time end) const {
  if (end <= start) return 0;
  double days = 0;
  for (absl::CivilDay day = absl::ToCivilDay(start, zone_); absl::FromCivil(day, zone_) < end;
       ++day) {
    if (!IsWorkingDay(day)) continue;
    const absl::Time from = std::max(start, absl::FromCivil(day, zone_));
    const absl::Time to = std::min(end, absl::FromCivil(day + 1, zone_));
    days += absl::FDivDuration(to - from, absl::Hours(24));
  }
  return days;
}

}  // namespace duban
