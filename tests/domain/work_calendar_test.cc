// WorkCalendar: working days with public holidays and make-up workdays (调休),
// and deadlines at 24:00 local of the Nth working day. The data is the
// official 2024 arrangement (国务院办公厅 2023-10-25) and 2025-01-01.
#include "domain/work_calendar.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"

namespace duban {
namespace {

using ::duban::testing::Local;
using ::duban::testing::Shanghai;
using Day = absl::CivilDay;

CalendarYear China2024() {
  CalendarYear year;
  year.year = 2024;
  year.holidays = {Day(2024, 1, 1)};
  for (int d = 10; d <= 17; ++d) year.holidays.push_back(Day(2024, 2, d));  // 春节
  for (int d = 4; d <= 6; ++d) year.holidays.push_back(Day(2024, 4, d));    // 清明
  for (int d = 1; d <= 5; ++d) year.holidays.push_back(Day(2024, 5, d));    // 劳动节
  year.holidays.push_back(Day(2024, 6, 10));                                // 端午
  for (int d = 15; d <= 17; ++d) year.holidays.push_back(Day(2024, 9, d));  // 中秋
  for (int d = 1; d <= 7; ++d) year.holidays.push_back(Day(2024, 10, d));   // 国庆
  year.makeup_workdays = {Day(2024, 2, 4),  Day(2024, 2, 18), Day(2024, 4, 7),  Day(2024, 4, 28),
                          Day(2024, 5, 11), Day(2024, 9, 14), Day(2024, 9, 29), Day(2024, 10, 12)};
  return year;
}

CalendarYear NewYear2025() {
  CalendarYear year;
  year.year = 2025;
  year.holidays = {Day(2025, 1, 1)};
  return year;
}

WorkCalendar ChinaCalendar() {
  WorkCalendar calendar(Shanghai());
  calendar.SetYear(China2024());
  calendar.SetYear(NewYear2025());
  return calendar;
}

TEST(WorkCalendarTest, IsWorkingDay) {
  static const struct {
    Day day;
    bool china;          // with the official data
    bool weekends_only;  // without data
  } kCases[] = {
      {Day(2024, 9, 25), true, true},     // Wednesday
      {Day(2024, 9, 27), true, true},     // Friday
      {Day(2024, 9, 28), false, false},   // Saturday
      {Day(2024, 9, 29), true, false},    // Sunday, make-up workday
      {Day(2024, 9, 30), true, true},     // Monday
      {Day(2024, 10, 1), false, true},    // National Day, a Tuesday
      {Day(2024, 10, 5), false, false},   // holiday on a Saturday
      {Day(2024, 10, 7), false, true},    // last day of the holiday, a Monday
      {Day(2024, 10, 8), true, true},     // back to work
      {Day(2024, 10, 12), true, false},   // Saturday, make-up workday
      {Day(2024, 10, 13), false, false},  // Sunday
      {Day(2024, 2, 4), true, false},     // Sunday before the Spring Festival
      {Day(2024, 2, 9), true, true},      // Friday, 除夕 is not a holiday in 2024
      {Day(2024, 2, 12), false, true},    // Spring Festival, a Monday
      {Day(2024, 2, 17), false, false},   // last day, a Saturday
      {Day(2024, 2, 18), true, false},    // Sunday, make-up workday
      {Day(2024, 12, 31), true, true},    // Tuesday
      {Day(2025, 1, 1), false, true},     // New Year's Day, a Wednesday
      {Day(2023, 10, 2), true, true},     // a year without data: weekends only
  };
  const WorkCalendar china = ChinaCalendar();
  const WorkCalendar plain(Shanghai());
  for (const auto& c : kCases) {
    EXPECT_EQ(china.IsWorkingDay(c.day), c.china) << c.day;
    EXPECT_EQ(plain.IsWorkingDay(c.day), c.weekends_only) << c.day << " (weekends only)";
  }
}

TEST(WorkCalendarTest, NthWorkingDayAfter) {
  static const struct {
    Day from;
    int n;
    Day china;
    Day weekends_only;
  } kCases[] = {
      {Day(2024, 9, 27), 1, Day(2024, 9, 29), Day(2024, 9, 30)},  // Fri → make-up Sunday
      {Day(2024, 9, 27), 2, Day(2024, 9, 30), Day(2024, 10, 1)},
      {Day(2024, 9, 27), 3, Day(2024, 10, 8), Day(2024, 10, 2)},
      {Day(2024, 9, 28), 1, Day(2024, 9, 29), Day(2024, 9, 30)},     // from a Saturday
      {Day(2024, 9, 29), 1, Day(2024, 9, 30), Day(2024, 9, 30)},     // the day itself never counts
      {Day(2024, 9, 30), 1, Day(2024, 10, 8), Day(2024, 10, 1)},     // over National Day
      {Day(2024, 10, 3), 1, Day(2024, 10, 8), Day(2024, 10, 4)},     // from inside the holiday
      {Day(2024, 10, 11), 1, Day(2024, 10, 12), Day(2024, 10, 14)},  // Fri → make-up Saturday
      {Day(2024, 9, 25), 10, Day(2024, 10, 14), Day(2024, 10, 9)},
      {Day(2024, 2, 2), 1, Day(2024, 2, 4), Day(2024, 2, 5)},    // Fri → make-up Sunday
      {Day(2024, 2, 9), 1, Day(2024, 2, 18), Day(2024, 2, 12)},  // over the Spring Festival
      {Day(2024, 2, 9), 2, Day(2024, 2, 19), Day(2024, 2, 13)},
      {Day(2024, 12, 31), 1, Day(2025, 1, 2), Day(2025, 1, 1)},  // over the year end
      {Day(2024, 12, 27), 3, Day(2025, 1, 2), Day(2025, 1, 1)},
  };
  const WorkCalendar china = ChinaCalendar();
  const WorkCalendar plain(Shanghai());
  for (const auto& c : kCases) {
    EXPECT_EQ(china.NthWorkingDayAfter(c.from, c.n), c.china) << c.from << " + " << c.n;
    EXPECT_EQ(plain.NthWorkingDayAfter(c.from, c.n), c.weekends_only)
        << c.from << " + " << c.n << " (weekends only)";
  }
}

TEST(WorkCalendarTest, DeadlineIsMidnightAfterTheNthWorkingDayInLocalTime) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  static const struct {
    const char* label;
    absl::Time from;
    int n;
    absl::Time due;
  } kCases[] = {
      {"Friday morning + 1", Local(2024, 9, 27, 10), 1, Local(2024, 9, 30)},
      {"Friday morning + 1 in UTC", Local(2024, 9, 27, 10), 1,
       absl::FromCivil(absl::CivilSecond(2024, 9, 29, 16, 0, 0), utc)},
      {"Monday just before midnight + 1", Local(2024, 9, 30, 23, 59), 1, Local(2024, 10, 9)},
      {"Monday at midnight + 1", Local(2024, 9, 30), 1, Local(2024, 10, 9)},
      // 2024-09-29 17:00 UTC is already Monday 01:00 in Shanghai: the count
      // starts from the local date, not the UTC one (a Sunday make-up day).
      {"local date, not UTC date", absl::FromCivil(absl::CivilSecond(2024, 9, 29, 17, 0, 0), utc),
       1, Local(2024, 10, 9)},
      {"year end + 1", Local(2024, 12, 31, 9), 1, Local(2025, 1, 3)},
      {"Spring Festival eve + 3", Local(2024, 2, 9, 17), 3, Local(2024, 2, 21)},
  };
  const WorkCalendar china = ChinaCalendar();
  for (const auto& c : kCases) {
    const absl::Time due = china.DeadlineAfter(c.from, c.n);
    EXPECT_EQ(due, c.due) << c.label;
    const absl::CivilSecond local = absl::ToCivilSecond(due, Shanghai());
    EXPECT_EQ(local.hour() * 3600 + local.minute() * 60 + local.second(), 0)
        << c.label << ": due at " << local;
  }
}

TEST(WorkCalendarTest, DeadlineFollowsTheCalendarsZone) {
  const WorkCalendar utc_calendar(absl::UTCTimeZone());
  // Friday 2024-03-15 23:30 in Shanghai is still Friday 15:30 in UTC.
  const absl::Time due = utc_calendar.DeadlineAfter(Local(2024, 3, 15, 23, 30), 1);
  EXPECT_EQ(due, absl::FromCivil(absl::CivilDay(2024, 3, 19), absl::UTCTimeZone()));
  EXPECT_EQ(utc_calendar.zone(), absl::UTCTimeZone());
}

TEST(WorkCalendarTest, SetYearReplacesOnlyThatYear) {
  WorkCalendar calendar = ChinaCalendar();
  EXPECT_TRUE(calendar.HasYear(2024));
  EXPECT_TRUE(calendar.HasYear(2025));
  EXPECT_FALSE(calendar.HasYear(2023));
  ASSERT_FALSE(calendar.IsWorkingDay(Day(2024, 10, 1)));

  CalendarYear revised;
  revised.year = 2024;
  revised.holidays = {Day(2024, 10, 2)};
  calendar.SetYear(revised);
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2024, 10, 1))) << "the old 2024 holidays are gone";
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2024, 9, 29))) << "the old 2024 make-up days are gone";
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2024, 10, 2)));
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2025, 1, 1))) << "2025 is untouched";
  EXPECT_TRUE(calendar.HasYear(2024));
}

