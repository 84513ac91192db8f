#include "server/domain/work_calendar.h"

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

absl::CivilDay WorkCalendar::NthWorkingDayAfter(absl::CivilDay day, int n) const {
  int remaining = std::max(n, 1);
  while (remaining > 0) {
    ++day;
    if (IsWorkingDay(day)) --remaining;
  }
  return day;
}

absl::Time WorkCalendar::DeadlineAfter(absl::Time from, int n) const {
  const absl::CivilDay start = absl::ToCivilDay(from, zone_);
  const absl::CivilDay last = NthWorkingDayAfter(start, n);
  return absl::FromCivil(last + 1, zone_);
}

}  // namespace duban
