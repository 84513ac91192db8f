// Calendar data: the official 2023–2026 calendar shipped with the server,
// counted on as it is loaded (BuildCalendar of ParseCalendarFile), the
// checks a calendar upload must pass, and the AddWorkingDays question.
#include "domain/calendar_data.h"

#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/time_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::Local;
using ::duban::testing::Shanghai;
using ::duban::testing::ShippedCalendar;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using Day = absl::CivilDay;

TEST(CalendarDataTest, TheShippedFileParsesAndValidates) {
  absl::StatusOr<std::vector<v1::CalendarYear>> years = ParseCalendarFile(DefaultCalendarJson());
  ASSERT_TRUE(years.ok()) << years.status();
  ASSERT_EQ(years->size(), 4u);
  EXPECT_EQ((*years)[0].year(), 2023);
  EXPECT_EQ((*years)[1].year(), 2024);
  EXPECT_EQ((*years)[2].year(), 2025);
  EXPECT_EQ((*years)[3].year(), 2026);
  for (const v1::CalendarYear& year : *years) {
    EXPECT_THAT(year.source(), ::testing::HasSubstr("国务院办公厅")) << year.year();
  }
  EXPECT_THAT((*years)[3].source(), ::testing::HasSubstr("2025-11-04"));
  EXPECT_EQ(ShippedCalendarYears().size(), 4u);
  EXPECT_TRUE(ValidateCalendarYears("years", *years).ok())
      << ValidateCalendarYears("years", *years);

  const WorkCalendar calendar = ShippedCalendar();
  EXPECT_EQ(calendar.version(), 1);
  EXPECT_EQ(calendar.zone(), Shanghai());
  for (int year : {2023, 2024, 2025, 2026}) EXPECT_TRUE(calendar.HasYear(year)) << year;
  EXPECT_FALSE(calendar.HasYear(2022));
  EXPECT_FALSE(calendar.HasYear(2027));
}