TEST(WorkCalendarTest, CountsForwardAndBackAndSaysWhenItGuessed) {
  const WorkCalendar china = ChinaCalendar();
  static const struct {
    Day from;
    int n;
    Day day;
    bool weekends_only;
  } kChecked[] = {
      {Day(2024, 9, 27), 1, Day(2024, 9, 29), false},     // make-up Sunday
      {Day(2024, 9, 30), 1, Day(2024, 10, 8), false},     // over National Day
      {Day(2024, 10, 8), -1, Day(2024, 9, 30), false},    // back over it
      {Day(2024, 10, 8), -2, Day(2024, 9, 29), false},    // back onto the make-up Sunday
      {Day(2024, 10, 14), -1, Day(2024, 10, 12), false},  // back onto the make-up Saturday
      {Day(2024, 10, 1), 0, Day(2024, 10, 1), false},     // zero: the day itself
      {Day(2024, 12, 31), 1, Day(2025, 1, 2), false},
      {Day(2024, 1, 3), -2, Day(2023, 12, 29), true},  // back into 2023, which has no data
      {Day(2025, 12, 31), 1, Day(2026, 1, 1), true},   // forward into 2026
  };
  for (const auto& c : kChecked) {
    const WorkingDayCount count = china.Count(c.from, c.n);
    EXPECT_EQ(count.day, c.day) << c.from << " " << c.n;
    EXPECT_EQ(count.weekends_only, c.weekends_only) << c.from << " " << c.n;
  }
  // Without any data every count says so, except a count of nothing.
  const WorkCalendar plain(Shanghai());
  EXPECT_TRUE(plain.Count(Day(2024, 3, 15), 1).weekends_only);
  EXPECT_TRUE(plain.Count(Day(2024, 3, 15), -1).weekends_only);
  EXPECT_FALSE(plain.Count(Day(2024, 3, 15), 0).weekends_only);
}

