// Deadlines as people give them: a time, N working days or N hours
// (ResolveDeadline), and the basis each remembers so it can be explained.
#include "domain/deadlines.h"

#include <optional>
#include <string>

#include "base/time_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::duban::testing::ShippedCalendar;
using ::duban::testing::TimeOf;
using ::testing::ElementsAre;

// Friday 2024-09-27 10:00, before National Day, on the shipped calendar.
absl::Time BeforeNationalDay() { return Local(2024, 9, 27, 10); }

class DeadlinesTest : public ::testing::Test {
 protected:
  DeadlinesTest() { world_.calendar = ShippedCalendar(); }

  absl::StatusOr<std::optional<Deadline>> Resolve(absl::Time at, int working_days, int hours,
                                                  absl::Time now = BeforeNationalDay()) const {
    google::protobuf::Timestamp at_field;
    if (at != absl::InfinitePast()) at_field = ToTimestamp(at);
    v1::DeadlineSpan in;
    in.set_working_days(working_days);
    in.set_hours(hours);
    return ResolveDeadline("ticket.due_time", at_field, "due_in", in,
                           world_.ContextFor(world_.leader, now));
  }

  LoopWorld world_;
};

constexpr absl::Time kUnset = absl::InfinitePast();

TEST_F(DeadlinesTest, NeitherGivesNoDeadline) {
  absl::StatusOr<std::optional<Deadline>> due = Resolve(kUnset, 0, 0);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_FALSE(due->has_value());
  EXPECT_FALSE(NoDeadline().set());
}

TEST_F(DeadlinesTest, ATimeIsKeptAsGivenWithAnEmptyBasis) {
  absl::StatusOr<std::optional<Deadline>> due = Resolve(Local(2024, 10, 31, 18), 0, 0);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_TRUE(due->has_value());
  EXPECT_TRUE((*due)->set());
  EXPECT_EQ((*due)->time, Local(2024, 10, 31, 18));
  EXPECT_EQ((*due)->basis.calendar_version(), 0);
  EXPECT_EQ((*due)->basis.working_days(), 0);
  EXPECT_EQ((*due)->basis.hours(), 0);
  EXPECT_FALSE((*due)->basis.has_counted_from());
}

TEST_F(DeadlinesTest, WorkingDaysAreCountedOnTheCalendarAndRemembered) {
  static const struct {
    const char* label;
    absl::Time now;
    int days;
    absl::Time due;
    bool weekends_only;
  } kCases[] = {
      {"Fri +1: the make-up Sunday", BeforeNationalDay(), 1, Local(2024, 9, 30), false},
      {"Fri +3: over National Day", BeforeNationalDay(), 3, Local(2024, 10, 9), false},
      {"late Friday evening still counts from Friday", Local(2024, 9, 27, 23, 59), 1,
       Local(2024, 9, 30), false},
      {"into 2027, which has no data", Local(2026, 12, 30, 10), 5, Local(2027, 1, 7), true},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<std::optional<Deadline>> due = Resolve(kUnset, c.days, 0, c.now);
    ASSERT_TRUE(due.ok()) << c.label << ": " << due.status();
    ASSERT_TRUE(due->has_value()) << c.label;
    const Deadline& deadline = **due;
    EXPECT_EQ(deadline.time, c.due) << c.label;
    EXPECT_EQ(deadline.basis.calendar_version(), 1) << c.label;
    EXPECT_EQ(deadline.basis.working_days(), c.days) << c.label;
    EXPECT_EQ(deadline.basis.hours(), 0) << c.label;
    EXPECT_EQ(TimeOf(deadline.basis.counted_from()), c.now) << c.label;
    EXPECT_EQ(deadline.basis.weekends_only(), c.weekends_only) << c.label;
  }
}

TEST_F(DeadlinesTest, HoursAreCountedOnTheClockNotTheCalendar) {
  absl::StatusOr<std::optional<Deadline>> due = Resolve(kUnset, 0, 36);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_TRUE(due->has_value());
  EXPECT_EQ((*due)->time, BeforeNationalDay() + absl::Hours(36)) << "over the weekend too";
  EXPECT_EQ((*due)->basis.hours(), 36);
  EXPECT_EQ((*due)->basis.working_days(), 0);
  EXPECT_EQ((*due)->basis.calendar_version(), 0);
  EXPECT_EQ(TimeOf((*due)->basis.counted_from()), BeforeNationalDay());
  EXPECT_FALSE((*due)->basis.weekends_only());
}

TEST_F(DeadlinesTest, RefusesWhatItCannotResolve) {
  static const struct {
    const char* label;
    absl::Time at;
    int working_days;
    int hours;
    const char* field;
  } kCases[] = {
      {"both a time and a span", Local(2024, 10, 31, 18), 3, 0, "due_in"},
      {"both a time and hours", Local(2024, 10, 31, 18), 0, 5, "due_in"},
      {"both working days and hours", kUnset, 3, 5, "due_in"},
      {"negative working days", kUnset, -1, 0, "due_in.working_days"},
      {"too many working days", kUnset, 366 * 3 + 1, 0, "due_in.working_days"},
      {"negative hours", kUnset, 0, -4, "due_in.hours"},
      {"too many hours", kUnset, 0, 24 * 366 + 1, "due_in.hours"},
      {"a time in the past", Local(2024, 9, 26, 18), 0, 0, "ticket.due_time"},
      {"a time exactly now", BeforeNationalDay(), 0, 0, "ticket.due_time"},
      {"a time more than 5 years ahead", Local(2030, 1, 1), 0, 0, "ticket.due_time"},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<std::optional<Deadline>> due = Resolve(c.at, c.working_days, c.hours);
    ASSERT_FALSE(due.ok()) << c.label << " was resolved";
    EXPECT_EQ(due.status().code(), absl::StatusCode::kInvalidArgument) << c.label;
    EXPECT_THAT(BadRequestFields(due.status()), ElementsAre(c.field)) << c.label;
  }
}

TEST_F(DeadlinesTest, TheLargestSpansAreAccepted) {
  EXPECT_TRUE(Resolve(kUnset, 366 * 3, 0).ok());
  EXPECT_TRUE(Resolve(kUnset, 0, 24 * 366).ok());
}

TEST_F(DeadlinesTest, WorkingDaysFromNowRecordsItsBasis) {
  const Deadline due = WorkingDaysFromNow(world_.ContextFor(world_.leader, BeforeNationalDay()), 2);
  EXPECT_EQ(due.time, Local(2024, 10, 1)) << "the end of Monday 09-30";
  EXPECT_EQ(due.basis.working_days(), 2);
  EXPECT_EQ(due.basis.calendar_version(), 1);
  EXPECT_EQ(TimeOf(due.basis.counted_from()), BeforeNationalDay());
  EXPECT_FALSE(due.basis.weekends_only());
}

TEST_F(DeadlinesTest, StoredDeadlineReadsBackTimeAndBasis) {
  v1::DeadlineBasis basis;
  basis.set_working_days(4);
  basis.set_calendar_version(3);
  const Deadline stored = StoredDeadline(ToTimestamp(Local(2024, 10, 9)), basis);
  EXPECT_TRUE(stored.set());
  EXPECT_EQ(stored.time, Local(2024, 10, 9));
  EXPECT_EQ(stored.basis.working_days(), 4);
  EXPECT_FALSE(StoredDeadline(google::protobuf::Timestamp(), basis).set());
}

}  // namespace
}  // namespace duban
