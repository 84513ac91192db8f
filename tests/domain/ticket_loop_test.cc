// The happy paths of the loop: where each step takes a ticket, which clock it
// starts, and the bookkeeping every change does (etag, event, cycle, times).
#include "domain/ticket_loop.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/time_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"

namespace duban {
namespace {

using ::duban::testing::Friday;
using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::duban::testing::Must;
using ::duban::testing::OnlyEvent;
using ::duban::testing::TimeOf;
using ::testing::ElementsAre;

// Monday 2024-03-18 09:30 local: when the step under test is taken. From
// here 1 working day ends at 03-20 00:00, 2 at 03-21, 3 at 03-22 and 10 at
// 04-02 (the weekend of 03-23 and 03-24 does not count).
absl::Time Monday() { return Local(2024, 3, 18, 9, 30); }

TEST(TicketLoopTest, TaskByLeaderEntersDeployWithTheSignForClock) {
  LoopWorld world;
  v1::CreateTicketRequest request = world.TaskRequest();
  request.set_request_id("req-1");
  absl::StatusOr<TicketChange> change =
      NewTicket(7, request, nullptr, world.ContextFor(world.leader));
  ASSERT_TRUE(change.ok()) << change.status();

  const v1::Ticket& ticket = change->ticket;
  EXPECT_EQ(ticket.name(), "tickets/7");
  EXPECT_EQ(ticket.kind(), v1::TICKET_KIND_TASK);
  EXPECT_EQ(ticket.stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(ticket.issuer(), "principals/li");
  EXPECT_EQ(ticket.lead_unit(), "units/nongye");
  EXPECT_THAT(ticket.cooperating_units(), ElementsAre("units/ziran"));
  EXPECT_EQ(ticket.severity(), v1::SEVERITY_NORMAL);
  EXPECT_TRUE(ticket.has_requires_inspection());
  EXPECT_TRUE(ticket.requires_inspection());
  EXPECT_EQ(ticket.etag(), "1");
  EXPECT_EQ(ticket.stage_cycle(), 1);
  EXPECT_EQ(TimeOf(ticket.create_time()), Friday());
  EXPECT_EQ(TimeOf(ticket.update_time()), Friday());
  EXPECT_EQ(TimeOf(ticket.stage_enter_time()), Friday());
  // Friday + 1 working day: the end of Monday 03-18.
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Local(2024, 3, 19));
  EXPECT_EQ(TimeOf(ticket.due_time()), Local(2024, 4, 30, 18));
  EXPECT_FALSE(ticket.has_rectification_due_time());
  EXPECT_FALSE(ticket.has_dispute());
  EXPECT_EQ(ticket.issuer_unit(), "units/county");
  EXPECT_EQ(ticket.inspection_unit(), "units/ducha");
  EXPECT_EQ(ticket.holder(), v1::HOLDER_LEAD_UNIT);
  EXPECT_EQ(ticket.holder_unit(), "units/nongye");
  EXPECT_EQ(ticket.responsible_principal(), "") << "nobody has signed for it yet";
  EXPECT_EQ(ticket.card(), v1::CARD_NONE);
  EXPECT_EQ(TimeOf(ticket.clock_start_time()), Friday());
  // The sign-for clock, with the basis that explains it; the due time was
  // given as a time.
  EXPECT_EQ(ticket.stage_due_basis().working_days(), 1);
  EXPECT_EQ(TimeOf(ticket.stage_due_basis().counted_from()), Friday());
  EXPECT_EQ(ticket.due_basis().working_days(), 0);
  // The reminder one working day before the deadline: the end of Friday.
  EXPECT_EQ(TimeOf(ticket.next_escalation_time()), Local(2024, 3, 16));

  const v1::TicketEvent& event = OnlyEvent(*change);
  EXPECT_EQ(event.name(), "tickets/7/events/1");
  EXPECT_EQ(event.ticket(), "tickets/7");
  EXPECT_EQ(event.sequence(), 1);
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(event.actor(), "principals/li");
  EXPECT_EQ(event.actor_unit(), "units/county");
  EXPECT_EQ(event.from_stage(), v1::STAGE_UNSPECIFIED);
  EXPECT_EQ(event.to_stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(event.lead_unit(), "units/nongye");
  EXPECT_EQ(event.etag(), "1");
  EXPECT_EQ(event.request_id(), "req-1");
  EXPECT_EQ(TimeOf(event.create_time()), Friday());
  EXPECT_EQ(TimeOf(event.stage_due_time()), Local(2024, 3, 19));
  EXPECT_EQ(event.holder(), v1::HOLDER_LEAD_UNIT);
  EXPECT_EQ(event.holder_unit(), "units/nongye");
  EXPECT_THAT(change->referrals, ::testing::IsEmpty());
}

TEST(TicketLoopTest, RequiresInspectionIsKeptWhenTheIssuerTurnsItOff) {
  LoopWorld world;
  v1::CreateTicketRequest request = world.TaskRequest();
  request.mutable_ticket()->set_requires_inspection(false);
  v1::Ticket ticket = world.Create(request);
  EXPECT_TRUE(ticket.has_requires_inspection());
  EXPECT_FALSE(ticket.requires_inspection());
}

TEST(TicketLoopTest, FindingByInspectorEntersFeedbackWithThePlanClock) {
  LoopWorld world;
  absl::StatusOr<TicketChange> change =
      NewTicket(8, world.FindingRequest(), nullptr, world.ContextFor(world.inspector));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::Ticket& ticket = change->ticket;
  EXPECT_EQ(ticket.stage(), v1::STAGE_FEEDBACK);
  EXPECT_EQ(ticket.kind(), v1::TICKET_KIND_FINDING);
  EXPECT_EQ(ticket.issuer(), "principals/zhao");
  EXPECT_EQ(ticket.severity(), v1::SEVERITY_MAJOR);
  EXPECT_EQ(ticket.location(), "units/chengguan-dongjie");
  EXPECT_EQ(ticket.findings(), "东街村道两侧垃圾堆放");
  EXPECT_EQ(ticket.stage_cycle(), 1);
  // Friday + 2 working days: the end of Tuesday 03-19.
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Local(2024, 3, 20));
  // Friday + 10 working days: the end of Friday 03-29.
  EXPECT_EQ(TimeOf(ticket.rectification_due_time()), Local(2024, 3, 30));
  EXPECT_EQ(OnlyEvent(*change).to_stage(), v1::STAGE_FEEDBACK);
  EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(ticket.rectification_due_basis().working_days(), 10);
  EXPECT_EQ(ticket.stage_due_basis().working_days(), 2);
  EXPECT_EQ(ticket.inspection_unit(), "units/ducha") << "the inspector's own unit";
  EXPECT_EQ(ticket.issuer_unit(), "units/ducha");
  EXPECT_EQ(ticket.holder(), v1::HOLDER_LEAD_UNIT);
  EXPECT_EQ(ticket.holder_unit(), "units/chengguan");
}

TEST(TicketLoopTest, FindingKeepsTheRectificationDeadlineItWasGiven) {
  LoopWorld world;
  v1::CreateTicketRequest request = world.FindingRequest();
  request.mutable_ticket()->clear_detail();
  *request.mutable_ticket()->mutable_rectification_due_time() = ToTimestamp(Local(2024, 4, 15, 18));
  v1::Ticket ticket = world.Create(request);
  EXPECT_EQ(TimeOf(ticket.rectification_due_time()), Local(2024, 4, 15, 18));
  EXPECT_EQ(ticket.findings(), "村道垃圾未清运") << "without a detail the title is the finding";
}

TEST(TicketLoopTest, SignEntersImplementWithTheIssuersDeadline) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_DEPLOY);
  v1::SignTicketRequest request = testing::SignRequest(before);
  request.set_comment("收到");
  request.set_request_id("sign-1");
  absl::StatusOr<TicketChange> change =
      Apply(before, request, world.ContextFor(world.lead_staff, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::Ticket& ticket = change->ticket;
  EXPECT_EQ(ticket.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Local(2024, 4, 30, 18));
  EXPECT_EQ(TimeOf(ticket.stage_enter_time()), Monday());
  EXPECT_EQ(TimeOf(ticket.update_time()), Monday());
  EXPECT_EQ(TimeOf(ticket.create_time()), Friday());
  EXPECT_EQ(ticket.etag(), "2");
  EXPECT_EQ(ticket.stage_cycle(), 2);

  const v1::TicketEvent& event = OnlyEvent(*change);
  EXPECT_EQ(event.name(), "tickets/7/events/2");
  EXPECT_EQ(event.sequence(), 2);
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_SIGNED);
  EXPECT_EQ(event.actor(), "principals/nongye-staff");
  EXPECT_EQ(event.actor_unit(), "units/nongye");
  EXPECT_EQ(event.from_stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(event.to_stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(event.comment(), "收到");
  EXPECT_EQ(event.request_id(), "sign-1");
  EXPECT_EQ(event.etag(), "2");
  EXPECT_EQ(TimeOf(event.stage_due_time()), Local(2024, 4, 30, 18));
  EXPECT_EQ(TimeOf(event.create_time()), Monday());
  EXPECT_EQ(event.holder(), v1::HOLDER_LEAD_UNIT);
  EXPECT_EQ(event.holder_unit(), "units/nongye");

  // Who signed answers for the ticket from now on.
  EXPECT_EQ(ticket.responsible_principal(), "principals/nongye-staff");
  EXPECT_EQ(ticket.holder(), v1::HOLDER_LEAD_UNIT);
  EXPECT_EQ(ticket.holder_unit(), "units/nongye");
  EXPECT_EQ(TimeOf(ticket.clock_start_time()), Monday());
  EXPECT_EQ(ticket.card(), v1::CARD_NONE);
  // The implementation deadline keeps the basis it was given with.
  EXPECT_EQ(ticket.stage_due_basis().working_days(), 0);
  // The reminder: the end of Monday 04-29.
  EXPECT_EQ(TimeOf(ticket.next_escalation_time()), Local(2024, 4, 30));
}

TEST(TicketLoopTest, SubmitFromImplementEntersInspectWithThreeWorkingDays) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_IMPLEMENT);
  v1::SubmitTicketRequest request = testing::SubmitRequest(before);
  request.add_evidence("files/report.pdf");
  absl::StatusOr<TicketChange> change =
      Apply(before, request, world.ContextFor(world.lead_staff, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_INSPECT);
  EXPECT_EQ(TimeOf(change->ticket.stage_due_time()), Local(2024, 3, 22));
  EXPECT_EQ(change->ticket.stage_cycle(), before.stage_cycle() + 1);
  EXPECT_THAT(change->ticket.evidence(), ElementsAre("files/report.pdf"));
  EXPECT_THAT(OnlyEvent(*change).evidence(), ElementsAre("files/report.pdf"));
  EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_SUBMITTED);
  EXPECT_EQ(OnlyEvent(*change).comment(), "已办结");
  // The inspectors hold it now: the review clock is theirs.
  EXPECT_EQ(change->ticket.holder(), v1::HOLDER_INSPECTION);
  EXPECT_EQ(change->ticket.holder_unit(), "units/ducha");
  EXPECT_EQ(OnlyEvent(*change).holder(), v1::HOLDER_INSPECTION);
  EXPECT_EQ(OnlyEvent(*change).holder_unit(), "units/ducha");
  EXPECT_EQ(change->ticket.responsible_principal(), "principals/nongye-staff");
}

TEST(TicketLoopTest, SubmitClosesATicketThatNeedsNoInspection) {
  LoopWorld world;
  v1::CreateTicketRequest create = world.TaskRequest();
  create.mutable_ticket()->set_requires_inspection(false);
  const v1::Ticket before = world.Walk(world.Create(create), v1::STAGE_IMPLEMENT);
  absl::StatusOr<TicketChange> change =
      Apply(before, testing::SubmitRequest(before), world.ContextFor(world.lead_staff, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_CLOSED);
  EXPECT_FALSE(change->ticket.has_stage_due_time());
  EXPECT_FALSE(OnlyEvent(*change).has_stage_due_time());
  EXPECT_EQ(change->ticket.progress_percent(), 100);
  EXPECT_EQ(OnlyEvent(*change).to_stage(), v1::STAGE_CLOSED);
}

TEST(TicketLoopTest, ReviewAcceptClosesAndStopsTheClock) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_INSPECT);
  ASSERT_TRUE(before.has_stage_due_time());
  absl::StatusOr<TicketChange> change =
      Apply(before, testing::AcceptRequest(before), world.ContextFor(world.inspector, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_CLOSED);
  EXPECT_FALSE(change->ticket.has_stage_due_time());
  EXPECT_FALSE(OnlyEvent(*change).has_stage_due_time());
  EXPECT_EQ(change->ticket.progress_percent(), 100);
  EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_ACCEPTED);
  EXPECT_EQ(TimeOf(change->ticket.stage_enter_time()), Monday());
  EXPECT_EQ(change->ticket.holder(), v1::HOLDER_NONE);
  EXPECT_EQ(change->ticket.holder_unit(), "");
  EXPECT_EQ(OnlyEvent(*change).holder(), v1::HOLDER_NONE);
  EXPECT_FALSE(change->ticket.has_next_escalation_time()) << "no clock, no ladder";
}

