// WorkCalendar: which days are working days (工作日), and deadlines counted
// in working days.
//
// A working day is Monday–Friday, minus public holidays, plus make-up
// workdays (调休: a weekend day that is officially a workday). Years without
// data count weekends only, and counts that touch them say so.
//
//   WorkCalendar calendar(zone, /*version=*/3);
//   calendar.SetYear({.year = 2024, .holidays = {...}, .makeup_workdays = {...}});
//   WorkingDayCount count = calendar.Count(absl::CivilDay(2024, 9, 30), 1);
//   // count.day == 2024-10-08; count.weekends_only == false
//
// A WorkCalendar is immutable once built and shared; reads are thread-safe.
// To change it, build a new one and swap it in.
#ifndef DUBAN_DOMAIN_WORK_CALENDAR_H_
#define DUBAN_DOMAIN_WORK_CALENDAR_H_

#include <cstdint>
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

// The result of counting working days.
struct WorkingDayCount {
  absl::CivilDay day;
  // True when a day counted over lies in a year without data.
  bool weekends_only = false;
};

class WorkCalendar {
 public:
  explicit WorkCalendar(absl::TimeZone zone, int64_t version = 0)
      : zone_(zone), version_(version) {}

  // Replaces the data of `year.year`.
  void SetYear(const CalendarYear& year);
  bool HasYear(int year) const;

  bool IsWorkingDay(absl::CivilDay day) const;

  // The `n`th working day after `day` (n ≥ 1; `day` itself does not count).
  absl::CivilDay NthWorkingDayAfter(absl::CivilDay day, int n) const;
  // As NthWorkingDayAfter, for n > 0; for n < 0 the |n|th working day before
  // `day`; for 0, `day`.
  WorkingDayCount Count(absl::CivilDay day, int n) const;

  // The end (24:00 local) of the `n`th working day after the local date of
  // `from`. n ≥ 1.
  absl::Time DeadlineAfter(absl::Time from, int n) const;

  // The local day a deadline belongs to: a deadline at exactly 24:00 (00:00
  // of the next day) belongs to the day it ends.
  absl::CivilDay DayOfDeadline(absl::Time deadline) const;
  // 24:00 local of `day`.
  absl::Time EndOf(absl::CivilDay day) const { return absl::FromCivil(day + 1, zone_); }

  // Working time between `start` and `end`, in working days: each working
  // day contributes the fraction of its 24 hours inside [start, end).
  double WorkingDaysBetween(absl::Time start, absl::Time end) const;

  absl::TimeZone zone() const { return zone_; }
  // Increases with every change of calendar data; 0 for a calendar built in
  // code.
  int64_t version() const { return version_; }

 private:
  absl::TimeZone zone_;
  int64_t version_;
  std::set<int> years_;
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> makeup_workdays_;
};

}  // namespace duban

#endif  // DUBAN_DOMAIN_WORK_CALENDAR_H_
