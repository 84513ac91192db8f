// The closed loop stage by stage (PRODUCT.md, "The closed loop"; docs/api.md,
// "The loop"), seen through Apply(): each step, taken by a caller it is for,
// from every stage, and the stage the ticket ends up in — or the refusal,
// FAILED_PRECONDITION naming the stage the ticket is in and the stages the
// step needs. A caller the step is not for is refused before the stage is
// looked at. The expected answers are written out here, not read from the
// table the loop uses.
#include <array>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/ticket_loop.h"
#include "duban/v1/ticket_service.pb.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::ErrorMetadata;
using ::duban::testing::LoopWorld;
using ::duban::testing::OnlyEvent;

enum class Step {
  kSign,
  kDispute,
  kOverrule,
  kReassign,
  kProgress,
  kSubmit,
  kPlan,
  kAccept,
  kReject,
  kCancel,
  kReopen,
  kRequestExtension,
  kGrant,
  kRefuse,
};

// Takes `step` on `ticket` as `caller`. The steps that decide something
// pending (a dispute, an extension request) find one waiting, so that what
// decides the answer is the stage and the caller.
absl::StatusOr<TicketChange> Take(const LoopWorld& w, Step step, v1::Ticket t,
                                  const Caller& caller) {
  const LoopContext context = w.ContextFor(caller);
  const absl::Time proposed = testing::Local(2024, 6, 28, 18);
  switch (step) {
    case Step::kSign:
      return Apply(t, testing::SignRequest(t), context);
    case Step::kDispute:
      return Apply(t, testing::DisputeRequest(t), context);
    case Step::kOverrule:
      t.mutable_dispute()->set_reason("不归我们");
      return Apply(t, testing::OverruleRequest(t), context);
    case Step::kReassign:
      t.mutable_dispute()->set_reason("不归我们");
      return Apply(t, testing::ReassignRequest(t, "units/chengguan"), context);
    case Step::kProgress:
      return Apply(t, testing::ProgressRequest(t, 40), context);
    case Step::kSubmit:
      return Apply(t, testing::SubmitRequest(t), context);
    case Step::kPlan:
      return Apply(t, testing::PlanRequest(t), context);
    case Step::kAccept:
      return Apply(t, testing::AcceptRequest(t), context);
    case Step::kReject:
      return Apply(t, testing::RejectRequest(t), context);
    case Step::kCancel:
      return Apply(t, testing::CancelRequest(t), context);
    case Step::kReopen:
      return Apply(t, testing::ReopenRequest(t), context);
    case Step::kRequestExtension:
      return Apply(t, testing::ExtensionRequest(t, proposed), context);
    case Step::kGrant:
      *t.mutable_pending_extension() = testing::PendingExtension(proposed);
      return Apply(t, testing::GrantRequest(t), context);
    case Step::kRefuse:
      *t.mutable_pending_extension() = testing::PendingExtension(proposed);
      return Apply(t, testing::RefuseRequest(t), context);
  }
  return absl::InternalError("unknown step");
}

struct StageColumn {
  v1::Stage stage;
  const char* label;  // as refusals name it
};

// The columns of the table below, in this order.
constexpr StageColumn kFrom[] = {
    {v1::STAGE_DEPLOY, "DEPLOY"},       {v1::STAGE_IMPLEMENT, "IMPLEMENT"},
    {v1::STAGE_INSPECT, "INSPECT"},     {v1::STAGE_FEEDBACK, "FEEDBACK"},
    {v1::STAGE_IMPROVE, "IMPROVE"},     {v1::STAGE_CLOSED, "CLOSED"},
    {v1::STAGE_CANCELLED, "CANCELLED"},
};

