// The performance ledger (ledger.h): the charging rule, the office's
// deductions, veto failures and reversals, and the ledger policy.
#include "domain/ledger.h"

#include <string>
#include <vector>

#include "base/time_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"
#include "tests/support/fake_directory.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::ErrorMetadata;
using ::duban::testing::FakeDirectory;
using ::duban::testing::Friday;
using ::duban::testing::Local;
using ::duban::testing::MakeCaller;
using ::duban::testing::Shanghai;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A charge as (unit, role, points, veto_failed, veto_cleared), for
// comparing whole lists.
struct ChargeView {
  std::string unit;
  v1::ChargeRole role;
  std::string points;
  bool veto_failed = false;
  bool veto_cleared = false;
  bool operator==(const ChargeView&) const = default;
};

std::ostream& operator<<(std::ostream& out, const ChargeView& c) {
  return out << "{" << c.unit << " " << v1::ChargeRole_Name(c.role) << " " << c.points
             << (c.veto_failed ? " failed" : "") << (c.veto_cleared ? " cleared" : "") << "}";
}

template <typename Charges>
std::vector<ChargeView> View(const Charges& charges) {
  std::vector<ChargeView> views;
  for (const v1::Charge& c : charges) {
    views.push_back({c.unit(), c.role(), c.points(), c.veto_failed(), c.veto_cleared()});
  }
  return views;
}

constexpr v1::ChargeRole kLead = v1::CHARGE_ROLE_LEAD;
constexpr v1::ChargeRole kCooperating = v1::CHARGE_ROLE_COOPERATING;

// The performance office at work on Friday 2024-03-15 under `policy`.
class LedgerTest : public ::testing::Test {
 protected:
  LedgerTest() : policy_(DefaultLedgerPolicy()) { policy_.set_version(4); }

  LedgerContext Context(const std::string& name = "ledgerEntries/9") const {
    return LedgerContext{.caller = MakeCaller("sun", v1::ROLE_PERFORMANCE_OFFICE, "jixiao"),
                         .now = Friday(),
                         .zone = Shanghai(),
                         .policy = &policy_,
                         .indicators = &indicators_,
                         .name = name};
  }

  v1::Indicator Renju() const { return *indicators_.FindIndicator("indicators/renju"); }

  static v1::CreateDeductionRequest Deduction(const std::string& points) {
    v1::CreateDeductionRequest request;
    request.set_indicator("indicators/renju");
    request.set_points(points);
    request.set_period("2024");
    request.set_reason("人居环境整治暗访发现问题");
    request.set_source_ticket("tickets/12");
    request.add_evidence("photos/2024-03-14-001");
    return request;
  }

  static v1::FailVetoRequest VetoFailure() {
    v1::FailVetoRequest request;
    request.set_indicator("indicators/gengdi");
    request.set_period("2024");
    request.set_reason("违法占用耕地");
    request.add_evidence("reports/ziran-2024-7");
    return request;
  }

  static v1::ReverseLedgerEntryRequest Reversal() {
    v1::ReverseLedgerEntryRequest request;
    request.set_name("ledgerEntries/9");
    request.set_reason("复核后撤销");
    return request;
  }

  v1::LedgerPolicy policy_;
  FakeDirectory indicators_;
};

TEST_F(LedgerTest, DefaultPolicyIsThreeAndSeventyPercent) {
  const v1::LedgerPolicy policy = DefaultLedgerPolicy();
  EXPECT_EQ(policy.lead_multiplier(), "3");
  EXPECT_EQ(policy.cooperating_ratio(), "0.7");
  EXPECT_EQ(policy.base_points(), "100");
  EXPECT_TRUE(policy.deduct_on_referral());
  EXPECT_EQ(policy.referral_deduction(), "1");
  EXPECT_FALSE(policy.deduct_on_late_close());
  EXPECT_EQ(policy.late_close_deduction(), "0.5");
  EXPECT_TRUE(ValidateLedgerPolicy(policy).ok());
}

