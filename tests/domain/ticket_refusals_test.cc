// Refusals of the loop: who may take each step on a ticket, stale etags, and
// the order ticket_loop.h documents: actor, then etag, then stage, then the
// step's own preconditions.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/time_convert.h"
#include "domain/ticket_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::LoopWorld;
using ::duban::testing::MakeCaller;
using ::duban::testing::Must;
using ::testing::HasSubstr;

enum class Step {
  kSign,
  kDispute,
  kOverrule,
  kReassignToLead,
  kProgress,
  kSubmit,
  kPlan,
  kAccept,
  kReject,
  kCancel,
  kReopen
};

absl::StatusOr<TicketChange> Take(const LoopWorld& world, Step step, const v1::Ticket& ticket,
                                  const Caller& caller, const std::string& etag) {
  const LoopContext context = world.ContextFor(caller);
  auto with_etag = [&etag](auto request) {
    request.set_etag(etag);
    return request;
  };
  switch (step) {
    case Step::kSign:
      return Apply(ticket, with_etag(testing::SignRequest(ticket)), context);
    case Step::kDispute:
      return Apply(ticket, with_etag(testing::DisputeRequest(ticket)), context);
    case Step::kOverrule:
      return Apply(ticket, with_etag(testing::OverruleRequest(ticket)), context);
    case Step::kReassignToLead:
      return Apply(ticket, with_etag(testing::ReassignRequest(ticket, ticket.lead_unit())),
                   context);
    case Step::kProgress:
      return Apply(ticket, with_etag(testing::ProgressRequest(ticket, 50)), context);
    case Step::kSubmit:
      return Apply(ticket, with_etag(testing::SubmitRequest(ticket)), context);
    case Step::kPlan:
      return Apply(ticket, with_etag(testing::PlanRequest(ticket)), context);
    case Step::kAccept:
      return Apply(ticket, with_etag(testing::AcceptRequest(ticket)), context);
    case Step::kReject:
      return Apply(ticket, with_etag(testing::RejectRequest(ticket)), context);
    case Step::kCancel:
      return Apply(ticket, with_etag(testing::CancelRequest(ticket)), context);
    case Step::kReopen:
      return Apply(ticket, with_etag(testing::ReopenRequest(ticket)), context);
  }
  return absl::InternalError("unknown step");
}

struct RefusalCase {
  std::string label;
  v1::Stage stage;
  bool disputed;  // a dispute is pending (DEPLOY only)
  Step step;
  Caller caller;
  std::string etag;  // "" sends none; "current" sends the ticket's
  absl::StatusCode code;
  std::string reason;  // "" for OK or a reason-less error
};

v1::Ticket TicketFor(const LoopWorld& world, const RefusalCase& c) {
  v1::Ticket ticket = world.TaskIn(c.stage);
  if (c.disputed) {
    ticket =
        Must(Apply(ticket, testing::DisputeRequest(ticket), world.ContextFor(world.lead_staff)));
  }
  return ticket;
}

void RunCases(const LoopWorld& world, const std::vector<RefusalCase>& cases) {
  for (const RefusalCase& c : cases) {
    const v1::Ticket ticket = TicketFor(world, c);
    const std::string etag = c.etag == "current" ? ticket.etag() : c.etag;
    absl::StatusOr<TicketChange> change = Take(world, c.step, ticket, c.caller, etag);
    EXPECT_EQ(change.status().code(), c.code) << c.label << ": " << change.status();
    if (!c.reason.empty()) {
      EXPECT_EQ(ErrorReason(change.status()), c.reason) << c.label;
    }
    if (c.code == absl::StatusCode::kPermissionDenied) {
      EXPECT_THAT(std::string(change.status().message()), HasSubstr(c.caller.principal))
          << c.label << ": the refusal names who was refused";
    }
  }
}

constexpr auto kOk = absl::StatusCode::kOk;
constexpr auto kDenied = absl::StatusCode::kPermissionDenied;
constexpr auto kAborted = absl::StatusCode::kAborted;
constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;
constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

