// The whole loop over real gRPC: a TASK from deployment to 销号 through a
// rejection, a FINDING from filing to acceptance, disputes, cancellation,
// reopening and sub-ticket roll-up.
#include <gtest/gtest.h>

#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

class LoopTest : public ::testing::Test {
 protected:
  // Moves `ticket` with `rpc` as `token`; fails the test if refused.
  template <typename Request>
  v1::Ticket Step(const std::string& token,
                  grpc::Status (Tickets::*rpc)(grpc::ClientContext*, const Request&, v1::Ticket*),
                  const Request& request) {
    v1::Ticket ticket;
    grpc::Status status = client_.Call(token, rpc, request, &ticket);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return ticket;
  }

  TestServer server_;
  RpcClient client_{server_};
};

TEST_F(LoopTest, TaskGoesAroundTheLoopThroughARejection) {
  const absl::Time start = server_.clock().Now();  // Monday 09:00
  v1::Ticket ticket = client_.MustCreate("leader", DeployRequest(start));
  EXPECT_EQ(ticket.name(), "tickets/1");
  EXPECT_EQ(ticket.stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(ticket.issuer(), "principals/leader");
  EXPECT_TRUE(ticket.requires_inspection());
  // Sign-for: 1 working day, ending 24:00 Tuesday.
  EXPECT_EQ(FromTimestamp(ticket.stage_due_time()), start + absl::Hours(39));

  auto sign = On<v1::SignTicketRequest>(ticket);
  sign.set_comment("收到，马上落实");
  ticket = Step("nongye", &Tickets::SignTicket, sign);
  EXPECT_EQ(ticket.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(ticket.stage_due_time().seconds(), ticket.due_time().seconds());

  auto progress = On<v1::ReportTicketProgressRequest>(ticket);
  progress.set_comment("已排查 6 个村");
  progress.set_progress_percent(50);
  progress.add_evidence("ledger-2025-03.xlsx");
  ticket = Step("ziran", &Tickets::ReportTicketProgress, progress);  // a cooperating unit
  EXPECT_EQ(ticket.progress_percent(), 50);
  EXPECT_EQ(ticket.stage(), v1::STAGE_IMPLEMENT);

  auto submit = On<v1::SubmitTicketRequest>(ticket);
  submit.set_comment("办结报告");
  ticket = Step("nongye", &Tickets::SubmitTicket, submit);
  EXPECT_EQ(ticket.stage(), v1::STAGE_INSPECT);

  auto reject = On<v1::ReviewTicketRequest>(ticket);
  reject.set_verdict(v1::REVIEW_VERDICT_REJECT);
  reject.set_findings("监测台账不完整");
  ticket = Step("inspector", &Tickets::ReviewTicket, reject);
  EXPECT_EQ(ticket.stage(), v1::STAGE_FEEDBACK);
  EXPECT_EQ(ticket.findings(), "监测台账不完整");
  // Default rectification: 10 working days from Monday → 24:00 of the
  // second Monday after.
  EXPECT_EQ(FromTimestamp(ticket.rectification_due_time()), start + absl::Hours(24 * 14 + 15));

  auto plan = On<v1::FileRectificationPlanRequest>(ticket);
  plan.set_plan("三日内补齐台账");
  ticket = Step("nongye", &Tickets::FileRectificationPlan, plan);
  EXPECT_EQ(ticket.stage(), v1::STAGE_IMPROVE);
  EXPECT_EQ(ticket.stage_due_time().seconds(), ticket.rectification_due_time().seconds());

  submit = On<v1::SubmitTicketRequest>(ticket);
  submit.set_comment("整改报告");
  ticket = Step("nongye", &Tickets::SubmitTicket, submit);
  EXPECT_EQ(ticket.stage(), v1::STAGE_INSPECT);

  auto accept = On<v1::ReviewTicketRequest>(ticket);
  accept.set_verdict(v1::REVIEW_VERDICT_ACCEPT);
  ticket = Step("leader", &Tickets::ReviewTicket, accept);  // the issuer may review
  EXPECT_EQ(ticket.stage(), v1::STAGE_CLOSED);
  EXPECT_FALSE(ticket.has_stage_due_time());

  const std::vector<v1::TicketEvent> history = client_.MustHistory("leader", ticket.name());
  const v1::EventType expected[] = {v1::EVENT_TYPE_CREATED,           v1::EVENT_TYPE_SIGNED,
                                    v1::EVENT_TYPE_PROGRESS_REPORTED, v1::EVENT_TYPE_SUBMITTED,
                                    v1::EVENT_TYPE_REJECTED,          v1::EVENT_TYPE_PLAN_FILED,
                                    v1::EVENT_TYPE_SUBMITTED,         v1::EVENT_TYPE_ACCEPTED};
  ASSERT_EQ(history.size(), std::size(expected));
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].type(), expected[i]) << "event " << i + 1;
    EXPECT_EQ(history[i].sequence(), static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(history[2].actor(), "principals/ziran");
  EXPECT_EQ(history[2].evidence(0), "ledger-2025-03.xlsx");
  EXPECT_EQ(ticket.etag(), "8");
}

TEST_F(LoopTest, FindingEntersFeedbackAndClosesOnAcceptance) {
  v1::CreateTicketRequest request = FindingRequest();
  *request.mutable_ticket()->mutable_rectification_due_time() =
      ToTimestamp(server_.clock().Now() + absl::Hours(24 * 5));
  v1::Ticket ticket = client_.MustCreate("inspector", request);
  EXPECT_EQ(ticket.kind(), v1::TICKET_KIND_FINDING);
  EXPECT_EQ(ticket.stage(), v1::STAGE_FEEDBACK);
  EXPECT_EQ(ticket.issuer(), "principals/inspector");

  auto plan = On<v1::FileRectificationPlanRequest>(ticket);
  plan.set_plan("组织村民清理");
  ticket = Step("chengguan", &Tickets::FileRectificationPlan, plan);
  EXPECT_EQ(ticket.stage(), v1::STAGE_IMPROVE);
  EXPECT_EQ(ticket.stage_due_time().seconds(), request.ticket().rectification_due_time().seconds());

  auto submit = On<v1::SubmitTicketRequest>(ticket);
  submit.set_comment("已清理完毕");
  submit.add_evidence("photo-after.jpg");
  ticket = Step("chengguan", &Tickets::SubmitTicket, submit);
  EXPECT_EQ(ticket.stage(), v1::STAGE_INSPECT);

  auto accept = On<v1::ReviewTicketRequest>(ticket);
  accept.set_verdict(v1::REVIEW_VERDICT_ACCEPT);
  ticket = Step("inspector", &Tickets::ReviewTicket, accept);
  EXPECT_EQ(ticket.stage(), v1::STAGE_CLOSED);

  auto reopen = On<v1::ReopenTicketRequest>(ticket);
  reopen.set_findings("回头看：垃圾又堆起来了");
  ticket = Step("inspector", &Tickets::ReopenTicket, reopen);
  EXPECT_EQ(ticket.stage(), v1::STAGE_FEEDBACK);
  EXPECT_EQ(ticket.findings(), "回头看：垃圾又堆起来了");
}

TEST_F(LoopTest, TaskWithoutInspectionClosesOnSubmit) {
  v1::CreateTicketRequest request = DeployRequest(server_.clock().Now());
  request.mutable_ticket()->set_requires_inspection(false);
  v1::Ticket ticket = client_.MustCreate("leader", request);
  EXPECT_FALSE(ticket.requires_inspection());
  ticket = Step("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket));
  auto submit = On<v1::SubmitTicketRequest>(ticket);
  submit.set_comment("办结");
  ticket = Step("nongye", &Tickets::SubmitTicket, submit);
  EXPECT_EQ(ticket.stage(), v1::STAGE_CLOSED);
}

TEST_F(LoopTest, DisputeIsReassignedThenOverruled) {
  v1::Ticket ticket = client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  auto dispute = On<v1::DisputeTicketRequest>(ticket);
  dispute.set_reason("耕地保护归自然资源局");
  ticket = Step("nongye", &Tickets::DisputeTicket, dispute);
  EXPECT_TRUE(ticket.has_dispute());
  EXPECT_EQ(ticket.stage(), v1::STAGE_DEPLOY);

  auto reassign = On<v1::ResolveTicketDisputeRequest>(ticket);
  reassign.set_resolution(v1::DISPUTE_RESOLUTION_REASSIGN);
  reassign.set_new_lead_unit("units/ziran");
  ticket = Step("leader", &Tickets::ResolveTicketDispute, reassign);
  EXPECT_EQ(ticket.lead_unit(), "units/ziran");
  EXPECT_FALSE(ticket.has_dispute());
  // ziran was cooperating; now it leads and no longer cooperates.
  EXPECT_EQ(ticket.cooperating_units_size(), 0);

  dispute = On<v1::DisputeTicketRequest>(ticket);
  dispute.set_reason("也不归我们");
  ticket = Step("ziran", &Tickets::DisputeTicket, dispute);
  auto overrule = On<v1::ResolveTicketDisputeRequest>(ticket);
  overrule.set_resolution(v1::DISPUTE_RESOLUTION_OVERRULE);
  overrule.set_comment("职责清单明确由自然资源局牵头");
  ticket = Step("leader", &Tickets::ResolveTicketDispute, overrule);
  EXPECT_EQ(ticket.lead_unit(), "units/ziran");
  EXPECT_FALSE(ticket.has_dispute());

  // The old lead unit no longer acts on it.
  v1::Ticket ignored;
  grpc::Status status =
      client_.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ticket = Step("ziran", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket));
  EXPECT_EQ(ticket.stage(), v1::STAGE_IMPLEMENT);

  const std::vector<v1::TicketEvent> history = client_.MustHistory("leader", ticket.name());
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history[2].type(), v1::EVENT_TYPE_DISPUTE_REASSIGNED);
  EXPECT_EQ(history[2].previous_lead_unit(), "units/nongye");
  EXPECT_EQ(history[2].lead_unit(), "units/ziran");
}