constexpr v1::Stage kDeploy = v1::STAGE_DEPLOY;
constexpr v1::Stage kImplement = v1::STAGE_IMPLEMENT;
constexpr v1::Stage kInspect = v1::STAGE_INSPECT;
constexpr v1::Stage kFeedback = v1::STAGE_FEEDBACK;
constexpr v1::Stage kImprove = v1::STAGE_IMPROVE;
constexpr v1::Stage kClosed = v1::STAGE_CLOSED;
constexpr v1::Stage kCancelled = v1::STAGE_CANCELLED;
constexpr v1::Stage kRefused = v1::STAGE_UNSPECIFIED;  // FAILED_PRECONDITION

struct StepRow {
  const char* label;
  Step step;
  Caller caller;
  // The stage a ticket ends up in, taken from each stage of kFrom.
  std::array<v1::Stage, 7> after;
  // What a refusal says the step needs.
  const char* needs;
};

TEST(TransitionTableTest, EachStepLeadsFromTheStagesItAcceptsAndIsRefusedElsewhere) {
  LoopWorld w;
  // clang-format off
  const StepRow kRows[] = {
      // DEPLOY      IMPLEMENT   INSPECT     FEEDBACK    IMPROVE     CLOSED      CANCELLED
      {"sign by the lead unit's staff", Step::kSign, w.lead_staff,
       {kImplement, kRefused,   kRefused,   kRefused,   kRefused,   kRefused,   kRefused},
       "DEPLOY"},
      {"dispute by the lead unit's staff", Step::kDispute, w.lead_staff,
       {kDeploy,    kRefused,   kRefused,   kRefused,   kRefused,   kRefused,   kRefused},
       "DEPLOY"},
      {"overrule by the issuer", Step::kOverrule, w.leader,
       {kDeploy,    kRefused,   kRefused,   kRefused,   kRefused,   kRefused,   kRefused},
       "DEPLOY"},
      {"overrule by another leader", Step::kOverrule, w.other_leader,
       {kDeploy,    kRefused,   kRefused,   kRefused,   kRefused,   kRefused,   kRefused},
       "DEPLOY"},
      {"reassign by the issuer", Step::kReassign, w.leader,
       {kDeploy,    kRefused,   kRefused,   kRefused,   kRefused,   kRefused,   kRefused},
       "DEPLOY"},
      {"progress by the lead unit's staff", Step::kProgress, w.lead_staff,
       {kRefused,   kImplement, kRefused,   kRefused,   kImprove,   kRefused,   kRefused},
       "IMPLEMENT or IMPROVE"},
      {"progress by a cooperating unit's staff", Step::kProgress, w.coop_staff,
       {kRefused,   kImplement, kRefused,   kRefused,   kImprove,   kRefused,   kRefused},
       "IMPLEMENT or IMPROVE"},
      {"submit by the lead unit's staff", Step::kSubmit, w.lead_staff,
       {kRefused,   kInspect,   kRefused,   kRefused,   kInspect,   kRefused,   kRefused},
       "IMPLEMENT or IMPROVE"},
      {"plan by the lead unit's staff", Step::kPlan, w.lead_staff,
       {kRefused,   kRefused,   kRefused,   kImprove,   kRefused,   kRefused,   kRefused},
       "FEEDBACK"},
      {"accept by an inspector", Step::kAccept, w.inspector,
       {kRefused,   kRefused,   kClosed,    kRefused,   kRefused,   kRefused,   kRefused},
       "INSPECT"},
      {"accept by another inspector", Step::kAccept, w.other_inspector,
       {kRefused,   kRefused,   kClosed,    kRefused,   kRefused,   kRefused,   kRefused},
       "INSPECT"},
      {"reject by an inspector", Step::kReject, w.inspector,
       {kRefused,   kRefused,   kFeedback,  kRefused,   kRefused,   kRefused,   kRefused},
       "INSPECT"},
      {"reject by the issuer", Step::kReject, w.leader,
       {kRefused,   kRefused,   kFeedback,  kRefused,   kRefused,   kRefused,   kRefused},
       "INSPECT"},
      {"cancel by the issuer", Step::kCancel, w.leader,
       {kCancelled, kCancelled, kCancelled, kCancelled, kCancelled, kRefused,   kRefused},
       "DEPLOY or IMPLEMENT or INSPECT or FEEDBACK or IMPROVE"},
      {"reopen by an inspector", Step::kReopen, w.other_inspector,
       {kRefused,   kRefused,   kRefused,   kRefused,   kRefused,   kFeedback,  kRefused},
       "CLOSED"},
      {"extension asked by the lead unit's staff", Step::kRequestExtension, w.lead_staff,
       {kRefused,   kImplement, kRefused,   kFeedback,  kImprove,   kRefused,   kRefused},
       "IMPLEMENT or FEEDBACK or IMPROVE"},
      {"extension granted by the issuer", Step::kGrant, w.leader,
       {kRefused,   kImplement, kRefused,   kFeedback,  kImprove,   kRefused,   kRefused},
       "IMPLEMENT or FEEDBACK or IMPROVE"},
      {"extension refused by another leader", Step::kRefuse, w.other_leader,
       {kRefused,   kImplement, kRefused,   kFeedback,  kImprove,   kRefused,   kRefused},
       "IMPLEMENT or FEEDBACK or IMPROVE"},
  };
  // clang-format on
  for (const StepRow& row : kRows) {
    for (size_t i = 0; i < std::size(kFrom); ++i) {
      const StageColumn& from = kFrom[i];
      const v1::Ticket ticket = w.TaskIn(from.stage);
      ASSERT_EQ(ticket.stage(), from.stage) << from.label;
      const std::string where = absl::StrCat(row.label, " from ", from.label);
      const absl::StatusOr<TicketChange> change = Take(w, row.step, ticket, row.caller);
      const v1::Stage expected = row.after[i];
      if (expected != kRefused) {
        ASSERT_TRUE(change.ok()) << where << ": " << change.status();
        EXPECT_EQ(change->ticket.stage(), expected) << where;
        EXPECT_EQ(OnlyEvent(*change).from_stage(), from.stage) << where;
        EXPECT_EQ(OnlyEvent(*change).to_stage(), expected) << where;
        continue;
      }
      ASSERT_FALSE(change.ok()) << where << " was accepted, into "
                                << StageLabel(change->ticket.stage());
      EXPECT_EQ(change.status().code(), absl::StatusCode::kFailedPrecondition)
          << where << ": " << change.status();
      EXPECT_EQ(ErrorReason(change.status()), "STAGE_MISMATCH") << where;
      EXPECT_EQ(ErrorMetadata(change.status(), "current_stage"), from.label) << where;
      EXPECT_EQ(ErrorMetadata(change.status(), "required_stage"), row.needs) << where;
    }
  }
}