TEST(TicketRefusalsTest, OnlyTheTicketsActorsMayTakeEachStep) {
  LoopWorld w;
  Caller leader_of_lead_unit = MakeCaller("nongye-head", v1::ROLE_LEADER, "nongye");
  Caller staff_without_unit = MakeCaller("drifter", v1::ROLE_UNIT_STAFF, "");
  const char* kActor = "NOT_TICKET_ACTOR";
  const std::vector<RefusalCase> cases = {
      {"lead staff signs", v1::STAGE_DEPLOY, false, Step::kSign, w.lead_staff, "", kOk, ""},
      {"cooperating staff signs", v1::STAGE_DEPLOY, false, Step::kSign, w.coop_staff, "", kDenied,
       kActor},
      {"unrelated staff signs", v1::STAGE_DEPLOY, false, Step::kSign, w.other_staff, "", kDenied,
       kActor},
      {"inspector signs", v1::STAGE_DEPLOY, false, Step::kSign, w.inspector, "", kDenied, kActor},
      {"issuer signs", v1::STAGE_DEPLOY, false, Step::kSign, w.leader, "", kDenied, kActor},
      {"leader of the lead unit signs", v1::STAGE_DEPLOY, false, Step::kSign, leader_of_lead_unit,
       "", kDenied, kActor},
      {"unit staff without a unit signs", v1::STAGE_DEPLOY, false, Step::kSign, staff_without_unit,
       "", kDenied, kActor},
      {"cooperating staff disputes", v1::STAGE_DEPLOY, false, Step::kDispute, w.coop_staff, "",
       kDenied, kActor},
      {"lead staff overrules", v1::STAGE_DEPLOY, true, Step::kOverrule, w.lead_staff, "", kDenied,
       kActor},
      {"cooperating staff reports", v1::STAGE_IMPLEMENT, false, Step::kProgress, w.coop_staff, "",
       kOk, ""},
      {"unrelated staff reports", v1::STAGE_IMPLEMENT, false, Step::kProgress, w.other_staff, "",
       kDenied, kActor},
      {"issuer reports", v1::STAGE_IMPLEMENT, false, Step::kProgress, w.leader, "", kDenied,
       kActor},
      {"cooperating staff submits", v1::STAGE_IMPLEMENT, false, Step::kSubmit, w.coop_staff, "",
       kDenied, kActor},
      {"cooperating staff files the plan", v1::STAGE_FEEDBACK, false, Step::kPlan, w.coop_staff, "",
       kDenied, kActor},
      {"inspector files the plan", v1::STAGE_FEEDBACK, false, Step::kPlan, w.inspector, "", kDenied,
       kActor},
      {"lead staff reviews", v1::STAGE_INSPECT, false, Step::kAccept, w.lead_staff, "", kDenied,
       kActor},
      {"cooperating staff rejects", v1::STAGE_INSPECT, false, Step::kReject, w.coop_staff, "",
       kDenied, kActor},
      {"another leader reviews", v1::STAGE_INSPECT, false, Step::kAccept, w.other_leader, "",
       kDenied, kActor},
      {"any inspector reviews", v1::STAGE_INSPECT, false, Step::kReject, w.other_inspector, "", kOk,
       ""},
      {"issuer cancels", v1::STAGE_IMPLEMENT, false, Step::kCancel, w.leader, "", kOk, ""},
      {"another leader cancels", v1::STAGE_IMPLEMENT, false, Step::kCancel, w.other_leader, "",
       kDenied, kActor},
      {"inspector cancels a task", v1::STAGE_IMPLEMENT, false, Step::kCancel, w.inspector, "",
       kDenied, kActor},
      {"lead staff cancels", v1::STAGE_IMPLEMENT, false, Step::kCancel, w.lead_staff, "", kDenied,
       kActor},
      {"issuer reopens", v1::STAGE_CLOSED, false, Step::kReopen, w.leader, "", kDenied, kActor},
      {"lead staff reopens", v1::STAGE_CLOSED, false, Step::kReopen, w.lead_staff, "", kDenied,
       kActor},
      {"any inspector reopens", v1::STAGE_CLOSED, false, Step::kReopen, w.other_inspector, "", kOk,
       ""},
  };
  RunCases(w, cases);
}

TEST(TicketRefusalsTest, TheInspectorWhoFiledAFindingMayCancelIt) {
  LoopWorld w;
  const v1::Ticket finding = w.Create(w.FindingRequest());
  EXPECT_TRUE(Apply(finding, testing::CancelRequest(finding), w.ContextFor(w.inspector)).ok());
  absl::StatusOr<TicketChange> other =
      Apply(finding, testing::CancelRequest(finding), w.ContextFor(w.other_inspector));
  EXPECT_EQ(other.status().code(), kDenied) << other.status();
  EXPECT_EQ(ErrorReason(other.status()), "NOT_TICKET_ACTOR");
}

TEST(TicketRefusalsTest, AStaleEtagIsAborted) {
  LoopWorld w;
  const std::vector<RefusalCase> cases = {
      {"no etag", v1::STAGE_DEPLOY, false, Step::kSign, w.lead_staff, "", kOk, ""},
      {"current etag", v1::STAGE_DEPLOY, false, Step::kSign, w.lead_staff, "current", kOk, ""},
      {"older etag", v1::STAGE_IMPLEMENT, false, Step::kSubmit, w.lead_staff, "1", kAborted,
       "ETAG_MISMATCH"},
      {"newer etag", v1::STAGE_DEPLOY, false, Step::kSign, w.lead_staff, "2", kAborted,
       "ETAG_MISMATCH"},
      {"junk etag", v1::STAGE_INSPECT, false, Step::kAccept, w.inspector, "W/\"3\"", kAborted,
       "ETAG_MISMATCH"},
  };
  RunCases(w, cases);
}