// Counting on the official arrangements (国务院办公厅 notices): holidays
// are skipped, make-up weekend days (调休) count, and the flag says whether
// a year without data was crossed.
TEST(CalendarDataTest, CountsOverTheOfficialHolidays) {
  static const struct {
    const char* label;
    Day from;
    int n;
    Day day;
    bool weekends_only;
  } kCases[] = {
      // 2024 National Day: 10-01..10-07 off, Sunday 09-29 and Saturday 10-12 worked.
      {"Fri before National Day 2024 +1: the make-up Sunday", Day(2024, 9, 27), 1, Day(2024, 9, 29),
       false},
      {"Fri before National Day 2024 +2", Day(2024, 9, 27), 2, Day(2024, 9, 30), false},
      {"Fri before National Day 2024 +3: over the holiday", Day(2024, 9, 27), 3, Day(2024, 10, 8),
       false},
      {"Mon 2024-09-30 +1", Day(2024, 9, 30), 1, Day(2024, 10, 8), false},
      {"from inside the holiday", Day(2024, 10, 3), 1, Day(2024, 10, 8), false},
      {"Fri 2024-10-11 +1: the make-up Saturday", Day(2024, 10, 11), 1, Day(2024, 10, 12), false},
      {"Tue 2024-10-08 +5", Day(2024, 10, 8), 5, Day(2024, 10, 14), false},
      // 2024 Spring Festival: 02-10..02-17 off, Sundays 02-04 and 02-18 worked.
      {"Fri 2024-02-02 +1: make-up Sunday 02-04", Day(2024, 2, 2), 1, Day(2024, 2, 4), false},
      {"Fri 2024-02-09 +1: over the Spring Festival", Day(2024, 2, 9), 1, Day(2024, 2, 18), false},
      {"Fri 2024-02-09 +2", Day(2024, 2, 9), 2, Day(2024, 2, 19), false},
      // 2025 Spring Festival: 01-28..02-04 off, Sunday 01-26 and Saturday 02-08 worked.
      {"Fri 2025-01-24 +1: make-up Sunday 01-26", Day(2025, 1, 24), 1, Day(2025, 1, 26), false},
      {"Fri 2025-01-24 +2", Day(2025, 1, 24), 2, Day(2025, 1, 27), false},
      {"Fri 2025-01-24 +3: over the Spring Festival", Day(2025, 1, 24), 3, Day(2025, 2, 5), false},
      {"Mon 2025-01-27 +1", Day(2025, 1, 27), 1, Day(2025, 2, 5), false},
      {"Wed 2025-02-05 +3: make-up Saturday 02-08", Day(2025, 2, 5), 3, Day(2025, 2, 8), false},
      {"Wed 2025-02-05 +4", Day(2025, 2, 5), 4, Day(2025, 2, 10), false},
      {"from inside the 2025 holiday", Day(2025, 1, 30), 1, Day(2025, 2, 5), false},
      // 2025 Dragon Boat and National Day / Mid-Autumn.
      {"Fri 2025-05-30 +1: over 端午", Day(2025, 5, 30), 1, Day(2025, 6, 3), false},
      {"Fri 2025-09-26 +1: make-up Sunday 09-28", Day(2025, 9, 26), 1, Day(2025, 9, 28), false},
      {"Tue 2025-09-30 +1: over 10-01..10-08", Day(2025, 9, 30), 1, Day(2025, 10, 9), false},
      {"Thu 2025-10-09 +2: make-up Saturday 10-11", Day(2025, 10, 9), 2, Day(2025, 10, 11), false},
      // 2023.
      {"Fri 2023-01-20 +1: make-up Saturday 01-28", Day(2023, 1, 20), 1, Day(2023, 1, 28), false},
      {"Fri 2023-01-20 +3", Day(2023, 1, 20), 3, Day(2023, 1, 30), false},
      {"Fri 2023-04-28 +1: over 劳动节", Day(2023, 4, 28), 1, Day(2023, 5, 4), false},
      {"Fri 2023-04-28 +3: make-up Saturday 05-06", Day(2023, 4, 28), 3, Day(2023, 5, 6), false},
      {"Thu 2023-09-28 +1: make-up Saturday 10-07", Day(2023, 9, 28), 1, Day(2023, 10, 7), false},
      {"Thu 2023-09-28 +3", Day(2023, 9, 28), 3, Day(2023, 10, 9), false},
      // Year ends.
      {"2023 → 2024 over New Year's Day", Day(2023, 12, 29), 1, Day(2024, 1, 2), false},
      {"2024 → 2025 +1", Day(2024, 12, 31), 1, Day(2025, 1, 2), false},
      {"2024 → 2025 +3", Day(2024, 12, 27), 3, Day(2025, 1, 2), false},
      {"to the last working day of 2025", Day(2025, 12, 26), 3, Day(2025, 12, 31), false},
      // 2026 (the notice of 2025-11-04): New Year 01-01..01-03 off, Sunday
      // 01-04 worked; Spring Festival 02-15..02-23 off, Saturdays 02-14 and
      // 02-28 worked; National Day 10-01..10-07 off, Saturday 10-10 worked.
      {"2025 → 2026 +4: the make-up Sunday 2026-01-04", Day(2025, 12, 26), 4, Day(2026, 1, 4),
       false},
      {"2025-12-31 +1 over New Year's Day 2026", Day(2025, 12, 31), 1, Day(2026, 1, 4), false},
      {"Fri 2026-02-13 +1: make-up Saturday 02-14", Day(2026, 2, 13), 1, Day(2026, 2, 14), false},
      {"Sat 2026-02-14 +1: over the Spring Festival", Day(2026, 2, 14), 1, Day(2026, 2, 24),
       false},
      {"Fri 2026-02-27 +1: make-up Saturday 02-28", Day(2026, 2, 27), 1, Day(2026, 2, 28), false},
      {"Fri 2026-09-18 +1: make-up Sunday 09-20", Day(2026, 9, 18), 1, Day(2026, 9, 20), false},
      {"Thu 2026-09-24 +1: over 中秋", Day(2026, 9, 24), 1, Day(2026, 9, 28), false},
      {"Wed 2026-09-30 +1: over National Day", Day(2026, 9, 30), 1, Day(2026, 10, 8), false},
      {"Fri 2026-10-09 +1: make-up Saturday 10-10", Day(2026, 10, 9), 1, Day(2026, 10, 10), false},
      {"into 2027, which has no data", Day(2026, 12, 31), 1, Day(2027, 1, 1), true},
      // Backwards.
      {"2024-10-08 -1: back over National Day", Day(2024, 10, 8), -1, Day(2024, 9, 30), false},
      {"2024-10-08 -2: the make-up Sunday", Day(2024, 10, 8), -2, Day(2024, 9, 29), false},
      {"2024-10-08 -3", Day(2024, 10, 8), -3, Day(2024, 9, 27), false},
      {"2025-02-05 -1: back over the Spring Festival", Day(2025, 2, 5), -1, Day(2025, 1, 27),
       false},
      {"2025-02-05 -2", Day(2025, 2, 5), -2, Day(2025, 1, 26), false},
      {"2023-01-30 -3", Day(2023, 1, 30), -3, Day(2023, 1, 20), false},
      {"2025-01-02 -1: back over New Year's Day", Day(2025, 1, 2), -1, Day(2024, 12, 31), false},
      {"2023-01-03 -1 into 2022, which has no data", Day(2023, 1, 3), -1, Day(2022, 12, 30), true},
      {"zero is the day itself", Day(2024, 10, 1), 0, Day(2024, 10, 1), false},
  };
  const WorkCalendar calendar = ShippedCalendar();
  for (const auto& c : kCases) {
    const WorkingDayCount count = calendar.Count(c.from, c.n);
    EXPECT_EQ(count.day, c.day) << c.label;
    EXPECT_EQ(count.weekends_only, c.weekends_only) << c.label;
    if (c.n > 0) {
      EXPECT_EQ(calendar.NthWorkingDayAfter(c.from, c.n), c.day) << c.label;
    }
  }
}

