// Accountability over real gRPC: a hard flaw referred at filing, the
// discipline commission's disposition, who may see referrals, and the
// records the organization department reads.
#include <gtest/gtest.h>

#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

class AccountabilityTest : public ::testing::Test {
 protected:
  // Files a HARD_FLAW finding against units/chengguan and returns its one
  // referral.
  v1::Referral FileHardFlaw() {
    v1::CreateTicketRequest request = FindingRequest();
    request.mutable_ticket()->set_severity(v1::SEVERITY_HARD_FLAW);
    request.mutable_ticket()->set_title("防返贫监测对象漏评（明显硬伤）");
    ticket_ = client_.MustCreate("inspector", request);
    EXPECT_EQ(ticket_.card(), v1::CARD_REFERRED);
    EXPECT_EQ(ticket_.referrals_size(), 1);
    v1::GetReferralRequest get;
    get.set_name(ticket_.referrals(0));
    v1::Referral referral;
    grpc::Status status = client_.Call("discipline", &Accountability::GetReferral, get, &referral);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return referral;
  }

  TestServer server_{/*scheduler=*/false};
  RpcClient client_{server_};
  v1::Ticket ticket_;
};

TEST_F(AccountabilityTest, HardFlawIsReferredAtFilingWithItsTrail) {
  v1::Referral referral = FileHardFlaw();
  EXPECT_EQ(referral.trigger(), v1::REFERRAL_TRIGGER_HARD_FLAW);
  EXPECT_EQ(referral.unit(), "units/chengguan");
  EXPECT_EQ(referral.ticket(), ticket_.name());
  ASSERT_EQ(referral.trail_size(), 2);
  EXPECT_EQ(referral.trail(0).type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(referral.trail(1).type(), v1::EVENT_TYPE_REFERRED);
  EXPECT_EQ(referral.trail(1).referral(), referral.name());
}

TEST_F(AccountabilityTest, ReferralsAreForDisciplineOrganizationAndLeadersOnly) {
  v1::Referral referral = FileHardFlaw();
  v1::GetReferralRequest get;
  get.set_name(referral.name());
  v1::Referral read;
  for (const char* token : {"discipline", "organization", "leader"}) {
    EXPECT_TRUE(client_.Call(token, &Accountability::GetReferral, get, &read).ok()) << token;
  }
  for (const char* token : {"chengguan", "nongye", "inspector", "performance"}) {
    EXPECT_EQ(client_.Call(token, &Accountability::GetReferral, get, &read).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
}

TEST_F(AccountabilityTest, DisciplineRecordsADispositionThatShowsInTheRecord) {
  v1::Referral referral = FileHardFlaw();
  v1::DecideReferralRequest decide;
  decide.set_name(referral.name());
  decide.set_kind(v1::DISPOSITION_KIND_TALK);
  decide.set_reason("约谈乡镇主要负责人");
  v1::Referral decided;
  EXPECT_EQ(
      client_.Call("organization", &Accountability::DecideReferral, decide, &decided).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  decide.set_etag(referral.etag());
  ASSERT_TRUE(client_.Call("discipline", &Accountability::DecideReferral, decide, &decided).ok());
  ASSERT_EQ(decided.dispositions_size(), 1);
  EXPECT_EQ(decided.dispositions(0).decided_by(), "principals/discipline");
  // The same etag again is stale now.
  grpc::Status stale =
      client_.Call("discipline", &Accountability::DecideReferral, decide, &decided);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);

  decide.clear_etag();
  decide.set_kind(v1::DISPOSITION_KIND_EXEMPTED);
  decide.clear_reason();
  grpc::Status no_reason =
      client_.Call("discipline", &Accountability::DecideReferral, decide, &decided);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(no_reason), std::vector<std::string>{"reason"});
  decide.set_reason("容错：系统数据延迟所致，已及时纠正");
  ASSERT_TRUE(client_.Call("discipline", &Accountability::DecideReferral, decide, &decided).ok());
  EXPECT_EQ(decided.dispositions_size(), 2);

  const std::vector<v1::TicketEvent> history = client_.MustHistory("leader", ticket_.name());
  int decisions = 0;
  for (const v1::TicketEvent& event : history) {
    decisions += event.type() == v1::EVENT_TYPE_REFERRAL_DECIDED;
  }
  EXPECT_EQ(decisions, 2);

  v1::GetUnitRecordRequest request;
  request.set_unit("units/chengguan");
  v1::AccountabilityRecord record;
  ASSERT_TRUE(client_.Call("organization", &Accountability::GetUnitRecord, request, &record).ok());
  EXPECT_EQ(record.referrals(), 1);
  EXPECT_EQ(record.undecided_referrals(), 0);
  ASSERT_EQ(record.dispositions_size(), 1);
  EXPECT_EQ(record.dispositions(0).kind(), v1::DISPOSITION_KIND_EXEMPTED);  // the last one stands
  EXPECT_EQ(
      client_.Call("chengguan", &Accountability::GetUnitRecord, request, &record).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  v1::ListReferralsRequest undecided;
  undecided.set_filter("decided=false");
  v1::ListReferralsResponse list;
  ASSERT_TRUE(client_.Call("discipline", &Accountability::ListReferrals, undecided, &list).ok());
  EXPECT_EQ(list.referrals_size(), 0);
}

TEST_F(AccountabilityTest, OnTimeRateCountsClosedTicketsWithoutSlips) {
  // Two tasks closed: one on time, one after its YELLOW fired.
  for (bool late : {false, true}) {
    v1::Ticket ticket = DeployAndSign(client_, 2);
    if (late) {
      server_.Advance(absl::Hours(24 * 4));
      v1::SweepResponse swept;
      ASSERT_TRUE(client_.Call("escalator", &Escalations::Sweep, v1::SweepRequest(), &swept).ok());
      ASSERT_GE(swept.firings_size(), 2);
    }
    auto submit = On<v1::SubmitTicketRequest>(ticket);
    submit.set_comment("办结");
    ASSERT_TRUE(client_.Call("nongye", &Tickets::SubmitTicket, submit, &ticket).ok());
    auto accept = On<v1::ReviewTicketRequest>(ticket);
    accept.set_verdict(v1::REVIEW_VERDICT_ACCEPT);
    ASSERT_TRUE(client_.Call("inspector", &Tickets::ReviewTicket, accept, &ticket).ok());
  }
  v1::GetUnitRecordRequest unit;
  unit.set_unit("units/nongye");
  v1::AccountabilityRecord record;
  ASSERT_TRUE(client_.Call("organization", &Accountability::GetUnitRecord, unit, &record).ok());
  EXPECT_EQ(record.tickets_closed(), 2);
  EXPECT_EQ(record.tickets_closed_on_time(), 1);
  EXPECT_DOUBLE_EQ(record.on_time_rate(), 0.5);

  v1::GetPrincipalRecordRequest person;
  person.set_principal("principals/nongye");
  ASSERT_TRUE(
      client_.Call("organization", &Accountability::GetPrincipalRecord, person, &record).ok());
  EXPECT_EQ(record.tickets_closed(), 2);
  EXPECT_EQ(record.tickets_closed_on_time(), 1);
}

// Records are built from what was charged to whom: a unit that let the
// sign-for slip keeps the slip after the ticket is reassigned away, and the
// issuer's unit answers for a dispute it left waiting.
TEST_F(AccountabilityTest, RecordsKeepEverySlipWithWhoeverHeldTheClock) {
  v1::CreateTicketRequest deploy = DeployRequest(absl::Now());
  v1::Ticket reassigned = client_.MustCreate("leader", deploy);
  server_.Advance(absl::Hours(24 * 4));  // the sign-for day passed: YELLOW, RED
  v1::SweepResponse swept;
  ASSERT_TRUE(client_.Call("escalator", &Escalations::Sweep, v1::SweepRequest(), &swept).ok());
  ASSERT_GE(swept.firings_size(), 2);
  auto dispute = On<v1::DisputeTicketRequest>(reassigned);
  dispute.set_reason("耕地保护归自然资源局");
  ASSERT_TRUE(client_.Call("nongye", &Tickets::DisputeTicket, dispute, &reassigned).ok());
  auto reassign = On<v1::ResolveTicketDisputeRequest>(reassigned);
  reassign.set_resolution(v1::DISPUTE_RESOLUTION_REASSIGN);
  reassign.set_new_lead_unit("units/ziran");
  reassign.clear_etag();
  ASSERT_TRUE(client_.Call("leader", &Tickets::ResolveTicketDispute, reassign, &reassigned).ok());
  ASSERT_EQ(reassigned.lead_unit(), "units/ziran");
  ASSERT_TRUE(client_.Call("ziran", &Tickets::SignTicket, On<v1::SignTicketRequest>(reassigned),
                           &reassigned)
                  .ok());

  // Disputed at once; the leader does not answer within the working day.
  v1::Ticket waiting = client_.MustCreate("leader", deploy);
  auto dispute_waiting = On<v1::DisputeTicketRequest>(waiting);
  dispute_waiting.set_reason("非本单位职责");
  ASSERT_TRUE(client_.Call("nongye", &Tickets::DisputeTicket, dispute_waiting, &waiting).ok());
  server_.Advance(absl::Hours(24 * 4));
  ASSERT_TRUE(client_.Call("escalator", &Escalations::Sweep, v1::SweepRequest(), &swept).ok());

  const auto escalations_of = [&](const char* unit) {
    v1::GetUnitRecordRequest request;
    request.set_unit(unit);
    v1::AccountabilityRecord record;
    grpc::Status status =
        client_.Call("organization", &Accountability::GetUnitRecord, request, &record);
    EXPECT_TRUE(status.ok()) << unit << ": " << status.error_message();
    EXPECT_EQ(record.period(), "2025");
    int count = 0;
    for (const v1::LevelCount& level : record.escalations()) count += level.count();
    return count;
  };
  EXPECT_GE(escalations_of("units/nongye"), 2) << "the missed sign-for stays on nongye";
  EXPECT_EQ(escalations_of("units/ziran"), 0);
  EXPECT_GE(escalations_of("units/county"), 2) << "the unanswered dispute is the issuer's";

  // Another year has none of it; a period that is no year is refused.
  v1::GetUnitRecordRequest next_year;
  next_year.set_unit("units/nongye");
  next_year.set_period("2026");
  v1::AccountabilityRecord record;
  ASSERT_TRUE(
      client_.Call("organization", &Accountability::GetUnitRecord, next_year, &record).ok());
  EXPECT_TRUE(record.escalations().empty());
  next_year.set_period("26");
  grpc::Status refused =
      client_.Call("organization", &Accountability::GetUnitRecord, next_year, &record);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(refused), std::vector<std::string>{"period"});
}

}  // namespace
}  // namespace duban::testing
