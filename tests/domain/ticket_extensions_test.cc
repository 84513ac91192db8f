// Extensions (延期): the lead unit asks before its deadline; the issuer or a
// leader grants (a new deadline, a new clock) or refuses. A pending request
// does not stop the clock.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "domain/ticket_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::ExtensionRequest;
using ::duban::testing::GrantRequest;
using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::duban::testing::MakeCaller;
using ::duban::testing::Must;
using ::duban::testing::OnlyEvent;
using ::duban::testing::RefuseRequest;
using ::duban::testing::TimeOf;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

// The task is due at 18:00 on Tuesday 2024-04-30; asked on Monday 04-29
// for the end of May.
absl::Time Due() { return Local(2024, 4, 30, 18); }
absl::Time AskedAt() { return Local(2024, 4, 29, 10); }
absl::Time Proposed() { return Local(2024, 5, 31, 18); }

class ExtensionTest : public ::testing::Test {
 protected:
  absl::StatusOr<TicketChange> Ask(const v1::Ticket& ticket, absl::Time proposed,
                                   absl::Time now = AskedAt()) const {
    return Apply(ticket, ExtensionRequest(ticket, proposed),
                 world_.ContextFor(world_.lead_staff, now));
  }

  // `stage` of the task with a request for Proposed() pending.
  v1::Ticket Pending(v1::Stage stage = v1::STAGE_IMPLEMENT) const {
    const v1::Ticket ticket = world_.TaskIn(stage);
    const absl::Time now = stage == v1::STAGE_IMPLEMENT ? AskedAt() : testing::Friday();
    return Must(Ask(ticket, Proposed(), now));
  }

  LoopWorld world_;
};

void ExpectRefused(const absl::StatusOr<TicketChange>& change, absl::StatusCode code,
                   const std::string& reason, const std::string& where) {
  ASSERT_FALSE(change.ok()) << where << " was accepted";
  EXPECT_EQ(change.status().code(), code) << where << ": " << change.status();
  EXPECT_EQ(ErrorReason(change.status()), reason) << where << ": " << change.status();
}

TEST_F(ExtensionTest, ARequestIsRecordedAndTheClockRunsOn) {
  const v1::Ticket before = world_.TaskIn(v1::STAGE_IMPLEMENT);
  v1::RequestExtensionRequest request = ExtensionRequest(before, Proposed());
  request.set_request_id("ext-1");
  request.set_etag(before.etag());
  absl::StatusOr<TicketChange> change =
      Apply(before, request, world_.ContextFor(world_.lead_staff, AskedAt()));
  ASSERT_TRUE(change.ok()) << change.status();

  const v1::Ticket& ticket = change->ticket;
  ASSERT_TRUE(ticket.has_pending_extension());
  EXPECT_EQ(ticket.pending_extension().requester(), "principals/nongye-staff");
  EXPECT_EQ(ticket.pending_extension().reason(), "汛期影响施工");
  EXPECT_EQ(TimeOf(ticket.pending_extension().proposed_due_time()), Proposed());
  EXPECT_EQ(TimeOf(ticket.pending_extension().create_time()), AskedAt());
  EXPECT_EQ(ticket.etag(), absl::StrCat(Revision(before) + 1));
  // The clock is not stopped.
  EXPECT_EQ(ticket.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Due());
  EXPECT_EQ(TimeOf(ticket.due_time()), Due());
  EXPECT_EQ(ticket.stage_cycle(), before.stage_cycle());
  EXPECT_EQ(TimeOf(ticket.next_escalation_time()), TimeOf(before.next_escalation_time()));

  const v1::TicketEvent& event = OnlyEvent(*change);
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_EXTENSION_REQUESTED);
  EXPECT_EQ(event.comment(), "汛期影响施工");
  EXPECT_EQ(TimeOf(event.proposed_due_time()), Proposed());
  EXPECT_EQ(event.request_id(), "ext-1");
  EXPECT_EQ(event.from_stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(event.to_stage(), v1::STAGE_IMPLEMENT);
  EXPECT_FALSE(event.has_stage_due_time()) << "no clock was set";
}