TEST(CalendarDataTest, IsWorkingDayOnTheShippedData) {
  static const struct {
    Day day;
    bool working;
  } kCases[] = {
      {Day(2023, 1, 2), false},  {Day(2023, 1, 29), true},  {Day(2023, 4, 5), false},
      {Day(2023, 4, 23), true},  {Day(2023, 6, 25), true},  {Day(2023, 10, 8), true},
      {Day(2023, 10, 6), false}, {Day(2024, 2, 18), true},  {Day(2024, 4, 7), true},
      {Day(2024, 5, 11), true},  {Day(2024, 6, 10), false}, {Day(2024, 9, 14), true},
      {Day(2024, 9, 16), false}, {Day(2025, 1, 26), true},  {Day(2025, 2, 4), false},
      {Day(2025, 2, 8), true},   {Day(2025, 4, 27), true},  {Day(2025, 6, 2), false},
      {Day(2025, 10, 8), false}, {Day(2025, 10, 11), true}, {Day(2025, 10, 12), false},
      {Day(2026, 1, 1), false}, {Day(2026, 1, 4), true},  {Day(2026, 10, 10), true},
      {Day(2027, 1, 1), true},  // no 2027 data: weekends only
  };
  const WorkCalendar calendar = ShippedCalendar();
  for (const auto& c : kCases) EXPECT_EQ(calendar.IsWorkingDay(c.day), c.working) << c.day;
}

