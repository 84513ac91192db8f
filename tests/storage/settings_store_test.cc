// SettingsStore (storage/settings_store.h): the escalation policy and the
// calendar years, their versions, retries, reopening, and the snapshots
// readers hold.
#include "storage/settings_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/time_convert.h"
#include "domain/escalation_policy.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/scratch_dir.h"

namespace duban::storage {
namespace {

class SettingsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    ASSERT_OK_AND_ASSIGN(database_, OpenTestDatabase(scratch_.path() + "/db"));
    absl::StatusOr<std::unique_ptr<SettingsStore>> settings =
        SettingsStore::Open(database_.get(), Shanghai(), now_);
    ASSERT_TRUE(settings.ok()) << settings.status();
    settings_ = *std::move(settings);
  }

  void Reopen() {
    settings_.reset();
    database_.reset();
    Open();
  }

  absl::StatusOr<v1::EscalationPolicy> SetSignForDays(int days, const RequestKey& key = {}) {
    return settings_->PutPolicy(key, now_, [&](const v1::EscalationPolicy& current) {
      v1::EscalationPolicy next = current;
      next.mutable_stage_clocks()->set_sign_for_days(days);
      return absl::StatusOr<v1::EscalationPolicy>(next);
    });
  }

  static v1::CalendarYear Year(int year, std::vector<std::string> holidays,
                               std::vector<std::string> makeup = {}) {
    v1::CalendarYear data;
    data.set_year(year);
    for (std::string& day : holidays) data.add_holidays(std::move(day));
    for (std::string& day : makeup) data.add_makeup_workdays(std::move(day));
    return data;
  }

  static std::vector<int> YearsOf(const v1::Calendar& calendar) {
    std::vector<int> years;
    for (const v1::CalendarYear& year : calendar.years()) years.push_back(year.year());
    return years;
  }

  duban::testing::ScratchDir scratch_;
  absl::Time now_ = TestStart();
  std::unique_ptr<Database> database_;
  std::unique_ptr<SettingsStore> settings_;
};

TEST_F(SettingsStoreTest, NewStoreHasTheDefaultPolicyAndShippedCalendarAtVersionOne) {
  const std::shared_ptr<const v1::EscalationPolicy> policy = settings_->policy();
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(policy->version(), 1);
  EXPECT_EQ(policy->etag(), "1");
  EXPECT_EQ(FromTimestamp(policy->update_time()), now_);
  v1::EscalationPolicy bare = *policy;
  bare.clear_version();
  bare.clear_etag();
  bare.clear_update_time();
  EXPECT_EQ(bare.SerializeAsString(), DefaultEscalationPolicy().SerializeAsString());

  const v1::Calendar data = settings_->calendar_data();
  EXPECT_EQ(data.version(), 1);
  EXPECT_EQ(data.time_zone(), "Asia/Shanghai");
  EXPECT_EQ(YearsOf(data), (std::vector<int>{2023, 2024, 2025, 2026}));
  for (const v1::CalendarYear& year : data.years()) {
    EXPECT_EQ(year.version(), 1) << year.year();
    EXPECT_FALSE(year.holidays().empty()) << year.year();
  }
  const std::shared_ptr<const WorkCalendar> calendar = settings_->calendar();
  ASSERT_NE(calendar, nullptr);
  EXPECT_EQ(calendar->version(), 1);
  for (int year : {2023, 2024, 2025, 2026}) EXPECT_TRUE(calendar->HasYear(year)) << year;
  EXPECT_FALSE(calendar->HasYear(2027));
  EXPECT_FALSE(calendar->IsWorkingDay(absl::CivilDay(2025, 10, 2)));  // National Day
  EXPECT_TRUE(calendar->IsWorkingDay(absl::CivilDay(2025, 9, 28)));   // a Sunday worked

  // Reopening later keeps what was stored rather than writing defaults anew.
  now_ += absl::Hours(48);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(settings_->policy()->SerializeAsString(), policy->SerializeAsString());
  EXPECT_EQ(settings_->calendar_data().SerializeAsString(), data.SerializeAsString());
}

TEST_F(SettingsStoreTest, PutPolicyBumpsVersionAndEtagAndPersists) {
  struct Case {
    int sign_for_days;
    int64_t version;
  };
  const Case cases[] = {{2, 2}, {3, 3}, {1, 4}};
  for (const Case& c : cases) {
    now_ += absl::Minutes(10);
    const int64_t seen_version = settings_->policy()->version();
    ASSERT_OK_AND_ASSIGN(v1::EscalationPolicy put, SetSignForDays(c.sign_for_days));
    EXPECT_EQ(put.version(), c.version);
    EXPECT_EQ(put.version(), seen_version + 1);
    EXPECT_EQ(put.etag(), absl::StrCat(c.version));
    EXPECT_EQ(FromTimestamp(put.update_time()), now_);
    EXPECT_EQ(put.stage_clocks().sign_for_days(), c.sign_for_days);
    EXPECT_EQ(settings_->policy()->SerializeAsString(), put.SerializeAsString());
  }
  const std::string last = settings_->policy()->SerializeAsString();
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(settings_->policy()->SerializeAsString(), last);
  EXPECT_EQ(settings_->policy()->version(), 4);
}