// A caller a step is not for is refused as such, in a stage the step
// accepts and in one it does not: who may act is checked first.
TEST(TransitionTableTest, ACallerTheStepIsNotForIsRefusedWhateverTheStage) {
  LoopWorld w;
  const struct {
    const char* label;
    Step step;
    Caller caller;
    v1::Stage from;
    const char* method;  // as the refusal names it
  } kCases[] = {
      {"sign by a cooperating unit's staff", Step::kSign, w.coop_staff, kDeploy, "SignTicket"},
      {"sign of a closed ticket by an inspector", Step::kSign, w.inspector, kClosed,
       "SignTicket"},
      {"dispute by another unit's staff", Step::kDispute, w.other_staff, kDeploy,
       "DisputeTicket"},
      {"overrule by an inspector", Step::kOverrule, w.inspector, kDeploy,
       "ResolveTicketDispute"},
      {"reassign by the lead unit's staff", Step::kReassign, w.lead_staff, kDeploy,
       "ResolveTicketDispute"},
      {"progress by another unit's staff", Step::kProgress, w.other_staff, kImplement,
       "ReportTicketProgress"},
      {"progress by the issuer", Step::kProgress, w.leader, kImprove, "ReportTicketProgress"},
      {"submit by a cooperating unit's staff", Step::kSubmit, w.coop_staff, kImplement,
       "SubmitTicket"},
      {"submit of a deployed ticket by the issuer", Step::kSubmit, w.leader, kDeploy,
       "SubmitTicket"},
      {"plan by an inspector", Step::kPlan, w.inspector, kFeedback, "FileRectificationPlan"},
      {"accept by another leader", Step::kAccept, w.other_leader, kInspect, "ReviewTicket"},
      {"accept of a closed ticket by the lead unit's staff", Step::kAccept, w.lead_staff, kClosed,
       "ReviewTicket"},
      {"reject by a cooperating unit's staff", Step::kReject, w.coop_staff, kInspect,
       "ReviewTicket"},
      {"cancel by another leader", Step::kCancel, w.other_leader, kImplement, "CancelTicket"},
      {"cancel of a closed ticket by an inspector", Step::kCancel, w.inspector, kClosed,
       "CancelTicket"},
      {"reopen by the issuer", Step::kReopen, w.leader, kClosed, "ReopenTicket"},
      {"reopen of an open ticket by the lead unit's staff", Step::kReopen, w.lead_staff,
       kImplement, "ReopenTicket"},
      {"extension asked by a cooperating unit's staff", Step::kRequestExtension, w.coop_staff,
       kImplement, "RequestExtension"},
      {"extension asked by the issuer", Step::kRequestExtension, w.leader, kDeploy,
       "RequestExtension"},
      {"extension granted by an inspector", Step::kGrant, w.inspector, kImplement,
       "DecideExtension"},
      {"extension refused by the lead unit's staff", Step::kRefuse, w.lead_staff, kFeedback,
       "DecideExtension"},
  };
  for (const auto& c : kCases) {
    const absl::StatusOr<TicketChange> change = Take(w, c.step, w.TaskIn(c.from), c.caller);
    ASSERT_FALSE(change.ok()) << c.label << " was accepted";
    EXPECT_EQ(change.status().code(), absl::StatusCode::kPermissionDenied)
        << c.label << ": " << change.status();
    EXPECT_EQ(ErrorReason(change.status()), "NOT_TICKET_ACTOR") << c.label;
    EXPECT_EQ(ErrorMetadata(change.status(), "method"), c.method) << c.label;
  }
}