TEST_F(LedgerTest, DeductionChargesTheLeadThreeTimesAndEachCooperatingUnitSeventyPercent) {
  struct Case {
    const char* d;
    const char* multiplier;
    const char* ratio;
    const char* lead;
    const char* cooperating;
  } cases[] = {
      {"2", "3", "0.7", "-6", "-4.2"},        {"1", "3", "0.7", "-3", "-2.1"},
      {"0.33", "3", "0.7", "-0.99", "-0.69"},  // 0.693 rounded
      {"0.5", "3", "0.7", "-1.5", "-1.05"},   {"0.01", "3", "0.7", "-0.03", "-0.02"},  // 0.021
      {"8", "3", "0.7", "-24", "-16.8"},      {"2", "2", "0.5", "-4", "-2"},
      {"2", "1.5", "0", "-3", "0"},
  };
  for (const Case& c : cases) {
    v1::LedgerPolicy policy = DefaultLedgerPolicy();
    policy.set_lead_multiplier(c.multiplier);
    policy.set_cooperating_ratio(c.ratio);
    const Points d = *Points::Parse(c.d, "d");
    EXPECT_THAT(View(DeductionCharges(Renju(), d, policy)),
                ElementsAre(ChargeView{"units/nongye", kLead, c.lead},
                            ChargeView{"units/ziran", kCooperating, c.cooperating},
                            ChargeView{"units/chengguan", kCooperating, c.cooperating}))
        << "D=" << c.d << " ×" << c.multiplier << " ratio " << c.ratio;
  }
}

TEST_F(LedgerTest, AnIndicatorWithoutCooperatingUnitsChargesOnlyItsLead) {
  v1::Indicator alone = Renju();
  alone.clear_cooperating_units();
  EXPECT_THAT(View(DeductionCharges(alone, Points::FromHundredths(200), DefaultLedgerPolicy())),
              ElementsAre(ChargeView{"units/nongye", kLead, "-6"}));
}

TEST_F(LedgerTest, NewDeductionRecordsTheChargesAndThePolicyBehindThem) {
  absl::StatusOr<v1::LedgerEntry> entry = NewDeduction(Deduction("2"), Context());
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->name(), "ledgerEntries/9");
  EXPECT_EQ(entry->kind(), v1::LEDGER_ENTRY_KIND_DEDUCTION);
  EXPECT_EQ(entry->indicator(), "indicators/renju");
  EXPECT_EQ(entry->period(), "2024");
  EXPECT_EQ(entry->county_points(), "2");
  EXPECT_THAT(View(entry->charges()),
              ElementsAre(ChargeView{"units/nongye", kLead, "-6"},
                          ChargeView{"units/ziran", kCooperating, "-4.2"},
                          ChargeView{"units/chengguan", kCooperating, "-4.2"}));
  EXPECT_EQ(entry->reason(), "人居环境整治暗访发现问题");
  EXPECT_EQ(entry->source(), v1::LEDGER_SOURCE_MANUAL);
  EXPECT_EQ(entry->source_ticket(), "tickets/12");
  EXPECT_THAT(entry->evidence(), ElementsAre("photos/2024-03-14-001"));
  EXPECT_EQ(entry->reverses(), "");
  EXPECT_EQ(entry->policy_version(), 4);
  EXPECT_EQ(entry->lead_multiplier(), "3");
  EXPECT_EQ(entry->cooperating_ratio(), "0.7");
  EXPECT_EQ(entry->actor(), "principals/sun");
  EXPECT_EQ(FromTimestamp(entry->create_time()), Friday());
}

TEST_F(LedgerTest, AChangedPolicyChargesNewEntriesByItsFigures) {
  policy_.set_lead_multiplier("2");
  policy_.set_cooperating_ratio("0.5");
  policy_.set_version(5);
  absl::StatusOr<v1::LedgerEntry> entry = NewDeduction(Deduction("2"), Context());
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_THAT(View(entry->charges()),
              ElementsAre(ChargeView{"units/nongye", kLead, "-4"},
                          ChargeView{"units/ziran", kCooperating, "-2"},
                          ChargeView{"units/chengguan", kCooperating, "-2"}));
  EXPECT_EQ(entry->policy_version(), 5);
  EXPECT_EQ(entry->lead_multiplier(), "2");
  EXPECT_EQ(entry->cooperating_ratio(), "0.5");
}

TEST_F(LedgerTest, NewDeductionAcceptsTheIndicatorsFullPointsAndDefaultsThePeriod) {
  v1::CreateDeductionRequest request = Deduction("8");
  request.clear_period();
  request.clear_source_ticket();
  request.clear_evidence();
  absl::StatusOr<v1::LedgerEntry> entry = NewDeduction(request, Context());
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->county_points(), "8");
  EXPECT_EQ(entry->period(), "2024") << "the current year in the county's zone";
  EXPECT_EQ(entry->source_ticket(), "");
}