TEST_F(SettingsStoreTest, RefusedPolicyWritesNothing) {
  absl::StatusOr<v1::EscalationPolicy> refused = settings_->PutPolicy(
      RequestKey{}, now_, [](const v1::EscalationPolicy&) -> absl::StatusOr<v1::EscalationPolicy> {
        return absl::InvalidArgumentError("policy.stage_clocks.sign_for_days: must be 1..60");
      });
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(settings_->policy()->version(), 1);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(settings_->policy()->version(), 1);
}

TEST_F(SettingsStoreTest, PutCalendarYearsReplacesOnlyTheGivenYears) {
  const v1::Calendar before = settings_->calendar_data();
  now_ += absl::Hours(1);
  ASSERT_OK_AND_ASSIGN(v1::Calendar put, settings_->PutCalendarYears(RequestKey{}, now_,
                                                                     {Year(2025, {"2025-10-01"}),
                                                                      Year(2026, {"2026-01-01"})}));
  EXPECT_EQ(put.version(), 2);
  EXPECT_EQ(YearsOf(put), (std::vector<int>{2023, 2024, 2025, 2026}));
  // 2023 and 2024 are as they were, version 1 and all.
  EXPECT_EQ(put.years(0).SerializeAsString(), before.years(0).SerializeAsString());
  EXPECT_EQ(put.years(1).SerializeAsString(), before.years(1).SerializeAsString());
  for (int i : {2, 3}) {
    EXPECT_EQ(put.years(i).version(), 2) << put.years(i).year();
    EXPECT_EQ(FromTimestamp(put.years(i).update_time()), now_) << put.years(i).year();
    EXPECT_EQ(put.years(i).holidays_size(), 1) << put.years(i).year();
    EXPECT_TRUE(put.years(i).makeup_workdays().empty()) << put.years(i).year();
  }
  EXPECT_EQ(settings_->calendar_data().SerializeAsString(), put.SerializeAsString());

  const std::shared_ptr<const WorkCalendar> calendar = settings_->calendar();
  EXPECT_EQ(calendar->version(), 2);
  EXPECT_TRUE(calendar->HasYear(2026));
  EXPECT_FALSE(calendar->IsWorkingDay(absl::CivilDay(2025, 10, 1)));
  EXPECT_TRUE(calendar->IsWorkingDay(absl::CivilDay(2025, 10, 2)));   // no longer a holiday
  EXPECT_FALSE(calendar->IsWorkingDay(absl::CivilDay(2025, 9, 28)));  // no longer worked
  EXPECT_FALSE(calendar->IsWorkingDay(absl::CivilDay(2024, 10, 1)));  // 2024 untouched

  // Another put bumps the version again, whichever years it names.
  ASSERT_OK_AND_ASSIGN(v1::Calendar again,
                       settings_->PutCalendarYears(RequestKey{}, now_, {Year(2023, {})}));
  EXPECT_EQ(again.version(), 3);
  EXPECT_EQ(again.years(0).version(), 3);
  EXPECT_EQ(again.years(3).version(), 2);

  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(settings_->calendar_data().SerializeAsString(), again.SerializeAsString());
  EXPECT_EQ(settings_->calendar()->version(), 3);
  EXPECT_TRUE(settings_->calendar()->IsWorkingDay(absl::CivilDay(2025, 10, 2)));
}