TEST(TransitionTableTest, StageLabels) {
  static const struct {
    v1::Stage stage;
    const char* label;
    bool terminal;
  } kCases[] = {
      {v1::STAGE_UNSPECIFIED, "UNSPECIFIED", false},
      {v1::STAGE_DEPLOY, "DEPLOY", false},
      {v1::STAGE_IMPLEMENT, "IMPLEMENT", false},
      {v1::STAGE_INSPECT, "INSPECT", false},
      {v1::STAGE_FEEDBACK, "FEEDBACK", false},
      {v1::STAGE_IMPROVE, "IMPROVE", false},
      {v1::STAGE_CLOSED, "CLOSED", true},
      {v1::STAGE_CANCELLED, "CANCELLED", true},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(StageLabel(c.stage), c.label) << c.stage;
    EXPECT_EQ(IsTerminal(c.stage), c.terminal) << c.label;
  }
}

TEST(TransitionTableTest, RevisionIsTheEtagAsANumber) {
  static const struct {
    const char* etag;
    int64_t revision;
  } kCases[] = {{"", 0}, {"1", 1}, {"42", 42}, {"x", 0}, {"3a", 0}};
  for (const auto& c : kCases) {
    v1::Ticket ticket;
    ticket.set_etag(c.etag);
    EXPECT_EQ(Revision(ticket), c.revision) << "etag \"" << c.etag << "\"";
  }
}

}  // namespace
}  // namespace duban
