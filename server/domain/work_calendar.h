// WorkCalendar: which days are working days (工作日), and deadlines counted
// in working days.
//
// A working day is Monday–Friday, minus public holidays, plus make-up
// workdays (调休: a weekend day that is officially a workday). Years without
// data count weekends only.
//
//   WorkCalendar calendar(zone);
//   calendar.SetYear({.year = 2024, .holidays = {...}, .makeup_workdays = {...}});
//   absl::Time due = calendar.DeadlineAfter(now, 3);  // 24:00 of the 3rd working day
//
// A WorkCalendar is immutable once built and shared; reads are thread-safe.
// To change it, build a new one and swap it in.
#ifndef DUBAN_SERVER_DOMAIN_WORK_CALENDAR_H_
#define DUBAN_SERVER_DOMAIN_WORK_CALENDAR_H_

#include <map>
#include <set>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace duban {

struct CalendarYear {
  int year = 0;
  std::vector<absl::CivilDay> holidays;
  std::vector<absl::CivilDay> makeup_workdays;
};

class WorkCalendar {
 public:
  explicit WorkCalendar(absl::TimeZone zone) : zone_(zone) {}

  // Replaces the data of `year.year`.
  void SetYear(const CalendarYear& year);
  bool HasYear(int year) const;

  bool IsWorkingDay(absl::CivilDay day) const;

  // The `n`th working day after `day` (n ≥ 1; `day` itself does not count).
  absl::CivilDay NthWorkingDayAfter(absl::CivilDay day, int n) const;

  // The end (24:00 local) of the `n`th working day after the local date of
  // `from`. n ≥ 1.
  absl::Time DeadlineAfter(absl::Time from, int n) const;

  absl::TimeZone zone() const { return zone_; }

 private:
  absl::TimeZone zone_;
  std::set<int> years_;
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> makeup_workdays_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_DOMAIN_WORK_CALENDAR_H_