TEST(TicketLoopTest, TheIssuerMayReviewToo) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_INSPECT);
  absl::StatusOr<TicketChange> change =
      Apply(before, testing::AcceptRequest(before), world.ContextFor(world.leader));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_CLOSED);
}

TEST(TicketLoopTest, ReviewRejectSendsBackWithFindingsAndTheGivenDeadline) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_INSPECT);
  v1::ReviewTicketRequest request = testing::RejectRequest(before);
  *request.mutable_rectification_due_time() = ToTimestamp(Local(2024, 4, 20, 18));
  absl::StatusOr<TicketChange> change =
      Apply(before, request, world.ContextFor(world.inspector, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::Ticket& ticket = change->ticket;
  EXPECT_EQ(ticket.stage(), v1::STAGE_FEEDBACK);
  EXPECT_EQ(ticket.findings(), "台账不全");
  EXPECT_EQ(TimeOf(ticket.rectification_due_time()), Local(2024, 4, 20, 18));
  // The plan clock: Monday + 2 working days.
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Local(2024, 3, 21));
  EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_REJECTED);
  EXPECT_EQ(OnlyEvent(*change).comment(), "台账不全");
}

TEST(TicketLoopTest, ReviewRejectDefaultsToTenWorkingDaysOfRectification) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_INSPECT);
  absl::StatusOr<TicketChange> change =
      Apply(before, testing::RejectRequest(before), world.ContextFor(world.inspector, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(TimeOf(change->ticket.rectification_due_time()), Local(2024, 4, 2));
}

TEST(TicketLoopTest, PlanEntersImproveWithTheRectificationDeadline) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_FEEDBACK);
  ASSERT_TRUE(before.has_rectification_due_time());
  absl::StatusOr<TicketChange> change =
      Apply(before, testing::PlanRequest(before), world.ContextFor(world.lead_staff, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_IMPROVE);
  EXPECT_EQ(TimeOf(change->ticket.stage_due_time()), TimeOf(before.rectification_due_time()));
  EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_PLAN_FILED);
  EXPECT_EQ(OnlyEvent(*change).comment(), "整改方案");
}