TEST(WorkCalendarTest, EndOfAndDayOfDeadline) {
  const WorkCalendar china = ChinaCalendar();
  EXPECT_EQ(china.EndOf(Day(2024, 9, 29)), Local(2024, 9, 30));
  static const struct {
    absl::Time deadline;
    Day day;
  } kCases[] = {
      {Local(2024, 9, 30), Day(2024, 9, 29)},  // 24:00 belongs to the day it ends
      {Local(2024, 9, 29, 18), Day(2024, 9, 29)},
      {Local(2024, 9, 30, 0, 1), Day(2024, 9, 30)},
      {Local(2024, 9, 29, 0, 1), Day(2024, 9, 29)},
  };
  for (const auto& c : kCases) EXPECT_EQ(china.DayOfDeadline(c.deadline), c.day) << c.deadline;
  for (Day day = Day(2024, 9, 25); day < Day(2024, 10, 15); ++day) {
    EXPECT_EQ(china.DayOfDeadline(china.EndOf(day)), day) << day;
  }
}

TEST(WorkCalendarTest, WorkingDaysBetween) {
  const WorkCalendar china = ChinaCalendar();
  static const struct {
    const char* label;
    absl::Time start, end;
    double days;
  } kCases[] = {
      {"Monday 09:00 to Tuesday 09:00", Local(2024, 3, 18, 9), Local(2024, 3, 19, 9), 1.0},
      {"Friday noon to Monday noon", Local(2024, 3, 15, 12), Local(2024, 3, 18, 12), 1.0},
      {"a weekend", Local(2024, 3, 16), Local(2024, 3, 18), 0.0},
      {"six hours of a Tuesday", Local(2024, 3, 19, 9), Local(2024, 3, 19, 15), 0.25},
      {"a make-up Sunday counts", Local(2024, 9, 29), Local(2024, 9, 30), 1.0},
      {"National Day week does not", Local(2024, 10, 1), Local(2024, 10, 8), 0.0},
      {"Friday noon before National Day to Tuesday noon after", Local(2024, 9, 27, 12),
       Local(2024, 10, 8, 12), 3.0},
      {"end before start", Local(2024, 3, 19, 9), Local(2024, 3, 18, 9), 0.0},
      {"an empty interval", Local(2024, 3, 19, 9), Local(2024, 3, 19, 9), 0.0},
  };
  for (const auto& c : kCases) {
    EXPECT_DOUBLE_EQ(china.WorkingDaysBetween(c.start, c.end), c.days) << c.label;
  }
}

TEST(WorkCalendarTest, VersionIsKept) {
  EXPECT_EQ(WorkCalendar(Shanghai()).version(), 0);
  EXPECT_EQ(WorkCalendar(Shanghai(), 5).version(), 5);
}

}  // namespace
}  // namespace duban
