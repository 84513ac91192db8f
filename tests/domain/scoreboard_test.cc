// The scoreboard of a period and the explanation of one unit's score.
#include "domain/scoreboard.h"

#include <string>
#include <vector>

#include "domain/ledger.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"
#include "tests/support/fake_directory.h"

namespace duban {
namespace {

using ::duban::testing::FakeDirectory;
using ::duban::testing::Friday;
using ::duban::testing::MakeCaller;
using ::duban::testing::Shanghai;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A row as (unit, score, veto_failed), for comparing the order.
struct RowView {
  std::string unit;
  std::string score;
  bool veto_failed;
  bool operator==(const RowView&) const = default;
};

std::ostream& operator<<(std::ostream& out, const RowView& r) {
  return out << "{" << r.unit << " " << r.score << (r.veto_failed ? " failed" : "") << "}";
}

std::vector<RowView> Rows(const v1::Scoreboard& board) {
  std::vector<RowView> rows;
  for (const v1::ScoreRow& row : board.rows()) {
    rows.push_back({row.unit(), row.score(), row.veto_failed()});
  }
  return rows;
}

v1::Unit Unit(const std::string& id, const std::string& display_name) {
  v1::Unit unit;
  unit.set_name("units/" + id);
  unit.set_display_name(display_name);
  return unit;
}

Points Base() { return *Points::Parse(DefaultLedgerPolicy().base_points(), "base"); }

// Ledger entries of 2024 made the way the performance office makes them.
class ScoreboardTest : public ::testing::Test {
 protected:
  ScoreboardTest() : policy_(DefaultLedgerPolicy()) { policy_.set_version(1); }

  LedgerContext Context() {
    return LedgerContext{.caller = MakeCaller("sun", v1::ROLE_PERFORMANCE_OFFICE, "jixiao"),
                         .now = Friday(),
                         .zone = Shanghai(),
                         .policy = &policy_,
                         .indicators = &indicators_,
                         .name = LedgerEntryName(++made_)};
  }

  // D points off renju in `period`: nongye −3D, ziran and chengguan −2.1D.
  v1::LedgerEntry Deduct(const std::string& d, const std::string& period = "2024") {
    v1::CreateDeductionRequest request;
    request.set_indicator("indicators/renju");
    request.set_points(d);
    request.set_period(period);
    request.set_reason("暗访扣分");
    request.set_source_ticket("tickets/3");
    absl::StatusOr<v1::LedgerEntry> entry = NewDeduction(request, Context());
    EXPECT_TRUE(entry.ok()) << entry.status();
    return entry.value_or(v1::LedgerEntry());
  }

  // gengdi failed: ziran (lead) and nongye fail the period.
  v1::LedgerEntry FailGengdi() {
    v1::FailVetoRequest request;
    request.set_indicator("indicators/gengdi");
    request.set_period("2024");
    request.set_reason("违法占用耕地");
    request.add_evidence("reports/1");
    absl::StatusOr<v1::LedgerEntry> entry = NewVetoFailure(request, Context());
    EXPECT_TRUE(entry.ok()) << entry.status();
    return entry.value_or(v1::LedgerEntry());
  }

  v1::LedgerEntry Reverse(const v1::LedgerEntry& original) {
    v1::ReverseLedgerEntryRequest request;
    request.set_name(original.name());
    request.set_reason("复核撤销");
    absl::StatusOr<v1::LedgerEntry> entry = NewReversal(original, "", request, Context());
    EXPECT_TRUE(entry.ok()) << entry.status();
    return entry.value_or(v1::LedgerEntry());
  }