TEST_F(ExtensionTest, AProposalInWorkingDaysKeepsItsBasis) {
  const v1::Ticket before = world_.TaskIn(v1::STAGE_IMPLEMENT);
  v1::RequestExtensionRequest request = ExtensionRequest(before, Proposed());
  request.clear_proposed_due_time();
  request.mutable_proposed_due_in()->set_working_days(20);
  ASSERT_TRUE(Validate(request, world_.ContextFor(world_.lead_staff, AskedAt())).ok());
  v1::Ticket ticket = Must(Apply(before, request, world_.ContextFor(world_.lead_staff, AskedAt())));
  // 20 working days from Monday 04-29 on a weekends-only calendar: Monday 05-27.
  EXPECT_EQ(TimeOf(ticket.pending_extension().proposed_due_time()), Local(2024, 5, 28));
  EXPECT_EQ(ticket.pending_extension().proposed_due_basis().working_days(), 20);
  EXPECT_EQ(TimeOf(ticket.pending_extension().proposed_due_basis().counted_from()), AskedAt());

  // Granted as proposed, the deadline keeps that basis.
  ticket = Must(Apply(ticket, GrantRequest(ticket), world_.ContextFor(world_.leader, AskedAt())));
  EXPECT_EQ(TimeOf(ticket.due_time()), Local(2024, 5, 28));
  EXPECT_EQ(ticket.due_basis().working_days(), 20);
  EXPECT_EQ(ticket.stage_due_basis().working_days(), 20);
}

TEST_F(ExtensionTest, OnlyTheLeadUnitAsks) {
  const v1::Ticket ticket = world_.TaskIn(v1::STAGE_IMPLEMENT);
  for (const Caller& caller :
       {world_.coop_staff, world_.other_staff, world_.leader, world_.inspector}) {
    ExpectRefused(
        Apply(ticket, ExtensionRequest(ticket, Proposed()), world_.ContextFor(caller, AskedAt())),
        absl::StatusCode::kPermissionDenied, "NOT_TICKET_ACTOR", caller.principal);
  }
}

TEST_F(ExtensionTest, OnlyStagesWithAClockTheUnitRunsMayBeExtended) {
  static const struct {
    v1::Stage stage;
    bool accepted;
  } kCases[] = {
      {v1::STAGE_DEPLOY, false},    {v1::STAGE_IMPLEMENT, true}, {v1::STAGE_INSPECT, false},
      {v1::STAGE_FEEDBACK, true},   {v1::STAGE_IMPROVE, true},   {v1::STAGE_CLOSED, false},
      {v1::STAGE_CANCELLED, false},
  };
  for (const auto& c : kCases) {
    const v1::Ticket ticket = world_.TaskIn(c.stage);
    absl::StatusOr<TicketChange> change = Ask(ticket, Proposed(), testing::Friday());
    if (c.accepted) {
      EXPECT_TRUE(change.ok()) << StageLabel(c.stage) << ": " << change.status();
    } else {
      ExpectRefused(change, absl::StatusCode::kFailedPrecondition, "STAGE_MISMATCH",
                    std::string(StageLabel(c.stage)));
    }
  }
}

TEST_F(ExtensionTest, AskingAfterTheDeadlineIsTooLate) {
  const v1::Ticket ticket = world_.TaskIn(v1::STAGE_IMPLEMENT);
  EXPECT_TRUE(Ask(ticket, Proposed(), Due() - absl::Minutes(1)).ok());
  ExpectRefused(Ask(ticket, Proposed(), Due()), absl::StatusCode::kFailedPrecondition,
                "DEADLINE_PASSED", "at the deadline");
  ExpectRefused(Ask(ticket, Proposed(), Local(2024, 5, 6, 9)),
                absl::StatusCode::kFailedPrecondition, "DEADLINE_PASSED", "a week after");
}

TEST_F(ExtensionTest, OneRequestAtATime) {
  const v1::Ticket ticket = Pending();
  ExpectRefused(Ask(ticket, Local(2024, 6, 28, 18)), absl::StatusCode::kFailedPrecondition,
                "EXTENSION_PENDING", "a second request");
}

TEST_F(ExtensionTest, TheProposalMustBeLaterThanTheCurrentDeadline) {
  const v1::Ticket ticket = world_.TaskIn(v1::STAGE_IMPLEMENT);
  for (absl::Time proposed : {Due(), Due() - absl::Hours(2)}) {
    absl::StatusOr<TicketChange> change = Ask(ticket, proposed);
    ASSERT_FALSE(change.ok()) << proposed;
    EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument) << proposed;
    EXPECT_THAT(BadRequestFields(change.status()), ::testing::ElementsAre("proposed_due_time"));
  }
}