TEST_F(LoopTest, IssuerCancelsWithReason) {
  v1::Ticket ticket = client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  auto cancel = On<v1::CancelTicketRequest>(ticket);
  cancel.set_reason("任务合并到上级部署");
  ticket = Step("leader", &Tickets::CancelTicket, cancel);
  EXPECT_EQ(ticket.stage(), v1::STAGE_CANCELLED);
  v1::Ticket ignored;
  grpc::Status status = client_.Call("leader", &Tickets::CancelTicket, cancel, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("CANCELLED"), std::string::npos) << status.error_message();
  EXPECT_EQ(ErrorReason(status), "STAGE_MISMATCH");
}

TEST_F(LoopTest, ParentShowsRollupOfSubTickets) {
  v1::Ticket parent = client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  std::vector<v1::Ticket> children;
  for (const char* unit : {"units/chengguan", "units/longquan", "units/baima"}) {
    v1::CreateTicketRequest request = DeployRequest(server_.clock().Now());
    request.mutable_ticket()->set_parent(parent.name());
    request.mutable_ticket()->set_lead_unit(unit);
    request.mutable_ticket()->clear_cooperating_units();
    children.push_back(client_.MustCreate("leader", request));
  }
  Step("chengguan", &Tickets::SignTicket, On<v1::SignTicketRequest>(children[0]));

  v1::Ticket read = client_.MustGet("leader", parent.name());
  ASSERT_EQ(read.rollup().total(), 3);
  ASSERT_EQ(read.rollup().by_stage_size(), 2);
  EXPECT_EQ(read.rollup().by_stage(0).stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(read.rollup().by_stage(0).count(), 2);
  EXPECT_EQ(read.rollup().by_stage(1).stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(read.rollup().by_stage(1).count(), 1);
  EXPECT_EQ(read.rollup().overdue(), 0);
  EXPECT_DOUBLE_EQ(read.rollup().mean_progress_percent(), 0);

  // Progress and slips roll up too: chengguan reports 60 %; the other two
  // miss their sign-for and are overdue with a card.
  auto progress = On<v1::ReportTicketProgressRequest>(children[0]);
  progress.set_comment("已排查 6 个村");
  progress.set_progress_percent(60);
  Step("chengguan", &Tickets::ReportTicketProgress, progress);
  server_.Advance(absl::Hours(24 * 4));
  v1::SweepResponse swept;
  ASSERT_TRUE(client_.Call("escalator", &Escalations::Sweep, v1::SweepRequest(), &swept).ok());
  read = client_.MustGet("leader", parent.name());
  EXPECT_DOUBLE_EQ(read.rollup().mean_progress_percent(), 20);
  EXPECT_EQ(read.rollup().overdue(), 2);
  ASSERT_EQ(read.rollup().cards_size(), 1);
  EXPECT_EQ(read.rollup().cards(0).card(), v1::CARD_YELLOW);
  EXPECT_EQ(read.rollup().cards(0).count(), 2);

  v1::ListTicketsRequest list;
  list.set_filter("parent=" + parent.name());
  v1::ListTicketsResponse page;
  ASSERT_TRUE(client_.Call("leader", &Tickets::ListTickets, list, &page).ok());
  EXPECT_EQ(page.tickets_size(), 3);

  v1::CreateTicketRequest orphan = DeployRequest(server_.clock().Now());
  orphan.mutable_ticket()->set_parent("tickets/999");
  v1::Ticket ignored;
  grpc::Status status = client_.Call("leader", &Tickets::CreateTicket, orphan, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"ticket.parent"});
}

}  // namespace
}  // namespace duban::testing