TEST(CalendarDataTest, DeadlinesEndAtMidnightShanghaiTime) {
  static const struct {
    const char* label;
    absl::Time from;
    int n;
    absl::Time due;
  } kCases[] = {
      {"Fri morning before National Day + 1", Local(2024, 9, 27, 10), 1, Local(2024, 9, 30)},
      {"Fri late evening + 1", Local(2024, 9, 27, 23, 59), 1, Local(2024, 9, 30)},
      {"Mon 2024-09-30 + 1", Local(2024, 9, 30, 9), 1, Local(2024, 10, 9)},
      {"Mon before the 2025 Spring Festival + 1", Local(2025, 1, 27, 23, 59), 1, Local(2025, 2, 6)},
      {"2024 year end + 1", Local(2024, 12, 31, 9), 1, Local(2025, 1, 3)},
  };
  const WorkCalendar calendar = ShippedCalendar();
  for (const auto& c : kCases) {
    const absl::Time due = calendar.DeadlineAfter(c.from, c.n);
    EXPECT_EQ(due, c.due) << c.label;
    const absl::CivilSecond local = absl::ToCivilSecond(due, Shanghai());
    EXPECT_EQ(local, absl::CivilSecond(absl::CivilDay(local))) << c.label << ": due at " << local;
  }
  // 24:00 in Shanghai is 16:00 UTC of the same day.
  EXPECT_EQ(calendar.DeadlineAfter(Local(2024, 9, 27, 10), 1),
            absl::FromCivil(absl::CivilSecond(2024, 9, 29, 16, 0, 0), absl::UTCTimeZone()));
}

TEST(CalendarDataTest, AddWorkingDaysAnswers) {
  const WorkCalendar calendar = ShippedCalendar();
  const absl::Time now = Local(2025, 1, 24, 10);  // a Friday
  static const struct {
    const char* label;
    const char* from_date;
    absl::Time from_time;  // InfinitePast: unset
    int days;
    const char* date;
    bool weekends_only;
  } kCases[] = {
      {"from a date", "2024-09-30", absl::InfinitePast(), 1, "2024-10-08", false},
      {"from a date, onto a make-up Sunday", "2024-09-27", absl::InfinitePast(), 1, "2024-09-29",
       false},
      {"from a time, counted on its local date", "", Local(2024, 9, 27, 23, 30), 1, "2024-09-29",
       false},
      {"from a time whose UTC date is a day earlier", "",
       absl::FromCivil(absl::CivilSecond(2024, 9, 29, 17, 0, 0), absl::UTCTimeZone()), 1,
       "2024-10-08", false},
      {"from today when neither is given", "", absl::InfinitePast(), 1, "2025-01-26", false},
      {"from today over the Spring Festival", "", absl::InfinitePast(), 3, "2025-02-05", false},
      {"into 2027", "2026-12-31", absl::InfinitePast(), 1, "2027-01-01", true},
      {"the most days", "2024-01-01", absl::InfinitePast(), 366, "", false},
  };
  for (const auto& c : kCases) {
    v1::AddWorkingDaysRequest request;
    request.set_from_date(c.from_date);
    if (c.from_time != absl::InfinitePast())
      *request.mutable_from_time() = ToTimestamp(c.from_time);
    request.set_days(c.days);
    absl::StatusOr<v1::AddWorkingDaysResponse> reply = AddWorkingDays(request, calendar, now);
    ASSERT_TRUE(reply.ok()) << c.label << ": " << reply.status();
    if (*c.date != '\0') {
      EXPECT_EQ(reply->date(), c.date) << c.label;
    }
    Day day;
    ASSERT_TRUE(absl::ParseCivilTime(reply->date(), &day)) << c.label << ": " << reply->date();
    EXPECT_EQ(FromTimestamp(reply->deadline()), calendar.EndOf(day)) << c.label;
    EXPECT_EQ(reply->calendar_version(), 1) << c.label;
    EXPECT_EQ(reply->weekends_only(), c.weekends_only) << c.label;
  }
}