TEST(TicketLoopTest, RectificationReportGoesToInspectionEvenWithoutRequiredInspection) {
  LoopWorld world;
  v1::CreateTicketRequest create = world.TaskRequest();
  create.mutable_ticket()->set_requires_inspection(false);
  // Without inspection a ticket only reaches IMPROVE through a reopening.
  v1::Ticket ticket = world.Walk(world.Create(create), v1::STAGE_IMPLEMENT);
  ticket = Must(Apply(ticket, testing::SubmitRequest(ticket), world.ContextFor(world.lead_staff)));
  ASSERT_EQ(ticket.stage(), v1::STAGE_CLOSED);
  ticket = Must(Apply(ticket, testing::ReopenRequest(ticket), world.ContextFor(world.inspector)));
  ticket = Must(Apply(ticket, testing::PlanRequest(ticket), world.ContextFor(world.lead_staff)));
  ASSERT_EQ(ticket.stage(), v1::STAGE_IMPROVE);

  absl::StatusOr<TicketChange> change =
      Apply(ticket, testing::SubmitRequest(ticket), world.ContextFor(world.lead_staff, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_INSPECT);
  EXPECT_EQ(TimeOf(change->ticket.stage_due_time()), Local(2024, 3, 22));
}

TEST(TicketLoopTest, ImproveSubmitEntersInspect) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_IMPROVE);
  absl::StatusOr<TicketChange> change =
      Apply(before, testing::SubmitRequest(before), world.ContextFor(world.lead_staff, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_INSPECT);
  EXPECT_EQ(OnlyEvent(*change).from_stage(), v1::STAGE_IMPROVE);
  EXPECT_EQ(TimeOf(change->ticket.stage_due_time()), Local(2024, 3, 22));
}