  const std::vector<v1::Unit> units_ = {Unit("nongye", "农业农村局"), Unit("ziran", "自然资源局"),
                                        Unit("chengguan", "城关镇"), Unit("tongji", "统计局")};
  v1::LedgerPolicy policy_;
  FakeDirectory indicators_;
  int made_ = 0;
};

TEST_F(ScoreboardTest, WithoutEntriesEveryUnitHasTheBase) {
  const v1::Scoreboard board = BuildScoreboard("2024", Base(), units_, {});
  EXPECT_EQ(board.period(), "2024");
  // Equal scores: by name.
  EXPECT_THAT(
      Rows(board),
      ElementsAre(RowView{"units/chengguan", "100", false}, RowView{"units/nongye", "100", false},
                  RowView{"units/tongji", "100", false}, RowView{"units/ziran", "100", false}));
  for (const v1::ScoreRow& row : board.rows()) {
    EXPECT_EQ(row.base_points(), "100") << row.unit();
    EXPECT_EQ(row.charged_points(), "0") << row.unit();
    EXPECT_EQ(row.entries(), 0) << row.unit();
    EXPECT_THAT(row.failed_indicators(), IsEmpty()) << row.unit();
  }
  EXPECT_EQ(board.rows(0).display_name(), "城关镇");
}

TEST_F(ScoreboardTest, VetoFailedUnitsComeFirstThenScoreDescending) {
  const std::vector<v1::LedgerEntry> entries = {Deduct("2"), FailGengdi(), Deduct("0.33")};
  const v1::Scoreboard board = BuildScoreboard("2024", Base(), units_, entries);
  // nongye −6 −0.99; ziran and chengguan −4.2 −0.69; ziran and nongye failed gengdi.
  EXPECT_THAT(Rows(board), ElementsAre(RowView{"units/ziran", "95.11", true},
                                       RowView{"units/nongye", "93.01", true},
                                       RowView{"units/tongji", "100", false},
                                       RowView{"units/chengguan", "95.11", false}));
  const v1::ScoreRow& ziran = board.rows(0);
  EXPECT_EQ(ziran.charged_points(), "-4.89");
  EXPECT_EQ(ziran.entries(), 3);
  EXPECT_THAT(ziran.failed_indicators(), ElementsAre("indicators/gengdi"));
  EXPECT_EQ(ziran.display_name(), "自然资源局");
}

TEST_F(ScoreboardTest, AReversedVetoNoLongerFails) {
  const v1::LedgerEntry failure = FailGengdi();
  const std::vector<v1::LedgerEntry> entries = {Deduct("2"), failure, Reverse(failure)};
  const v1::Scoreboard board = BuildScoreboard("2024", Base(), units_, entries);
  EXPECT_THAT(
      Rows(board),
      ElementsAre(RowView{"units/tongji", "100", false}, RowView{"units/chengguan", "95.8", false},
                  RowView{"units/ziran", "95.8", false}, RowView{"units/nongye", "94", false}));
  EXPECT_THAT(board.rows(2).failed_indicators(), IsEmpty());
  EXPECT_EQ(board.rows(2).entries(), 3) << "the failure and its reversal still count as entries";
}

TEST_F(ScoreboardTest, AReversedDeductionGivesThePointsBack) {
  const v1::LedgerEntry deduction = Deduct("2");
  const v1::Scoreboard board =
      BuildScoreboard("2024", Base(), units_, {deduction, Reverse(deduction), Deduct("1")});
  EXPECT_THAT(
      Rows(board),
      ElementsAre(RowView{"units/tongji", "100", false}, RowView{"units/chengguan", "97.9", false},
                  RowView{"units/ziran", "97.9", false}, RowView{"units/nongye", "97", false}));
}

TEST_F(ScoreboardTest, TheBaseComesFromThePolicy) {
  policy_.set_base_points("80");
  const Points base = *Points::Parse(policy_.base_points(), "base");
  const v1::Scoreboard board = BuildScoreboard("2024", base, units_, {Deduct("2")});
  ASSERT_EQ(board.rows_size(), 4);
  EXPECT_EQ(board.rows(0).unit(), "units/tongji");
  EXPECT_EQ(board.rows(0).score(), "80");
  EXPECT_EQ(board.rows(3).unit(), "units/nongye");
  EXPECT_EQ(board.rows(3).base_points(), "80");
  EXPECT_EQ(board.rows(3).score(), "74");
}

TEST_F(ScoreboardTest, OnlyThePeriodsEntriesCountAndChargedUnitsAreAdded) {
  v1::Indicator other;
  other.set_name("indicators/laji");
  other.set_display_name("垃圾分类");
  other.set_points("2");
  other.set_lead_unit("units/chengguan-dongjie");
  indicators_.AddIndicator(other);
  v1::CreateDeductionRequest request;
  request.set_indicator("indicators/laji");
  request.set_points("1");
  request.set_period("2024");
  request.set_reason("垃圾未分类");
  absl::StatusOr<v1::LedgerEntry> village = NewDeduction(request, Context());
  ASSERT_TRUE(village.ok()) << village.status();

  const v1::Scoreboard board = BuildScoreboard("2024", Base(), {Unit("nongye", "农业农村局")},
                                               {Deduct("5", "2023"), *village});
  EXPECT_THAT(Rows(board), ElementsAre(RowView{"units/nongye", "100", false},
                                       RowView{"units/chengguan-dongjie", "97", false}));
  EXPECT_EQ(board.rows(0).entries(), 0) << "the 2023 deduction is another period's";
}

TEST_F(ScoreboardTest, ExplainScoreListsEachChargeWithItsCause) {
  const v1::LedgerEntry deduction = Deduct("2");
  const v1::LedgerEntry failure = FailGengdi();
  const v1::LedgerEntry elsewhere = Deduct("1", "2023");
  const v1::ScoreExplanation why =
      ExplainScore("units/nongye", "2024", Base(), {deduction, failure, elsewhere}, indicators_);
  EXPECT_EQ(why.period(), "2024");
  EXPECT_EQ(why.row().unit(), "units/nongye");
  EXPECT_EQ(why.row().score(), "94");
  EXPECT_EQ(why.row().charged_points(), "-6");
  EXPECT_TRUE(why.row().veto_failed());
  EXPECT_THAT(why.row().failed_indicators(), ElementsAre("indicators/gengdi"));
  ASSERT_EQ(why.charges_size(), 2);

  const v1::ExplainedCharge& first = why.charges(0);
  EXPECT_EQ(first.entry(), deduction.name());
  EXPECT_EQ(first.kind(), v1::LEDGER_ENTRY_KIND_DEDUCTION);
  EXPECT_EQ(first.indicator(), "indicators/renju");
  EXPECT_EQ(first.indicator_display_name(), "人居环境整治");
  EXPECT_EQ(first.county_points(), "2");
  EXPECT_EQ(first.role(), v1::CHARGE_ROLE_LEAD);
  EXPECT_EQ(first.points(), "-6");
  EXPECT_FALSE(first.veto_failed());
  EXPECT_EQ(first.policy_version(), 1);
  EXPECT_EQ(first.lead_multiplier(), "3");
  EXPECT_EQ(first.cooperating_ratio(), "0.7");
  EXPECT_EQ(first.reason(), "暗访扣分");
  EXPECT_EQ(first.source(), v1::LEDGER_SOURCE_MANUAL);
  EXPECT_EQ(first.source_ticket(), "tickets/3");
  EXPECT_EQ(first.create_time().seconds(), deduction.create_time().seconds());

  const v1::ExplainedCharge& second = why.charges(1);
  EXPECT_EQ(second.entry(), failure.name());
  EXPECT_EQ(second.kind(), v1::LEDGER_ENTRY_KIND_VETO_FAILURE);
  EXPECT_EQ(second.indicator_display_name(), "耕地保护");
  EXPECT_EQ(second.role(), v1::CHARGE_ROLE_COOPERATING);
  EXPECT_EQ(second.points(), "0");
  EXPECT_TRUE(second.veto_failed());
  EXPECT_EQ(second.reason(), "违法占用耕地");
}

TEST_F(ScoreboardTest, ExplainScoreOfAReversalNamesWhatItReverses) {
  const v1::LedgerEntry deduction = Deduct("2");
  const v1::LedgerEntry reversal = Reverse(deduction);
  const v1::ScoreExplanation why =
      ExplainScore("units/ziran", "2024", Base(), {deduction, reversal}, indicators_);
  EXPECT_EQ(why.row().score(), "100");
  ASSERT_EQ(why.charges_size(), 2);
  EXPECT_EQ(why.charges(0).points(), "-4.2");
  EXPECT_EQ(why.charges(1).points(), "4.2");
  EXPECT_EQ(why.charges(1).kind(), v1::LEDGER_ENTRY_KIND_REVERSAL);
  EXPECT_EQ(why.charges(1).reverses(), deduction.name());
}

TEST_F(ScoreboardTest, ExplainScoreOfAnUnchargedUnitIsTheBase) {
  const v1::ScoreExplanation why =
      ExplainScore("units/tongji", "2024", Base(), {Deduct("2")}, indicators_);
  EXPECT_EQ(why.row().unit(), "units/tongji");
  EXPECT_EQ(why.row().score(), "100");
  EXPECT_EQ(why.row().entries(), 0);
  EXPECT_THAT(why.charges(), IsEmpty());
}

TEST(ExplainScoreRequestTest, TheUnitMustBeInTheDirectory) {
  const FakeDirectory units;
  v1::ExplainScoreRequest request;
  request.set_period("2024");
  request.set_unit("units/nongye");
  EXPECT_TRUE(Validate(request, units).ok());

  request.set_unit("nongye");
  absl::Status status = Validate(request, units);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(testing::BadRequestFields(status), ElementsAre("unit"));
  EXPECT_EQ(status.message(), "unit: must be a unit name like units/nongye");

  request.set_unit("units/nosuch");
  status = Validate(request, units);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorReason(status), "UNIT_NOT_FOUND");
  EXPECT_EQ(status.message(), "no units/nosuch");
}

}  // namespace
}  // namespace duban
