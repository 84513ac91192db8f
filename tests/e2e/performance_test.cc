// Indicators, the ledger and the scoreboard over real gRPC: the charging
// rule (lead ×3, cooperating 70%), the one-vote veto at the top, reversals,
// the referral rule, and who may change what.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

class PerformanceTest : public ::testing::Test {
 protected:
  v1::LedgerEntry MustDeduct(const std::string& indicator, const std::string& points) {
    v1::CreateDeductionRequest request;
    request.set_indicator(indicator);
    request.set_points(points);
    request.set_reason("省考核扣分");
    v1::LedgerEntry entry;
    grpc::Status status =
        client_.Call("performance", &Performance::CreateDeduction, request, &entry);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return entry;
  }

  std::map<std::string, v1::ScoreRow> Board() {
    v1::Scoreboard board;
    grpc::Status status =
        client_.Call("nongye", &Performance::GetScoreboard, v1::GetScoreboardRequest(), &board);
    EXPECT_TRUE(status.ok()) << status.error_message();
    rows_ = {board.rows().begin(), board.rows().end()};
    std::map<std::string, v1::ScoreRow> by_unit;
    for (const v1::ScoreRow& row : board.rows()) by_unit[row.unit()] = row;
    return by_unit;
  }

  TestServer server_{/*scheduler=*/false};
  RpcClient client_{server_};
  std::vector<v1::ScoreRow> rows_;
};

TEST_F(PerformanceTest, DeductionChargesLeadThreeTimesAndCooperatingSeventyPercent) {
  // 粮食播面和产量: lead 农业农村局, cooperating 统计局 and 自然资源局.
  v1::LedgerEntry entry = MustDeduct("indicators/liangshi", "2");
  ASSERT_EQ(entry.charges_size(), 3);
  std::map<std::string, std::string> charged;
  for (const v1::Charge& charge : entry.charges()) charged[charge.unit()] = charge.points();
  EXPECT_EQ(charged["units/nongye"], "-6");
  EXPECT_EQ(charged["units/tongji"], "-4.2");
  EXPECT_EQ(charged["units/ziran"], "-4.2");
  EXPECT_EQ(entry.lead_multiplier(), "3");
  EXPECT_EQ(entry.cooperating_ratio(), "0.7");

  std::map<std::string, v1::ScoreRow> board = Board();
  EXPECT_EQ(board["units/nongye"].score(), "94");
  EXPECT_EQ(board["units/tongji"].score(), "95.8");
  EXPECT_EQ(board["units/chengguan"].score(), "100");  // townships are on the board too

  v1::ExplainScoreRequest explain;
  explain.set_unit("units/tongji");
  v1::ScoreExplanation why;
  ASSERT_TRUE(client_.Call("organization", &Performance::ExplainScore, explain, &why).ok());
  ASSERT_EQ(why.charges_size(), 1);
  EXPECT_EQ(why.charges(0).entry(), entry.name());
  EXPECT_EQ(why.charges(0).role(), v1::CHARGE_ROLE_COOPERATING);
  EXPECT_EQ(why.charges(0).indicator_display_name(), "粮食播面和产量");
  EXPECT_EQ(why.row().score(), "95.8");
}