TEST(TicketLoopTest, ReopenSendsAClosedTicketBackToFeedback) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_CLOSED);
  absl::StatusOr<TicketChange> change =
      Apply(before, testing::ReopenRequest(before), world.ContextFor(world.inspector, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::Ticket& ticket = change->ticket;
  EXPECT_EQ(ticket.stage(), v1::STAGE_FEEDBACK);
  EXPECT_EQ(ticket.findings(), "回头看发现问题反弹");
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Local(2024, 3, 21));
  EXPECT_EQ(TimeOf(ticket.rectification_due_time()), Local(2024, 4, 2));
  EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_REOPENED);
  EXPECT_EQ(OnlyEvent(*change).from_stage(), v1::STAGE_CLOSED);
  EXPECT_EQ(OnlyEvent(*change).to_stage(), v1::STAGE_FEEDBACK);
}

TEST(TicketLoopTest, CancelEndsEveryOpenStage) {
  static constexpr v1::Stage kOpen[] = {v1::STAGE_DEPLOY, v1::STAGE_IMPLEMENT, v1::STAGE_INSPECT,
                                        v1::STAGE_FEEDBACK, v1::STAGE_IMPROVE};
  LoopWorld world;
  for (v1::Stage stage : kOpen) {
    const v1::Ticket before = world.TaskIn(stage);
    absl::StatusOr<TicketChange> change =
        Apply(before, testing::CancelRequest(before), world.ContextFor(world.leader, Monday()));
    ASSERT_TRUE(change.ok()) << StageLabel(stage) << ": " << change.status();
    EXPECT_EQ(change->ticket.stage(), v1::STAGE_CANCELLED) << StageLabel(stage);
    EXPECT_FALSE(change->ticket.has_stage_due_time()) << StageLabel(stage);
    EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_CANCELLED) << StageLabel(stage);
    EXPECT_EQ(OnlyEvent(*change).comment(), "任务已合并") << StageLabel(stage);
    EXPECT_EQ(OnlyEvent(*change).from_stage(), stage);
    EXPECT_EQ(OnlyEvent(*change).to_stage(), v1::STAGE_CANCELLED) << StageLabel(stage);
  }
}