TEST(TicketRefusalsTest, RefusalsComeInTheDocumentedOrder) {
  LoopWorld w;
  const std::vector<RefusalCase> cases = {
      {"actor before etag and stage", v1::STAGE_IMPLEMENT, false, Step::kSign, w.coop_staff, "99",
       kDenied, "NOT_TICKET_ACTOR"},
      {"actor before stage", v1::STAGE_CLOSED, false, Step::kSign, w.inspector, "", kDenied,
       "NOT_TICKET_ACTOR"},
      {"etag before stage", v1::STAGE_IMPLEMENT, false, Step::kSign, w.lead_staff, "99", kAborted,
       "ETAG_MISMATCH"},
      {"stage alone", v1::STAGE_IMPLEMENT, false, Step::kSign, w.lead_staff, "current",
       kPrecondition, "STAGE_MISMATCH"},
      {"stage before a missing dispute", v1::STAGE_IMPLEMENT, false, Step::kOverrule, w.leader, "",
       kPrecondition, "STAGE_MISMATCH"},
      {"etag before a missing dispute", v1::STAGE_DEPLOY, false, Step::kOverrule, w.leader, "99",
       kAborted, "ETAG_MISMATCH"},
      {"etag before a pending dispute", v1::STAGE_DEPLOY, true, Step::kDispute, w.lead_staff, "99",
       kAborted, "ETAG_MISMATCH"},
      {"actor before a pending dispute", v1::STAGE_DEPLOY, true, Step::kDispute, w.coop_staff, "",
       kDenied, "NOT_TICKET_ACTOR"},
      {"etag before reassigning to the lead", v1::STAGE_DEPLOY, true, Step::kReassignToLead,
       w.leader, "99", kAborted, "ETAG_MISMATCH"},
      {"reassigning to the lead last", v1::STAGE_DEPLOY, true, Step::kReassignToLead, w.leader,
       "current", kInvalid, "INVALID_FIELD"},
  };
  RunCases(w, cases);
}

// A deadline in the request is the step's own business: a caller who may
// not take the step, a stale etag or a wrong stage is refused as such even
// when the deadline it sent is bad too.
TEST(TicketRefusalsTest, ABadDeadlineIsCheckedAfterActorEtagAndStage) {
  LoopWorld w;
  const google::protobuf::Timestamp past = ToTimestamp(testing::Local(2024, 3, 1));
  const v1::Ticket inspecting = w.TaskIn(v1::STAGE_INSPECT);
  const v1::Ticket implementing = w.TaskIn(v1::STAGE_IMPLEMENT);
  const struct {
    const char* label;
    std::function<absl::StatusOr<TicketChange>()> take;
    absl::StatusCode code;
    const char* reason;
  } kCases[] = {
      {"lead staff rejects with a past rectification deadline",
       [&] {
         v1::ReviewTicketRequest request = testing::RejectRequest(inspecting);
         *request.mutable_rectification_due_time() = past;
         return Apply(inspecting, request, w.ContextFor(w.lead_staff));
       },
       kDenied, "NOT_TICKET_ACTOR"},
      {"a stale etag with a past rectification deadline",
       [&] {
         v1::ReviewTicketRequest request = testing::RejectRequest(inspecting);
         request.set_etag("99");
         *request.mutable_rectification_due_time() = past;
         return Apply(inspecting, request, w.ContextFor(w.inspector));
       },
       kAborted, "ETAG_MISMATCH"},
      {"reopening an open ticket with a past rectification deadline",
       [&] {
         v1::ReopenTicketRequest request = testing::ReopenRequest(implementing);
         *request.mutable_rectification_due_time() = past;
         return Apply(implementing, request, w.ContextFor(w.inspector));
       },
       kPrecondition, "STAGE_MISMATCH"},
      {"cooperating staff asks for an extension to a past date",
       [&] {
         return Apply(implementing,
                      testing::ExtensionRequest(implementing, testing::Local(2024, 3, 1)),
                      w.ContextFor(w.coop_staff));
       },
       kDenied, "NOT_TICKET_ACTOR"},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<TicketChange> change = c.take();
    EXPECT_EQ(change.status().code(), c.code) << c.label << ": " << change.status();
    EXPECT_EQ(ErrorReason(change.status()), c.reason) << c.label;
  }
}

TEST(TicketRefusalsTest, StageMismatchNamesTheStagesTheStepNeeds) {
  LoopWorld w;
  const v1::Ticket ticket = w.TaskIn(v1::STAGE_CLOSED);
  absl::StatusOr<TicketChange> change =
      Apply(ticket, testing::SubmitRequest(ticket), w.ContextFor(w.lead_staff));
  ASSERT_EQ(change.status().code(), kPrecondition) << change.status();
  const std::string message(change.status().message());
  EXPECT_THAT(message, HasSubstr("CLOSED"));
  EXPECT_THAT(message, HasSubstr("IMPLEMENT or IMPROVE"));
  EXPECT_EQ(testing::ErrorMetadata(change.status(), "required_stage"), "IMPLEMENT or IMPROVE");
}

}  // namespace
}  // namespace duban