TEST_F(PerformanceTest, AFailedVetoPutsItsUnitsOnTopAndAReversalClearsIt) {
  MustDeduct("indicators/liangshi", "1");  // some scores below 100 first
  v1::FailVetoRequest fail;
  fail.set_indicator("indicators/gengdi");  // 耕地保护: lead 自然资源局, cooperating 农业农村局
  fail.set_reason("耕地“非农化”问题未整改");
  v1::LedgerEntry veto;
  grpc::Status missing = client_.Call("performance", &Performance::FailVeto, fail, &veto);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(missing), std::vector<std::string>{"evidence"});
  fail.add_evidence("卫片执法 2025-017");
  ASSERT_TRUE(client_.Call("performance", &Performance::FailVeto, fail, &veto).ok());

  Board();
  ASSERT_GE(rows_.size(), 2u);
  EXPECT_TRUE(rows_[0].veto_failed());
  EXPECT_TRUE(rows_[1].veto_failed());
  std::set<std::string> top = {rows_[0].unit(), rows_[1].unit()};
  EXPECT_EQ(top, (std::set<std::string>{"units/ziran", "units/nongye"}));
  EXPECT_FALSE(rows_[2].veto_failed());

  v1::ReverseLedgerEntryRequest reverse;
  reverse.set_name(veto.name());
  reverse.set_reason("复核后认定不属实");
  v1::LedgerEntry reversal;
  ASSERT_TRUE(
      client_.Call("performance", &Performance::ReverseLedgerEntry, reverse, &reversal).ok());
  EXPECT_EQ(reversal.reverses(), veto.name());
  grpc::Status twice =
      client_.Call("performance", &Performance::ReverseLedgerEntry, reverse, &reversal);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(twice), "ALREADY_REVERSED");
  EXPECT_FALSE(Board()["units/ziran"].veto_failed());

  v1::FailVetoRequest not_veto = fail;
  not_veto.set_indicator("indicators/renju");
  EXPECT_EQ(client_.Call("performance", &Performance::FailVeto, not_veto, &veto).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(PerformanceTest, OnlyThePerformanceOfficeChangesTheLedgerButEveryoneReadsIt) {
  v1::CreateDeductionRequest request;
  request.set_indicator("indicators/liangshi");
  request.set_points("1");
  request.set_reason("扣分");
  v1::LedgerEntry entry;
  for (const char* token : {"leader", "nongye", "discipline", "admin"}) {
    EXPECT_EQ(client_.Call(token, &Performance::CreateDeduction, request, &entry).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  request.set_points("6");  // liangshi is worth 5
  grpc::Status too_many =
      client_.Call("performance", &Performance::CreateDeduction, request, &entry);
  EXPECT_EQ(too_many.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(too_many), std::vector<std::string>{"points"});

  v1::ListIndicatorsRequest vetoes;
  vetoes.set_filter("veto=true");
  v1::ListIndicatorsResponse list;
  ASSERT_TRUE(client_.Call("tongji", &Performance::ListIndicators, vetoes, &list).ok());
  EXPECT_EQ(list.indicators_size(), 6);
}

TEST_F(PerformanceTest, APolicyChangeAppliesToNewEntriesOnly) {
  v1::LedgerEntry before = MustDeduct("indicators/liangshi", "1");
  v1::LedgerPolicy policy;
  ASSERT_TRUE(
      client_.Call("nongye", &Performance::GetLedgerPolicy, v1::GetLedgerPolicyRequest(), &policy)
          .ok());
  policy.set_lead_multiplier("2");
  v1::UpdateLedgerPolicyRequest update;
  *update.mutable_policy() = policy;
  v1::LedgerPolicy updated;
  ASSERT_TRUE(client_.Call("performance", &Performance::UpdateLedgerPolicy, update, &updated).ok());
  v1::LedgerEntry after = MustDeduct("indicators/liangshi", "1");
  EXPECT_EQ(before.charges(0).points(), "-3");
  EXPECT_EQ(after.charges(0).points(), "-2");
  EXPECT_EQ(after.policy_version(), before.policy_version() + 1);
  // The earlier entry is unchanged.
  v1::GetLedgerEntryRequest get;
  get.set_name(before.name());
  v1::LedgerEntry reread;
  ASSERT_TRUE(client_.Call("nongye", &Performance::GetLedgerEntry, get, &reread).ok());
  EXPECT_EQ(reread.SerializeAsString(), before.SerializeAsString());
}

TEST_F(PerformanceTest, AReferralOnATicketWithAnIndicatorDeductsByRule) {
  v1::CreateTicketRequest request = FindingRequest();
  request.mutable_ticket()->set_severity(v1::SEVERITY_HARD_FLAW);
  request.mutable_ticket()->clear_lead_unit();  // the indicator's units answer
  request.mutable_ticket()->set_indicator("indicators/renju");
  v1::Ticket ticket = client_.MustCreate("inspector", request);
  EXPECT_EQ(ticket.lead_unit(), "units/nongban");

  v1::ListLedgerEntriesRequest list;
  list.set_filter("indicator=indicators/renju");
  v1::ListLedgerEntriesResponse entries;
  ASSERT_TRUE(client_.Call("leader", &Performance::ListLedgerEntries, list, &entries).ok());
  ASSERT_EQ(entries.entries_size(), 1);
  const v1::LedgerEntry& rule = entries.entries(0);
  EXPECT_EQ(rule.source(), v1::LEDGER_SOURCE_REFERRAL_RULE);
  EXPECT_EQ(rule.source_ticket(), ticket.name());
  ASSERT_EQ(rule.source_events_size(), 1);
  EXPECT_EQ(rule.source_events(0), absl::StrCat(ticket.name(), "/events/2"));  // REFERRED
  EXPECT_EQ(rule.county_points(), "1");
  EXPECT_EQ(Board()["units/nongban"].score(), "97");
}

// A late review is the inspection office's slip: the referral rule charges
// it alone (×3), not the indicator's departments, and the explanation says
// why.
TEST_F(PerformanceTest, ALateReviewsDeductionIsTheInspectionOfficesAndExplainSaysWhy) {
  v1::CreateTicketRequest request = DeployRequest(server_.clock().Now());
  request.mutable_ticket()->set_lead_unit("units/nongban");
  request.mutable_ticket()->clear_cooperating_units();
  request.mutable_ticket()->set_indicator("indicators/renju");
  v1::Ticket ticket = client_.MustCreate("leader", request);
  ASSERT_TRUE(
      client_.Call("nongban", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ticket)
          .ok());
  auto submit = On<v1::SubmitTicketRequest>(ticket);
  submit.set_comment("办结报告");
  ASSERT_TRUE(client_.Call("nongban", &Tickets::SubmitTicket, submit, &ticket).ok());
  ASSERT_EQ(ticket.holder_unit(), "units/ducha");
  server_.Advance(absl::Hours(24 * 20));  // the review slips to a referral
  v1::SweepResponse swept;
  ASSERT_TRUE(client_.Call("escalator", &Escalations::Sweep, v1::SweepRequest(), &swept).ok());

  v1::ExplainScoreRequest explain;
  explain.set_unit("units/ducha");
  v1::ScoreExplanation why;
  ASSERT_TRUE(client_.Call("nongban", &Performance::ExplainScore, explain, &why).ok());
  ASSERT_EQ(why.charges_size(), 1);
  EXPECT_EQ(why.charges(0).role(), v1::CHARGE_ROLE_ACCOUNTABLE);
  EXPECT_EQ(why.charges(0).points(), "-3");
  EXPECT_EQ(why.charges(0).source(), v1::LEDGER_SOURCE_REFERRAL_RULE);
  EXPECT_EQ(why.charges(0).source_ticket(), ticket.name());
  EXPECT_THAT(why.charges(0).reason(),
              ::testing::HasSubstr("units/ducha answers for it, not the indicator's lead "
                                   "units/nongban"));
  EXPECT_EQ(why.row().score(), "97");
  explain.set_unit("units/nongban");
  ASSERT_TRUE(client_.Call("nongban", &Performance::ExplainScore, explain, &why).ok());
  EXPECT_EQ(why.charges_size(), 0) << "the department did not let the review slip";
}

}  // namespace
}  // namespace duban::testing