TEST(TicketLoopTest, CancelClearsAPendingDispute) {
  LoopWorld world;
  v1::Ticket ticket = world.TaskIn(v1::STAGE_DEPLOY);
  ticket = Must(Apply(ticket, testing::DisputeRequest(ticket), world.ContextFor(world.lead_staff)));
  ASSERT_TRUE(ticket.has_dispute());
  ticket = Must(Apply(ticket, testing::CancelRequest(ticket), world.ContextFor(world.leader)));
  EXPECT_FALSE(ticket.has_dispute());
}

TEST(TicketLoopTest, ProgressReportKeepsTheStageAndItsClock) {
  LoopWorld world;
  const v1::Ticket before = world.TaskIn(v1::STAGE_IMPLEMENT);
  v1::ReportTicketProgressRequest request = testing::ProgressRequest(before, 60);
  request.add_evidence("photos/1.jpg");
  absl::StatusOr<TicketChange> change =
      Apply(before, request, world.ContextFor(world.coop_staff, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(change->ticket.stage_cycle(), before.stage_cycle());
  EXPECT_EQ(TimeOf(change->ticket.stage_due_time()), TimeOf(before.stage_due_time()));
  EXPECT_EQ(TimeOf(change->ticket.stage_enter_time()), TimeOf(before.stage_enter_time()));
  EXPECT_EQ(change->ticket.progress_percent(), 60);
  EXPECT_THAT(change->ticket.evidence(), ElementsAre("photos/1.jpg"));
  EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_PROGRESS_REPORTED);
  EXPECT_EQ(OnlyEvent(*change).progress_percent(), 60);
  EXPECT_EQ(OnlyEvent(*change).from_stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(OnlyEvent(*change).to_stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(OnlyEvent(*change).actor_unit(), "units/ziran");
  EXPECT_EQ(change->ticket.etag(), "3");
}

// Walks the whole loop twice round, passing the current etag each time, and
// checks the bookkeeping every change must do.
TEST(TicketLoopTest, EveryChangeAdvancesTheRevisionAndRecordsItsEvent) {
  LoopWorld world;
  using Step = std::function<absl::StatusOr<TicketChange>(const v1::Ticket&, absl::Time)>;
  struct StepCase {
    const char* label;
    v1::Stage to;
    bool restarts_clock;
    Step step;
    v1::Holder holder;
    const char* holder_unit;
  };
  constexpr v1::Holder kLead = v1::HOLDER_LEAD_UNIT;
  constexpr v1::Holder kIssuer = v1::HOLDER_ISSUER;
  constexpr v1::Holder kInspection = v1::HOLDER_INSPECTION;
  constexpr v1::Holder kNone = v1::HOLDER_NONE;
  auto as = [&world](const Caller& caller, auto make_request) -> Step {
    return [&world, caller, make_request](const v1::Ticket& ticket, absl::Time now) {
      auto request = make_request(ticket);
      request.set_etag(ticket.etag());
      return Apply(ticket, request, world.ContextFor(caller, now));
    };
  };
  const StepCase kSteps[] = {
      {"dispute", v1::STAGE_DEPLOY, true, as(world.lead_staff, testing::DisputeRequest), kIssuer,
       "units/county"},
      {"overrule", v1::STAGE_DEPLOY, true, as(world.leader, testing::OverruleRequest), kLead,
       "units/nongye"},
      {"sign", v1::STAGE_IMPLEMENT, true, as(world.lead_staff, testing::SignRequest), kLead,
       "units/nongye"},
      {"progress", v1::STAGE_IMPLEMENT, false,
       as(world.coop_staff, [](const v1::Ticket& t) { return testing::ProgressRequest(t, 30); }),
       kLead, "units/nongye"},
      {"submit", v1::STAGE_INSPECT, true, as(world.lead_staff, testing::SubmitRequest), kInspection,
       "units/ducha"},
      {"reject", v1::STAGE_FEEDBACK, true, as(world.inspector, testing::RejectRequest), kLead,
       "units/nongye"},
      {"plan", v1::STAGE_IMPROVE, true, as(world.lead_staff, testing::PlanRequest), kLead,
       "units/nongye"},
      {"progress", v1::STAGE_IMPROVE, false,
       as(world.lead_staff, [](const v1::Ticket& t) { return testing::ProgressRequest(t, 90); }),
       kLead, "units/nongye"},
      {"submit", v1::STAGE_INSPECT, true, as(world.lead_staff, testing::SubmitRequest), kInspection,
       "units/ducha"},
      {"accept", v1::STAGE_CLOSED, true, as(world.other_inspector, testing::AcceptRequest), kNone,
       ""},
      {"reopen", v1::STAGE_FEEDBACK, true, as(world.inspector, testing::ReopenRequest), kLead,
       "units/nongye"},
      {"plan", v1::STAGE_IMPROVE, true, as(world.lead_staff, testing::PlanRequest), kLead,
       "units/nongye"},
      {"cancel", v1::STAGE_CANCELLED, true, as(world.leader, testing::CancelRequest), kNone, ""},
  };

  v1::Ticket ticket = world.TaskIn(v1::STAGE_DEPLOY);
  absl::Time now = Friday();
  int64_t revision = 1;
  for (const StepCase& c : kSteps) {
    now += absl::Hours(1);
    const std::string where = absl::StrCat("step ", revision + 1, " (", c.label, ")");
    absl::StatusOr<TicketChange> change = c.step(ticket, now);
    ASSERT_TRUE(change.ok()) << where << ": " << change.status();
    ++revision;
    const v1::Ticket& next = change->ticket;
    const v1::TicketEvent& event = OnlyEvent(*change);
    EXPECT_EQ(next.etag(), absl::StrCat(revision)) << where;
    EXPECT_EQ(Revision(next), revision) << where;
    EXPECT_EQ(event.sequence(), revision) << where;
    EXPECT_EQ(event.etag(), next.etag()) << where;
    EXPECT_EQ(event.name(), absl::StrCat("tickets/7/events/", revision)) << where;
    EXPECT_EQ(event.ticket(), "tickets/7") << where;
    EXPECT_EQ(event.from_stage(), ticket.stage()) << where;
    EXPECT_EQ(event.to_stage(), c.to) << where;
    EXPECT_EQ(next.stage(), c.to) << where;
    EXPECT_EQ(TimeOf(next.update_time()), now) << where;
    EXPECT_EQ(TimeOf(event.create_time()), now) << where;
    EXPECT_EQ(TimeOf(next.create_time()), Friday()) << where;
    if (c.restarts_clock) {
      EXPECT_EQ(next.stage_cycle(), ticket.stage_cycle() + 1) << where;
      EXPECT_EQ(TimeOf(event.stage_due_time()), TimeOf(next.stage_due_time())) << where;
      EXPECT_EQ(TimeOf(next.clock_start_time()), now) << where;
    } else {
      EXPECT_EQ(next.stage_cycle(), ticket.stage_cycle()) << where;
      EXPECT_EQ(TimeOf(next.clock_start_time()), TimeOf(ticket.clock_start_time())) << where;
    }
    EXPECT_EQ(next.card(), v1::CARD_NONE) << where;
    EXPECT_EQ(next.holder(), c.holder) << where;
    EXPECT_EQ(next.holder_unit(), c.holder_unit) << where;
    EXPECT_EQ(event.holder(), c.holder) << where;
    EXPECT_EQ(event.holder_unit(), c.holder_unit) << where;
    if (next.stage() != ticket.stage()) {
      EXPECT_EQ(TimeOf(next.stage_enter_time()), now) << where;
    } else {
      EXPECT_EQ(TimeOf(next.stage_enter_time()), TimeOf(ticket.stage_enter_time())) << where;
    }
    ticket = next;
  }
  EXPECT_EQ(ticket.etag(), "14");
}

}  // namespace
}  // namespace duban