TEST_F(ExtensionTest, ValidateRequestNamesEachBadField) {
  using Edit = std::function<void(v1::RequestExtensionRequest&)>;
  const struct {
    const char* label;
    Edit edit;
    std::vector<std::string> fields;
  } kCases[] = {
      {"valid", [](v1::RequestExtensionRequest&) {}, {}},
      {"valid in hours",
       [](v1::RequestExtensionRequest& r) {
         r.clear_proposed_due_time();
         r.mutable_proposed_due_in()->set_hours(72);
       },
       {}},
      {"no name", [](v1::RequestExtensionRequest& r) { r.clear_name(); }, {"name"}},
      {"no reason", [](v1::RequestExtensionRequest& r) { r.clear_reason(); }, {"reason"}},
      {"no deadline",
       [](v1::RequestExtensionRequest& r) { r.clear_proposed_due_time(); },
       {"proposed_due_time"}},
      {"a deadline in the past",
       [](v1::RequestExtensionRequest& r) {
         *r.mutable_proposed_due_time() = ToTimestamp(AskedAt() - absl::Hours(1));
       },
       {"proposed_due_time"}},
      {"a time and a span",
       [](v1::RequestExtensionRequest& r) { r.mutable_proposed_due_in()->set_working_days(5); },
       {"proposed_due_in"}},
      {"negative hours",
       [](v1::RequestExtensionRequest& r) {
         r.clear_proposed_due_time();
         r.mutable_proposed_due_in()->set_hours(-1);
       },
       {"proposed_due_in.hours"}},
      // Every bad field is named at once (ticket_loop.h).
      {"no reason and no deadline",
       [](v1::RequestExtensionRequest& r) {
         r.clear_reason();
         r.clear_proposed_due_time();
       },
       {"reason", "proposed_due_time"}},
  };
  const v1::Ticket ticket = world_.TaskIn(v1::STAGE_IMPLEMENT);
  for (const auto& c : kCases) {
    v1::RequestExtensionRequest request = ExtensionRequest(ticket, Proposed());
    c.edit(request);
    const absl::Status status = Validate(request, world_.ContextFor(world_.lead_staff, AskedAt()));
    if (c.fields.empty()) {
      EXPECT_TRUE(status.ok()) << c.label << ": " << status;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.label;
      EXPECT_THAT(BadRequestFields(status), ElementsAreArray(c.fields)) << c.label;
    }
  }
}

// The request was made before the deadline; the deadline passed while it
// waited, so the ladder fired. The grant restarts the clock: a new cycle, a
// clean card, the whole ladder again from the new deadline.
TEST_F(ExtensionTest, AGrantRestartsTheClockAndTheLadder) {
  v1::Ticket ticket = Pending();
  const Caller escalator = MakeCaller("cron", v1::ROLE_ESCALATOR, "");
  const absl::Time swept_at = Local(2024, 5, 1, 9);
  ticket = Must(Escalate(ticket, swept_at, world_.ContextFor(escalator, swept_at)));
  ASSERT_EQ(ticket.card(), v1::CARD_YELLOW);
  ASSERT_EQ(ticket.fired_levels_size(), 2);
  ASSERT_TRUE(ticket.has_pending_extension()) << "a sweep leaves the request alone";

  const v1::Ticket before = ticket;
  const absl::Time granted_at = Local(2024, 5, 2, 9);
  v1::DecideExtensionRequest request = GrantRequest(before);
  request.set_comment("同意延期");
  absl::StatusOr<TicketChange> change =
      Apply(before, request, world_.ContextFor(world_.leader, granted_at));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::Ticket& granted = change->ticket;
  EXPECT_FALSE(granted.has_pending_extension());
  EXPECT_EQ(granted.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(TimeOf(granted.due_time()), Proposed());
  EXPECT_EQ(TimeOf(granted.stage_due_time()), Proposed());
  EXPECT_EQ(granted.stage_cycle(), before.stage_cycle() + 1);
  EXPECT_EQ(granted.card(), v1::CARD_NONE);
  EXPECT_THAT(granted.fired_levels(), IsEmpty());
  EXPECT_EQ(granted.escalations_size(), 2) << "what fired before the grant stays on record";
  EXPECT_EQ(TimeOf(granted.clock_start_time()), granted_at);
  EXPECT_EQ(TimeOf(granted.stage_enter_time()), TimeOf(before.stage_enter_time()));
  // The new reminder: the end of Thursday 05-30.
  EXPECT_EQ(TimeOf(granted.next_escalation_time()), Local(2024, 5, 31));

  const v1::TicketEvent& event = OnlyEvent(*change);
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_EXTENSION_GRANTED);
  EXPECT_EQ(event.comment(), "同意延期");
  EXPECT_EQ(event.actor(), "principals/li");
  EXPECT_EQ(TimeOf(event.stage_due_time()), Proposed());

  const absl::Time later = Local(2024, 5, 31, 12);
  absl::StatusOr<TicketChange> swept =
      Escalate(granted, later, world_.ContextFor(escalator, later));
  ASSERT_TRUE(swept.ok()) << swept.status();
  ASSERT_EQ(swept->events.size(), 1u) << "the reminder fires again in the new cycle";
  EXPECT_EQ(swept->events[0].level(), v1::ESCALATION_LEVEL_REMINDER);
  EXPECT_EQ(TimeOf(swept->events[0].deadline()), Proposed());
}

