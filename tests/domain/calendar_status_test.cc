// What the calendar covers and lacks: the current year, the next one from
// 1 November, shipped years not loaded — and LoadCalendar's choice of
// years (its own, or the shipped ones the store lacks).
#include "domain/calendar_status.h"

#include <string>
#include <vector>

#include "domain/calendar_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::Local;
using ::duban::testing::Shanghai;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::Calendar Loaded(std::vector<int> years) {
  v1::Calendar calendar;
  calendar.set_time_zone("Asia/Shanghai");
  calendar.set_version(3);
  for (int year : years) calendar.add_years()->set_year(year);
  return calendar;
}

std::vector<v1::CalendarYear> Shipped(std::vector<int> years) {
  std::vector<v1::CalendarYear> shipped;
  for (int year : years) shipped.emplace_back().set_year(year);
  return shipped;
}

TEST(CalendarStatusTest, FlagsWhatIsMissingWhenItMatters) {
  const struct {
    const char* label;
    std::vector<int> loaded;
    absl::Time now;
    int covered_until;
    std::vector<int> missing;
  } kCases[] = {
      {"this year loaded, October", {2025, 2026}, Local(2026, 10, 31, 23), 2026, {}},
      {"from 1 November, next year is due", {2025, 2026}, Local(2026, 11, 1), 2026, {2027}},
      {"in December", {2026}, Local(2026, 12, 6, 9), 2026, {2027}},
      {"next year loaded", {2026, 2027}, Local(2026, 12, 6, 9), 2027, {}},
      {"this year missing", {2023, 2024, 2025}, Local(2026, 12, 6, 9), 0, {2026}},
      {"this year missing, January", {2025}, Local(2026, 1, 5), 0, {2026}},
      // 00:30 on 1 January in Shanghai is still 31 December in UTC.
      {"the county's new year", {2026}, Local(2027, 1, 1, 0, 30), 0, {2027}},
      {"a gap after this year", {2026, 2028}, Local(2026, 6, 1), 2026, {}},
  };
  for (const auto& c : kCases) {
    const v1::CalendarStatus status = CalendarStatusOf(Loaded(c.loaded), {}, c.now, Shanghai());
    EXPECT_EQ(status.covered_until_year(), c.covered_until) << c.label;
    EXPECT_EQ(std::vector<int>(status.missing_years().begin(), status.missing_years().end()),
              c.missing)
        << c.label;
    EXPECT_EQ(status.warnings_size(), c.missing.empty() ? 0 : 1) << c.label;
    for (int year : c.missing) {
      EXPECT_THAT(status.warnings(0), HasSubstr(std::to_string(year))) << c.label;
      EXPECT_THAT(status.warnings(0), HasSubstr("duban calendar load")) << c.label;
    }
  }
}

TEST(CalendarStatusTest, ListsShippedYearsTheStoreHasNotLoaded) {
  const v1::CalendarStatus status = CalendarStatusOf(
      Loaded({2023, 2024, 2025}), Shipped({2023, 2024, 2025, 2026}), Local(2026, 12, 6), Shanghai());
  EXPECT_THAT(status.shipped_years_not_loaded(), ElementsAre(2026));
  EXPECT_THAT(status.missing_years(), ElementsAre(2026));
  ASSERT_EQ(status.warnings_size(), 2);
  EXPECT_THAT(status.warnings(1), HasSubstr("duban calendar load --shipped"));
  EXPECT_EQ(status.current_year(), 2026);
  EXPECT_EQ(status.version(), 3);
  EXPECT_EQ(status.years_size(), 3);

  const v1::CalendarStatus current = CalendarStatusOf(
      Loaded({2023, 2024, 2025, 2026}), Shipped({2023, 2024, 2025, 2026}), Local(2026, 6, 1),
      Shanghai());
  EXPECT_THAT(current.shipped_years_not_loaded(), IsEmpty());
  EXPECT_THAT(current.warnings(), IsEmpty());
}

TEST(YearsToLoadTest, ShippedLoadsOnlyTheShippedYearsNotLoaded) {
  v1::LoadCalendarRequest shipped;
  shipped.set_shipped(true);
  absl::StatusOr<std::vector<v1::CalendarYear>> years =
      YearsToLoad(shipped, Loaded({2023, 2024, 2025}));
  ASSERT_TRUE(years.ok()) << years.status();
  ASSERT_EQ(years->size(), 1u);
  EXPECT_EQ((*years)[0].year(), 2026);
  EXPECT_THAT((*years)[0].source(), HasSubstr("2025-11-04"));
  EXPECT_GT((*years)[0].holidays_size(), 0);

  // Nothing left to load: said so, not a new version of the same.
  years = YearsToLoad(shipped, Loaded({2023, 2024, 2025, 2026}));
  EXPECT_EQ(years.status().code(), absl::StatusCode::kFailedPrecondition);

  shipped.add_years()->set_year(2027);
  years = YearsToLoad(shipped, Loaded({2025}));
  EXPECT_EQ(years.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadRequestFields(years.status()), ElementsAre("years"));
}

TEST(YearsToLoadTest, GivenYearsTakeTheRequestsSourceAndAreChecked) {
  v1::LoadCalendarRequest request;
  request.set_source("国务院办公厅关于2027年部分节假日安排的通知");
  v1::CalendarYear& year = *request.add_years();
  year.set_year(2027);
  year.add_holidays("2027-01-01");
  absl::StatusOr<std::vector<v1::CalendarYear>> years = YearsToLoad(request, Loaded({2026}));
  ASSERT_TRUE(years.ok()) << years.status();
  EXPECT_EQ((*years)[0].source(), request.source());

  year.add_holidays("2027-13-01");
  EXPECT_THAT(BadRequestFields(YearsToLoad(request, Loaded({2026})).status()),
              ElementsAre("years[0].holidays[1]"));
  request.clear_years();
  EXPECT_THAT(BadRequestFields(YearsToLoad(request, Loaded({2026})).status()),
              ElementsAre("years"));
}

}  // namespace
}  // namespace duban