// A mutation retried with its request id gets the first answer back and
// changes nothing more — before and after a restart.
TEST_F(SettingsStoreTest, RetryWithTheSameRequestIdReturnsTheFirstAnswer) {
  const RequestKey policy_key{
      .principal = "principals/admin", .request_id = "policy-1", .fingerprint = "p"};
  const RequestKey calendar_key{
      .principal = "principals/admin", .request_id = "calendar-1", .fingerprint = "c"};
  ASSERT_OK_AND_ASSIGN(v1::EscalationPolicy first_policy, SetSignForDays(5, policy_key));
  ASSERT_OK_AND_ASSIGN(v1::Calendar first_calendar,
                       settings_->PutCalendarYears(calendar_key, now_, {Year(2026, {})}));

  for (bool reopen : {false, true}) {
    if (reopen) {
      ASSERT_NO_FATAL_FAILURE(Reopen());
    }
    const std::string what = reopen ? "after reopening" : "before reopening";
    int calls = 0;
    ASSERT_OK_AND_ASSIGN(v1::EscalationPolicy retried_policy,
                         settings_->PutPolicy(policy_key, now_, [&](const v1::EscalationPolicy&) {
                           ++calls;
                           return absl::StatusOr<v1::EscalationPolicy>(v1::EscalationPolicy());
                         }));
    EXPECT_EQ(calls, 0) << what;
    EXPECT_EQ(retried_policy.SerializeAsString(), first_policy.SerializeAsString()) << what;
    EXPECT_EQ(settings_->policy()->SerializeAsString(), first_policy.SerializeAsString()) << what;

    ASSERT_OK_AND_ASSIGN(v1::Calendar retried_calendar,
                         settings_->PutCalendarYears(calendar_key, now_, {Year(2027, {})}));
    EXPECT_EQ(retried_calendar.SerializeAsString(), first_calendar.SerializeAsString()) << what;
    EXPECT_EQ(settings_->calendar_data().version(), 2) << what;
    EXPECT_FALSE(settings_->calendar()->HasYear(2027)) << what;
  }
  // The same id for something else is refused.
  const RequestKey reused{
      .principal = "principals/admin", .request_id = "policy-1", .fingerprint = "other"};
  EXPECT_EQ(SetSignForDays(7, reused).status().code(), absl::StatusCode::kInvalidArgument);
}

// Readers keep the snapshot they took; a later put makes a new one.
TEST_F(SettingsStoreTest, SnapshotsHeldByReadersDoNotChange) {
  const std::shared_ptr<const WorkCalendar> held_calendar = settings_->calendar();
  const std::shared_ptr<const v1::EscalationPolicy> held_policy = settings_->policy();
  const std::string held_policy_bytes = held_policy->SerializeAsString();
  ASSERT_TRUE(settings_->PutCalendarYears(RequestKey{}, now_, {Year(2025, {})}).ok());
  ASSERT_TRUE(SetSignForDays(9).ok());

  EXPECT_EQ(held_calendar->version(), 1);
  EXPECT_FALSE(held_calendar->IsWorkingDay(absl::CivilDay(2025, 10, 2)));
  EXPECT_EQ(held_policy->SerializeAsString(), held_policy_bytes);
  EXPECT_EQ(settings_->calendar()->version(), 2);
  EXPECT_TRUE(settings_->calendar()->IsWorkingDay(absl::CivilDay(2025, 10, 2)));
  EXPECT_EQ(settings_->policy()->stage_clocks().sign_for_days(), 9);
}

// While puts go on, every snapshot a reader takes is whole (its version
// matches its data), and versions never go back.
TEST_F(SettingsStoreTest, ConcurrentReadersSeeWholeSnapshotsInOrder) {
  constexpr int kPuts = 4;
  std::atomic<bool> done = false;
  // What the reader's last snapshot held, checked once it has stopped.
  int64_t final_calendar_version = 0;
  v1::Calendar final_data;
  std::thread reader([&] {
    int64_t last_version = 0;
    bool saw_last = false;
    while (!saw_last) {
      const bool finished = done.load();
      const std::shared_ptr<const WorkCalendar> calendar = settings_->calendar();
      const v1::Calendar data = settings_->calendar_data();
      EXPECT_GE(calendar->version(), last_version);
      last_version = calendar->version();
      // Put n (version n + 1) loads year 2026 + n.
      for (int64_t version = 2; version <= kPuts + 1; ++version) {
        EXPECT_EQ(calendar->HasYear(2026 + static_cast<int>(version) - 1), version <= last_version)
            << "calendar version " << last_version;
      }
      EXPECT_GE(data.version(), 1);
      EXPECT_EQ(data.years_size(), 4 + static_cast<int>(data.version()) - 1);
      saw_last = last_version == kPuts + 1 || (finished && last_version >= kPuts + 1);
      final_calendar_version = last_version;
      final_data = data;
      if (finished && !saw_last) {
        ADD_FAILURE() << "the last put never showed; saw version " << last_version;
        break;
      }
    }
  });
  for (int n = 1; n <= kPuts; ++n) {
    EXPECT_TRUE(settings_->PutCalendarYears(RequestKey{}, now_, {Year(2026 + n, {})}).ok()) << n;
  }
  done = true;
  reader.join();
  // The reader stopped on the last put: calendar version 1 + kPuts, holding
  // the four shipped years and the one year each put added.
  EXPECT_EQ(final_calendar_version, kPuts + 1);
  EXPECT_EQ(final_data.version(), kPuts + 1);
  EXPECT_EQ(YearsOf(final_data),
            (std::vector<int>{2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030}));
  EXPECT_EQ(settings_->calendar()->version(), kPuts + 1);
}

}  // namespace
}  // namespace duban::storage