TEST_F(ExtensionTest, TheDeciderMayGrantAnotherDeadline) {
  static const struct {
    const char* label;
    absl::Time new_due_time;  // InfinitePast: none
    int new_due_in_days;
    absl::Time due;
    int basis_days;
  } kCases[] = {
      {"as proposed", absl::InfinitePast(), 0, Local(2024, 5, 31, 18), 0},
      {"an earlier time than proposed", Local(2024, 5, 15, 18), 0, Local(2024, 5, 15, 18), 0},
      // 5 working days from Monday 04-29: Monday 05-06.
      {"in working days", absl::InfinitePast(), 5, Local(2024, 5, 7), 5},
  };
  for (const auto& c : kCases) {
    const v1::Ticket ticket = Pending();
    v1::DecideExtensionRequest request = GrantRequest(ticket);
    if (c.new_due_time != absl::InfinitePast()) {
      *request.mutable_new_due_time() = ToTimestamp(c.new_due_time);
    }
    if (c.new_due_in_days != 0) request.mutable_new_due_in()->set_working_days(c.new_due_in_days);
    const LoopContext context = world_.ContextFor(world_.leader, AskedAt());
    ASSERT_TRUE(Validate(request, context).ok()) << c.label << ": " << Validate(request, context);
    absl::StatusOr<TicketChange> change = Apply(ticket, request, context);
    ASSERT_TRUE(change.ok()) << c.label << ": " << change.status();
    EXPECT_EQ(TimeOf(change->ticket.due_time()), c.due) << c.label;
    EXPECT_EQ(TimeOf(change->ticket.stage_due_time()), c.due) << c.label;
    EXPECT_EQ(change->ticket.due_basis().working_days(), c.basis_days) << c.label;
  }
}

TEST_F(ExtensionTest, AGrantedDeadlineMustBeLaterThanTheCurrentOne) {
  const v1::Ticket ticket = Pending();
  v1::DecideExtensionRequest request = GrantRequest(ticket);
  *request.mutable_new_due_time() = ToTimestamp(Due() - absl::Hours(6));
  absl::StatusOr<TicketChange> change =
      Apply(ticket, request, world_.ContextFor(world_.leader, AskedAt()));
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadRequestFields(change.status()), ::testing::ElementsAre("new_due_time"));
}

// A pending request does not stop the clock, nor does it stop time: a
// proposal that has passed by the time it is decided cannot become the new
// deadline as it is (a deadline given as new_due_time must be in the
// future too). The decider gives another one.
TEST_F(ExtensionTest, AProposalThatPassedWhileItWaitedIsNotGrantedAsItIs) {
  const v1::Ticket ticket = Must(Ask(world_.TaskIn(v1::STAGE_IMPLEMENT), Due() + absl::Hours(2)));
  const LoopContext later = world_.ContextFor(world_.leader, Local(2024, 5, 2, 9));
  absl::StatusOr<TicketChange> as_proposed = Apply(ticket, GrantRequest(ticket), later);
  ASSERT_FALSE(as_proposed.ok()) << "granted a deadline that had already passed: "
                                 << TimeOf(as_proposed->ticket.stage_due_time());
  EXPECT_EQ(as_proposed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadRequestFields(as_proposed.status()), ::testing::ElementsAre("new_due_time"));

  v1::DecideExtensionRequest request = GrantRequest(ticket);
  *request.mutable_new_due_time() = ToTimestamp(Local(2024, 5, 10, 18));
  absl::StatusOr<TicketChange> granted = Apply(ticket, request, later);
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_EQ(TimeOf(granted->ticket.stage_due_time()), Local(2024, 5, 10, 18));
}