TEST_F(LedgerTest, NewDeductionRefusesBadFieldsNamingEach) {
  struct Case {
    const char* name;
    void (*mutate)(v1::CreateDeductionRequest&);
    std::vector<std::string> fields;
  } cases[] = {
      {"unknown indicator", [](auto& r) { r.set_indicator("indicators/nosuch"); }, {"indicator"}},
      {"not an indicator name", [](auto& r) { r.set_indicator("renju"); }, {"indicator"}},
      {"no indicator", [](auto& r) { r.clear_indicator(); }, {"indicator"}},
      {"points 0", [](auto& r) { r.set_points("0"); }, {"points"}},
      {"negative points", [](auto& r) { r.set_points("-1"); }, {"points"}},
      {"more than the indicator's 8", [](auto& r) { r.set_points("8.01"); }, {"points"}},
      {"three decimals", [](auto& r) { r.set_points("1.234"); }, {"points"}},
      {"no points", [](auto& r) { r.clear_points(); }, {"points"}},
      {"points not a number", [](auto& r) { r.set_points("two"); }, {"points"}},
      {"period before 2000", [](auto& r) { r.set_period("1999"); }, {"period"}},
      {"period after 2200", [](auto& r) { r.set_period("2201"); }, {"period"}},
      {"period not a year", [](auto& r) { r.set_period("24"); }, {"period"}},
      {"period a month", [](auto& r) { r.set_period("2024-03"); }, {"period"}},
      {"no reason", [](auto& r) { r.clear_reason(); }, {"reason"}},
      {"control character in reason", [](auto& r) { r.set_reason("a\x01b"); }, {"reason"}},
      {"bad source ticket", [](auto& r) { r.set_source_ticket("ticket/12"); }, {"source_ticket"}},
      {"several at once",
       [](auto& r) {
         r.set_points("0");
         r.clear_reason();
         r.set_period("1999");
       },
       {"points", "period", "reason"}},
  };
  for (const auto& c : cases) {
    v1::CreateDeductionRequest request = Deduction("2");
    c.mutate(request);
    absl::StatusOr<v1::LedgerEntry> entry = NewDeduction(request, Context());
    EXPECT_EQ(entry.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    // Every bad field is named; the order is not part of the contract.
    std::vector<std::string> named = BadRequestFields(entry.status());
    std::vector<std::string> expected = c.fields;
    std::sort(named.begin(), named.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(named, expected) << c.name;
  }
}

TEST_F(LedgerTest, NewVetoFailureFailsTheIndicatorsUnitsWithoutPoints) {
  absl::StatusOr<v1::LedgerEntry> entry = NewVetoFailure(VetoFailure(), Context());
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->kind(), v1::LEDGER_ENTRY_KIND_VETO_FAILURE);
  EXPECT_EQ(entry->indicator(), "indicators/gengdi");
  EXPECT_EQ(entry->period(), "2024");
  EXPECT_THAT(View(entry->charges()),
              ElementsAre(ChargeView{"units/ziran", kLead, "0", true},
                          ChargeView{"units/nongye", kCooperating, "0", true}));
  EXPECT_EQ(entry->source(), v1::LEDGER_SOURCE_MANUAL);
  EXPECT_THAT(entry->evidence(), ElementsAre("reports/ziran-2024-7"));
  EXPECT_EQ(entry->policy_version(), 4);
}

TEST_F(LedgerTest, NewVetoFailureRefusesANonVetoIndicator) {
  v1::FailVetoRequest request = VetoFailure();
  request.set_indicator("indicators/renju");
  absl::StatusOr<v1::LedgerEntry> entry = NewVetoFailure(request, Context());
  EXPECT_EQ(entry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(entry.status()), "NOT_A_VETO_INDICATOR");
}

TEST_F(LedgerTest, NewVetoFailureRefusesBadFieldsNamingEach) {
  struct Case {
    const char* name;
    void (*mutate)(v1::FailVetoRequest&);
    std::vector<std::string> fields;
  } cases[] = {
      {"no evidence", [](auto& r) { r.clear_evidence(); }, {"evidence"}},
      {"unknown indicator", [](auto& r) { r.set_indicator("indicators/nosuch"); }, {"indicator"}},
      {"bad period", [](auto& r) { r.set_period("20x4"); }, {"period"}},
      {"no reason", [](auto& r) { r.clear_reason(); }, {"reason"}},
      {"bad source ticket", [](auto& r) { r.set_source_ticket("tickets/x"); }, {"source_ticket"}},
  };
  for (const auto& c : cases) {
    v1::FailVetoRequest request = VetoFailure();
    c.mutate(request);
    absl::StatusOr<v1::LedgerEntry> entry = NewVetoFailure(request, Context());
    EXPECT_EQ(entry.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(BadRequestFields(entry.status()), c.fields) << c.name;
  }
}

TEST_F(LedgerTest, NewReversalNegatesEveryChargeUnderTheOriginalsPolicy) {
  absl::StatusOr<v1::LedgerEntry> original = NewDeduction(Deduction("2"), Context());
  ASSERT_TRUE(original.ok()) << original.status();
  // The policy has changed since: the reversal undoes what was charged.
  policy_.set_lead_multiplier("2");
  policy_.set_cooperating_ratio("0.5");
  policy_.set_version(6);

  absl::StatusOr<v1::LedgerEntry> reversal =
      NewReversal(*original, "", Reversal(), Context("ledgerEntries/10"));
  ASSERT_TRUE(reversal.ok()) << reversal.status();
  EXPECT_EQ(reversal->name(), "ledgerEntries/10");
  EXPECT_EQ(reversal->kind(), v1::LEDGER_ENTRY_KIND_REVERSAL);
  EXPECT_EQ(reversal->reverses(), "ledgerEntries/9");
  EXPECT_EQ(reversal->indicator(), "indicators/renju");
  EXPECT_EQ(reversal->period(), "2024");
  EXPECT_EQ(reversal->county_points(), "-2");
  EXPECT_THAT(View(reversal->charges()),
              ElementsAre(ChargeView{"units/nongye", kLead, "6"},
                          ChargeView{"units/ziran", kCooperating, "4.2"},
                          ChargeView{"units/chengguan", kCooperating, "4.2"}));
  EXPECT_EQ(reversal->policy_version(), 4);
  EXPECT_EQ(reversal->lead_multiplier(), "3");
  EXPECT_EQ(reversal->cooperating_ratio(), "0.7");
  EXPECT_EQ(reversal->reason(), "复核后撤销");
  EXPECT_EQ(reversal->source_ticket(), "tickets/12");
  EXPECT_EQ(reversal->actor(), "principals/sun");
}

TEST_F(LedgerTest, ReversingAVetoFailureClearsIt) {
  absl::StatusOr<v1::LedgerEntry> original = NewVetoFailure(VetoFailure(), Context());
  ASSERT_TRUE(original.ok()) << original.status();
  absl::StatusOr<v1::LedgerEntry> reversal =
      NewReversal(*original, "", Reversal(), Context("ledgerEntries/10"));
  ASSERT_TRUE(reversal.ok()) << reversal.status();
  EXPECT_THAT(View(reversal->charges()),
              ElementsAre(ChargeView{"units/ziran", kLead, "0", false, true},
                          ChargeView{"units/nongye", kCooperating, "0", false, true}));
  EXPECT_EQ(reversal->county_points(), "");
}

TEST_F(LedgerTest, NewReversalRefusesAReversalASecondReversalAndNoReason) {
  absl::StatusOr<v1::LedgerEntry> original = NewDeduction(Deduction("2"), Context());
  ASSERT_TRUE(original.ok()) << original.status();
  absl::StatusOr<v1::LedgerEntry> reversal =
      NewReversal(*original, "", Reversal(), Context("ledgerEntries/10"));
  ASSERT_TRUE(reversal.ok()) << reversal.status();

  absl::StatusOr<v1::LedgerEntry> again =
      NewReversal(*original, "ledgerEntries/10", Reversal(), Context("ledgerEntries/11"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(again.status()), "ALREADY_REVERSED");
  EXPECT_EQ(ErrorMetadata(again.status(), "reversed_by"), "ledgerEntries/10");

  absl::StatusOr<v1::LedgerEntry> of_reversal =
      NewReversal(*reversal, "", Reversal(), Context("ledgerEntries/11"));
  EXPECT_EQ(of_reversal.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(of_reversal.status()), "REVERSAL_NOT_REVERSIBLE");

  v1::ReverseLedgerEntryRequest no_reason = Reversal();
  no_reason.clear_reason();
  absl::StatusOr<v1::LedgerEntry> unexplained =
      NewReversal(*original, "", no_reason, Context("ledgerEntries/11"));
  EXPECT_EQ(unexplained.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadRequestFields(unexplained.status()), ElementsAre("reason"));
}

TEST_F(LedgerTest, ValidateLedgerPolicyNamesEachBadNumber) {
  struct Case {
    const char* name;
    void (*mutate)(v1::LedgerPolicy&);
    std::vector<std::string> fields;
  } cases[] = {
      {"default", [](v1::LedgerPolicy&) {}, {}},
      {"limits",
       [](v1::LedgerPolicy& p) {
         p.set_lead_multiplier("100");
         p.set_cooperating_ratio("10");
         p.set_base_points("10000");
         p.set_referral_deduction("1000");
         p.set_late_close_deduction("0");
       },
       {}},
      {"multiplier over 100",
       [](auto& p) { p.set_lead_multiplier("100.01"); },
       {"policy.lead_multiplier"}},
      {"negative ratio",
       [](auto& p) { p.set_cooperating_ratio("-0.1"); },
       {"policy.cooperating_ratio"}},
      {"ratio over 10",
       [](auto& p) { p.set_cooperating_ratio("11"); },
       {"policy.cooperating_ratio"}},
      {"base not a number", [](auto& p) { p.set_base_points("abc"); }, {"policy.base_points"}},
      {"three decimals",
       [](auto& p) { p.set_referral_deduction("0.125"); },
       {"policy.referral_deduction"}},
      {"empty", [](auto& p) { p.set_late_close_deduction(""); }, {"policy.late_close_deduction"}},
      {"two bad",
       [](auto& p) {
         p.set_lead_multiplier("-3");
         p.set_base_points("10000.01");
       },
       {"policy.lead_multiplier", "policy.base_points"}},
  };
  for (const auto& c : cases) {
    v1::LedgerPolicy policy = DefaultLedgerPolicy();
    c.mutate(policy);
    const absl::Status status = ValidateLedgerPolicy(policy);
    EXPECT_EQ(status.ok(), c.fields.empty()) << c.name << ": " << status;
    EXPECT_EQ(BadRequestFields(status), c.fields) << c.name;
  }
}

TEST_F(LedgerTest, PeriodsAreYearsInTheCountysZone) {
  EXPECT_EQ(CurrentPeriod(Friday(), Shanghai()), "2024");
  // 00:30 on New Year's Day in Shanghai is still the old year in UTC.
  const absl::Time new_year = Local(2025, 1, 1, 0, 30);
  EXPECT_EQ(CurrentPeriod(new_year, Shanghai()), "2025");
  EXPECT_EQ(CurrentPeriod(new_year, absl::UTCTimeZone()), "2024");

  for (const char* good : {"2000", "2024", "2200"}) {
    EXPECT_TRUE(ValidatePeriod("period", good).ok()) << good;
  }
  for (const char* bad : {"", "1999", "2201", "24", "02024", "2024-1", "abcd"}) {
    const absl::Status status = ValidatePeriod("filter.period", bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(BadRequestFields(status), ElementsAre("filter.period")) << bad;
  }
}

TEST_F(LedgerTest, LedgerQueriesParseAndMatch) {
  absl::StatusOr<LedgerQuery> query =
      ParseLedgerQuery("period=2024 AND indicator=indicators/renju AND unit=units/ziran");
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->period, "2024");
  EXPECT_EQ(query->indicator, "indicators/renju");
  EXPECT_EQ(query->unit, "units/ziran");

  absl::StatusOr<v1::LedgerEntry> entry = NewDeduction(Deduction("1"), Context());
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_TRUE(query->Matches(*entry));
  EXPECT_TRUE(LedgerQuery{}.Matches(*entry));
  EXPECT_FALSE(LedgerQuery{.period = "2025"}.Matches(*entry));
  EXPECT_FALSE(LedgerQuery{.indicator = "indicators/gengdi"}.Matches(*entry));
  EXPECT_FALSE(LedgerQuery{.unit = "units/tongji"}.Matches(*entry));
  EXPECT_TRUE(LedgerQuery{.unit = "units/chengguan"}.Matches(*entry));

  for (const char* bad : {"period=24", "indicator=renju", "unit=nongye", "kind=DEDUCTION"}) {
    absl::StatusOr<LedgerQuery> refused = ParseLedgerQuery(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(LedgerTest, EntryNamesRoundTrip) {
  EXPECT_EQ(LedgerEntryName(42), "ledgerEntries/42");
  absl::StatusOr<uint64_t> id = ParseLedgerEntryName("ledgerEntries/42", "name");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, 42u);
  for (const char* bad : {"", "ledgerEntries/", "ledgerEntries/0", "ledgerEntries/x", "ledger/42",
                          "ledgerEntries/042"}) {
    absl::StatusOr<uint64_t> refused = ParseLedgerEntryName(bad, "name");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace duban
