// SettingsStore and the ledger policy: the default at version 1, versioned
// updates, retries, refusals, reopening, and the snapshots readers hold.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "base/time_convert.h"
#include "domain/escalation_policy.h"
#include "domain/ledger.h"
#include "storage/settings_store.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/scratch_dir.h"

namespace duban::storage {
namespace {

class SettingsLedgerPolicyTest : public ::testing::Test {
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

  // Sets the multiplier and ratio, validating as the service does.
  absl::StatusOr<v1::LedgerPolicy> SetCharging(const std::string& multiplier,
                                               const std::string& ratio,
                                               const RequestKey& key = {}) {
    return settings_->PutLedgerPolicy(
        key, now_, [&](const v1::LedgerPolicy& current) -> absl::StatusOr<v1::LedgerPolicy> {
          ++writes_;
          v1::LedgerPolicy next = current;
          next.set_lead_multiplier(multiplier);
          next.set_cooperating_ratio(ratio);
          if (absl::Status valid = ValidateLedgerPolicy(next); !valid.ok()) return valid;
          return next;
        });
  }

  duban::testing::ScratchDir scratch_;
  absl::Time now_ = TestStart();
  std::unique_ptr<Database> database_;
  std::unique_ptr<SettingsStore> settings_;
  int writes_ = 0;
};

TEST_F(SettingsLedgerPolicyTest, ANewStoreHasTheDefaultPolicyAtVersionOne) {
  const std::shared_ptr<const v1::LedgerPolicy> policy = settings_->ledger_policy();
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(policy->version(), 1);
  EXPECT_EQ(policy->etag(), "1");
  EXPECT_EQ(FromTimestamp(policy->update_time()), now_);
  v1::LedgerPolicy bare = *policy;
  bare.clear_version();
  bare.clear_etag();
  bare.clear_update_time();
  EXPECT_EQ(bare.SerializeAsString(), DefaultLedgerPolicy().SerializeAsString());

  // Stored, not only made up: a reopen later still reads version 1 from
  // the first opening.
  now_ += absl::Hours(5);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(settings_->ledger_policy()->version(), 1);
  EXPECT_EQ(FromTimestamp(settings_->ledger_policy()->update_time()), TestStart());
}

TEST_F(SettingsLedgerPolicyTest, PutLedgerPolicyStoresANewVersion) {
  now_ += absl::Hours(1);
  ASSERT_OK_AND_ASSIGN(v1::LedgerPolicy written, SetCharging("2", "0.5"));
  EXPECT_EQ(written.version(), 2);
  EXPECT_EQ(written.etag(), "2");
  EXPECT_EQ(FromTimestamp(written.update_time()), now_);
  EXPECT_EQ(written.lead_multiplier(), "2");
  EXPECT_EQ(written.cooperating_ratio(), "0.5");
  EXPECT_EQ(written.base_points(), "100") << "what the writer left alone stays";
  EXPECT_EQ(settings_->ledger_policy()->SerializeAsString(), written.SerializeAsString());
  // The escalation policy is a separate record with its own version.
  EXPECT_EQ(settings_->policy()->version(), 1);

  ASSERT_OK_AND_ASSIGN(v1::LedgerPolicy third, SetCharging("3", "0.6"));
  EXPECT_EQ(third.version(), 3);

  ASSERT_NO_FATAL_FAILURE(Reopen());
  const std::shared_ptr<const v1::LedgerPolicy> reopened = settings_->ledger_policy();
  EXPECT_EQ(reopened->SerializeAsString(), third.SerializeAsString());
  EXPECT_EQ(settings_->policy()->version(), 1);
}

TEST_F(SettingsLedgerPolicyTest, ARefusedPolicyChangesNothing) {
  const auto before = Dump(*database_, Family::kSettings);
  const std::string current = settings_->ledger_policy()->SerializeAsString();
  absl::StatusOr<v1::LedgerPolicy> refused = SetCharging("300", "0.7");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Dump(*database_, Family::kSettings) == before);
  EXPECT_EQ(settings_->ledger_policy()->SerializeAsString(), current);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(settings_->ledger_policy()->version(), 1);
}

TEST_F(SettingsLedgerPolicyTest, ARetryReturnsTheFirstAnswer) {
  const RequestKey key{
      .principal = "principals/performance", .request_id = "lp-1", .fingerprint = "f"};
  ASSERT_OK_AND_ASSIGN(v1::LedgerPolicy first, SetCharging("2", "0.5", key));
  ASSERT_OK_AND_ASSIGN(v1::LedgerPolicy again, SetCharging("4", "0.9", key));
  EXPECT_EQ(writes_, 1);
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(settings_->ledger_policy()->version(), 2);
  EXPECT_EQ(settings_->ledger_policy()->lead_multiplier(), "2");
}

TEST_F(SettingsLedgerPolicyTest, AReaderKeepsThePolicyItHolds) {
  const std::shared_ptr<const v1::LedgerPolicy> held = settings_->ledger_policy();
  ASSERT_TRUE(SetCharging("2", "0.5").ok());
  EXPECT_EQ(held->version(), 1);
  EXPECT_EQ(held->lead_multiplier(), "3");
  EXPECT_EQ(settings_->ledger_policy()->version(), 2);
}

}  // namespace
}  // namespace duban::storage