TEST_F(ExtensionTest, AGrantMovesTheDeadlineOfTheStage) {
  static const struct {
    v1::Stage stage;
    bool moves_due_time;
    bool moves_rectification;
  } kCases[] = {
      {v1::STAGE_IMPLEMENT, true, false},
      {v1::STAGE_FEEDBACK, false, false},  // the plan clock only
      {v1::STAGE_IMPROVE, false, true},
  };
  for (const auto& c : kCases) {
    const std::string where(StageLabel(c.stage));
    const v1::Ticket before = Pending(c.stage);
    const absl::Time now = c.stage == v1::STAGE_IMPLEMENT ? AskedAt() : testing::Friday();
    const v1::Ticket granted =
        Must(Apply(before, GrantRequest(before), world_.ContextFor(world_.leader, now)));
    EXPECT_EQ(granted.stage(), c.stage) << where;
    EXPECT_EQ(TimeOf(granted.stage_due_time()), Proposed()) << where;
    EXPECT_EQ(TimeOf(granted.due_time()), c.moves_due_time ? Proposed() : Due()) << where;
    if (c.moves_rectification) {
      EXPECT_EQ(TimeOf(granted.rectification_due_time()), Proposed()) << where;
    } else {
      EXPECT_EQ(TimeOf(granted.rectification_due_time()), TimeOf(before.rectification_due_time()))
          << where;
    }
    EXPECT_EQ(granted.stage_cycle(), before.stage_cycle() + 1) << where;
  }
}

TEST_F(ExtensionTest, TheIssuerOrALeaderDecides) {
  const v1::Ticket task = Pending();
  static const struct {
    const char* label;
    bool allowed;
  } kExpected[] = {{"issuer", true},
                   {"another leader", true},
                   {"inspector", false},
                   {"lead unit", false},
                   {"discipline", false}};
  const Caller callers[] = {world_.leader, world_.other_leader, world_.inspector, world_.lead_staff,
                            MakeCaller("jiwei", v1::ROLE_DISCIPLINE, "jiwei")};
  for (size_t i = 0; i < std::size(callers); ++i) {
    absl::StatusOr<TicketChange> change =
        Apply(task, GrantRequest(task), world_.ContextFor(callers[i], AskedAt()));
    if (kExpected[i].allowed) {
      EXPECT_TRUE(change.ok()) << kExpected[i].label << ": " << change.status();
    } else {
      ExpectRefused(change, absl::StatusCode::kPermissionDenied, "NOT_TICKET_ACTOR",
                    kExpected[i].label);
    }
  }

  // A finding's issuer is an inspector: it decides, another inspector does
  // not, a leader does.
  v1::Ticket finding = world_.Create(world_.FindingRequest());
  finding = Must(Apply(finding, ExtensionRequest(finding, Local(2024, 3, 27, 18)),
                       world_.ContextFor(MakeCaller("cg", v1::ROLE_UNIT_STAFF, "chengguan"))));
  EXPECT_TRUE(Apply(finding, GrantRequest(finding), world_.ContextFor(world_.inspector)).ok());
  EXPECT_TRUE(Apply(finding, GrantRequest(finding), world_.ContextFor(world_.leader)).ok());
  ExpectRefused(Apply(finding, GrantRequest(finding), world_.ContextFor(world_.other_inspector)),
                absl::StatusCode::kPermissionDenied, "NOT_TICKET_ACTOR", "another inspector");
}

TEST_F(ExtensionTest, ARefusalKeepsTheDeadlineAndTheClock) {
  v1::Ticket before = Pending();
  absl::StatusOr<TicketChange> change =
      Apply(before, RefuseRequest(before), world_.ContextFor(world_.leader, AskedAt()));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::Ticket& ticket = change->ticket;
  EXPECT_FALSE(ticket.has_pending_extension());
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Due());
  EXPECT_EQ(TimeOf(ticket.due_time()), Due());
  EXPECT_EQ(ticket.stage_cycle(), before.stage_cycle());
  EXPECT_EQ(TimeOf(ticket.clock_start_time()), TimeOf(before.clock_start_time()));
  EXPECT_EQ(TimeOf(ticket.next_escalation_time()), TimeOf(before.next_escalation_time()));
  const v1::TicketEvent& event = OnlyEvent(*change);
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_EXTENSION_REFUSED);
  EXPECT_EQ(event.comment(), "理由不充分");
  EXPECT_FALSE(event.has_stage_due_time());

  // Refused, the unit may ask again while there is time.
  EXPECT_TRUE(Ask(ticket, Proposed()).ok());
}