TEST(CalendarDataTest, AddWorkingDaysNamesBadFields) {
  const WorkCalendar calendar = ShippedCalendar();
  const google::protobuf::Timestamp a_time = ToTimestamp(Local(2024, 9, 27, 10));
  static const struct {
    const char* label;
    const char* from_date;
    bool with_time;
    int days;
    std::vector<std::string> fields;
  } kCases[] = {
      {"both a date and a time", "2024-09-30", true, 1, {"from_time"}},
      {"a date that does not exist", "2024-02-30", false, 1, {"from_date"}},
      {"month 13", "2024-13-01", false, 1, {"from_date"}},
      {"no zero padding", "2024-9-30", false, 1, {"from_date"}},
      {"a date with a time", "2024-09-30T10:00", false, 1, {"from_date"}},
      {"slashes", "2024/09/30", false, 1, {"from_date"}},
      {"zero days", "2024-09-30", false, 0, {"days"}},
      {"367 days", "2024-09-30", false, 367, {"days"}},
      {"negative days", "2024-09-30", false, -1, {"days"}},
      {"a bad date and zero days", "30.09.2024", false, 0, {"from_date", "days"}},
  };
  for (const auto& c : kCases) {
    v1::AddWorkingDaysRequest request;
    request.set_from_date(c.from_date);
    if (c.with_time) *request.mutable_from_time() = a_time;
    request.set_days(c.days);
    absl::StatusOr<v1::AddWorkingDaysResponse> reply =
        AddWorkingDays(request, calendar, Local(2025, 1, 24, 10));
    ASSERT_FALSE(reply.ok()) << c.label << " was answered: " << reply->date();
    EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument) << c.label;
    EXPECT_THAT(BadRequestFields(reply.status()), ElementsAreArray(c.fields)) << c.label;
  }
}

TEST(CalendarDataTest, AddWorkingDaysRefusesATimeOutsideTheCalendar) {
  const WorkCalendar calendar = ShippedCalendar();
  google::protobuf::Timestamp far;
  far.set_seconds(std::numeric_limits<int64_t>::max());  // found by fuzz_add_working_days
  google::protobuf::Timestamp before_year_one;
  before_year_one.set_seconds(-62135596801);
  google::protobuf::Timestamp bad_nanos = ToTimestamp(Local(2024, 9, 27, 10));
  bad_nanos.set_nanos(-1);
  for (const google::protobuf::Timestamp& from : {far, before_year_one, bad_nanos}) {
    v1::AddWorkingDaysRequest request;
    *request.mutable_from_time() = from;
    request.set_days(1);
    absl::StatusOr<v1::AddWorkingDaysResponse> reply =
        AddWorkingDays(request, calendar, Local(2025, 1, 24, 10));
    ASSERT_FALSE(reply.ok()) << from.ShortDebugString();
    EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(BadRequestFields(reply.status()), ElementsAreArray({"from_time"}));
  }
}

v1::CalendarYear Year(int year, std::vector<std::string> holidays,
                      std::vector<std::string> makeup_workdays = {}) {
  v1::CalendarYear data;
  data.set_year(year);
  for (std::string& day : holidays) data.add_holidays(std::move(day));
  for (std::string& day : makeup_workdays) data.add_makeup_workdays(std::move(day));
  return data;
}