TEST_F(ExtensionTest, NothingToDecideWithoutARequest) {
  const v1::Ticket ticket = world_.TaskIn(v1::STAGE_IMPLEMENT);
  ExpectRefused(Apply(ticket, GrantRequest(ticket), world_.ContextFor(world_.leader)),
                absl::StatusCode::kFailedPrecondition, "NO_EXTENSION_PENDING", "grant");
  ExpectRefused(Apply(ticket, RefuseRequest(ticket), world_.ContextFor(world_.leader)),
                absl::StatusCode::kFailedPrecondition, "NO_EXTENSION_PENDING", "refuse");
}

TEST_F(ExtensionTest, ValidateDecisionNamesEachBadField) {
  using Edit = std::function<void(v1::DecideExtensionRequest&)>;
  const struct {
    const char* label;
    Edit edit;
    std::vector<std::string> fields;
  } kCases[] = {
      {"grant", [](v1::DecideExtensionRequest&) {}, {}},
      {"refuse with a comment",
       [](v1::DecideExtensionRequest& r) {
         r.set_decision(v1::EXTENSION_DECISION_REFUSE);
         r.set_comment("不同意");
       },
       {}},
      {"no decision",
       [](v1::DecideExtensionRequest& r) { r.set_decision(v1::EXTENSION_DECISION_UNSPECIFIED); },
       {"decision"}},
      {"refuse without a comment",
       [](v1::DecideExtensionRequest& r) { r.set_decision(v1::EXTENSION_DECISION_REFUSE); },
       {"comment"}},
      {"refuse with a new deadline",
       [](v1::DecideExtensionRequest& r) {
         r.set_decision(v1::EXTENSION_DECISION_REFUSE);
         r.set_comment("不同意");
         *r.mutable_new_due_time() = ToTimestamp(Proposed());
       },
       {"new_due_time"}},
      {"grant with a past deadline",
       [](v1::DecideExtensionRequest& r) {
         *r.mutable_new_due_time() = ToTimestamp(AskedAt() - absl::Hours(1));
       },
       {"new_due_time"}},
      {"grant with a time and a span",
       [](v1::DecideExtensionRequest& r) {
         *r.mutable_new_due_time() = ToTimestamp(Proposed());
         r.mutable_new_due_in()->set_working_days(3);
       },
       {"new_due_in"}},
  };
  const v1::Ticket ticket = world_.TaskIn(v1::STAGE_IMPLEMENT);
  for (const auto& c : kCases) {
    v1::DecideExtensionRequest request = GrantRequest(ticket);
    c.edit(request);
    const absl::Status status = Validate(request, world_.ContextFor(world_.leader, AskedAt()));
    if (c.fields.empty()) {
      EXPECT_TRUE(status.ok()) << c.label << ": " << status;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.label;
      EXPECT_THAT(BadRequestFields(status), ElementsAreArray(c.fields)) << c.label;
    }
  }
}

TEST_F(ExtensionTest, CancellingDropsAPendingRequest) {
  const v1::Ticket ticket = Pending();
  const v1::Ticket cancelled = Must(
      Apply(ticket, testing::CancelRequest(ticket), world_.ContextFor(world_.leader, AskedAt())));
  EXPECT_FALSE(cancelled.has_pending_extension());
}

// A request asks to move the deadline of the stage it was made in. Once the
// ticket leaves that stage the request is moot: in INSPECT nobody can
// decide it, and back in FEEDBACK it must neither block a request for the
// plan deadline nor be granted as if it were one.
TEST_F(ExtensionTest, LeavingTheStageDropsAPendingRequest) {
  const v1::Ticket ticket = Pending();
  const v1::Ticket submitted = Must(Apply(ticket, testing::SubmitRequest(ticket),
                                          world_.ContextFor(world_.lead_staff, AskedAt())));
  ASSERT_EQ(submitted.stage(), v1::STAGE_INSPECT);
  EXPECT_FALSE(submitted.has_pending_extension())
      << "the request for the implementation deadline outlived IMPLEMENT";

  const absl::Time rejected_at = Local(2024, 4, 29, 15);
  const v1::Ticket sent_back = Must(Apply(submitted, testing::RejectRequest(submitted),
                                          world_.ContextFor(world_.inspector, rejected_at)));
  ASSERT_EQ(sent_back.stage(), v1::STAGE_FEEDBACK);
  EXPECT_FALSE(sent_back.has_pending_extension());
  EXPECT_TRUE(Ask(sent_back, Local(2024, 5, 10, 18), rejected_at).ok())
      << "the unit cannot ask for more time to plan";
}

}  // namespace
}  // namespace duban