TEST(CalendarDataTest, ValidateCalendarYearsNamesEachBadField) {
  static const struct {
    const char* label;
    std::vector<v1::CalendarYear> years;
    std::vector<std::string> fields;  // empty: valid
  } kCases[] = {
      {"one good year", {Year(2024, {"2024-10-01"}, {"2024-10-12"})}, {}},
      {"a year with no days off", {Year(2026, {})}, {}},
      {"no years", {}, {"years"}},
      {"a date that does not exist", {Year(2024, {"2024-02-30"})}, {"years[0].holidays[0]"}},
      {"not a date", {Year(2024, {"2024-10-01", "National Day"})}, {"years[0].holidays[1]"}},
      {"slashes", {Year(2024, {"2024/10/01"})}, {"years[0].holidays[0]"}},
      {"a holiday outside its year", {Year(2024, {"2025-01-01"})}, {"years[0].holidays[0]"}},
      {"a make-up day outside its year",
       {Year(2024, {}, {"2023-10-07"})},
       {"years[0].makeup_workdays[0]"}},
      {"a make-up day on a weekday (Monday 2024-09-30)",
       {Year(2024, {}, {"2024-09-30"})},
       {"years[0].makeup_workdays[0]"}},
      {"a day both holiday and make-up",
       {Year(2024, {"2024-10-05"}, {"2024-10-05"})},
       {"years[0].makeup_workdays[0]"}},
      {"a year listed twice",
       {Year(2024, {"2024-10-01"}), Year(2024, {"2024-10-02"})},
       {"years[1].year"}},
      {"year before 1970", {Year(1969, {})}, {"years[0].year"}},
      {"year after 2200", {Year(2201, {})}, {"years[0].year"}},
      {"every fault named",
       {Year(2024, {"2024-02-30", "2025-01-01"}, {"2024-09-30"}), Year(2024, {})},
       {"years[0].holidays[0]", "years[0].holidays[1]", "years[0].makeup_workdays[0]",
        "years[1].year"}},
  };
  for (const auto& c : kCases) {
    const absl::Status status = ValidateCalendarYears("years", c.years);
    if (c.fields.empty()) {
      EXPECT_TRUE(status.ok()) << c.label << ": " << status;
      continue;
    }
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.label;
    EXPECT_THAT(BadRequestFields(status), ElementsAreArray(c.fields)) << c.label;
  }
}

TEST(CalendarDataTest, ParseCalendarFileRefusesWhatItCannotCountOn) {
  static const struct {
    const char* label;
    const char* json;
    const char* field;
  } kCases[] = {
      {"not JSON", "{", "calendar"},
      {"an unknown field", R"({"name": "x", "holidays": []})", "calendar"},
      {"a Friday weekend", R"({"weekend": ["FRIDAY", "SATURDAY"], "years": []})",
       "calendar.weekend"},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<std::vector<v1::CalendarYear>> years = ParseCalendarFile(c.json);
    ASSERT_FALSE(years.ok()) << c.label;
    EXPECT_EQ(years.status().code(), absl::StatusCode::kInvalidArgument) << c.label;
    EXPECT_THAT(BadRequestFields(years.status()), ElementsAre(c.field)) << c.label;
  }
  absl::StatusOr<std::vector<v1::CalendarYear>> years = ParseCalendarFile(
      R"({"name": "test", "weekend": ["SATURDAY", "SUNDAY"],
          "years": [{"year": 2030, "holidays": ["2030-01-01"]}]})");
  ASSERT_TRUE(years.ok()) << years.status();
  ASSERT_EQ(years->size(), 1u);
  EXPECT_EQ((*years)[0].year(), 2030);
  EXPECT_THAT((*years)[0].holidays(), ElementsAre("2030-01-01"));
}

TEST(CalendarDataTest, BuildCalendarKeepsItsVersionAndEachYear) {
  const WorkCalendar calendar =
      BuildCalendar(Shanghai(), {Year(2030, {"2030-01-01"}), Year(2031, {}, {"2031-01-04"})}, 7);
  EXPECT_EQ(calendar.version(), 7);
  EXPECT_TRUE(calendar.HasYear(2030));
  EXPECT_TRUE(calendar.HasYear(2031));
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2030, 1, 1)));
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2031, 1, 4))) << "a make-up Saturday";
  // A year with no days off is still data: counting over it is not
  // weekends-only guesswork.
  EXPECT_FALSE(calendar.Count(Day(2031, 3, 3), 5).weekends_only);
}

}  // namespace
}  // namespace duban
