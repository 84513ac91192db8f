// The transitions of the loop, one Validate/Apply pair per method.
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/loop_steps.h"
#include "domain/resource_names.h"
#include "domain/text_rules.h"

namespace duban {
namespace {

Deadline SignForDue(const LoopContext& context) {
  return WorkingDaysFromNow(context, context.clocks().sign_for_days());
}

void AppendEvidence(TicketChange& change,
                    const google::protobuf::RepeatedPtrField<std::string>& evidence) {
  for (const std::string& reference : evidence) {
    change.ticket.add_evidence(reference);
    change.events.back().add_evidence(reference);
  }
}

// Sends the ticket back to its unit with findings: → FEEDBACK, the plan
// clock running, the rectification deadline recorded (given, or the
// default from now).
void SendBack(TicketChange& change, const std::string& findings,
              const std::optional<Deadline>& rectification_due, const LoopContext& context) {
  const Deadline rectify = rectification_due
                               ? *rectification_due
                               : WorkingDaysFromNow(context, context.clocks().rectify_days());
  change.ticket.set_findings(findings);
  *change.ticket.mutable_rectification_due_time() = ToTimestamp(rectify.time);
  *change.ticket.mutable_rectification_due_basis() = rectify.basis;
  change.events.back().set_comment(findings);
  EnterStage(change, v1::STAGE_FEEDBACK, WorkingDaysFromNow(context, context.clocks().plan_days()),
             context.now);
}

// The rectification deadline a Review or Reopen request gives, if any.
template <typename Request>
absl::StatusOr<std::optional<Deadline>> RectificationDue(const Request& request,
                                                         const LoopContext& context) {
  return ResolveDeadline("rectification_due_time", request.rectification_due_time(),
                         "rectification_due_in", request.rectification_due_in(), context);
}

}  // namespace

// 签收 -----------------------------------------------------------------------

absl::Status Validate(const v1::SignTicketRequest& request, const LoopContext&) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  CheckText(violations, "comment", request.comment(), kOptionalNote);
  return violations.ToStatus();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::SignTicketRequest& request,
                                   const LoopContext& context) {
  ASSIGN_OR_RETURN(TicketChange change,
                   BeginStep("SignTicket", ticket, request.etag(), request.request_id(),
                             v1::EVENT_TYPE_SIGNED, context));
  change.ticket.clear_dispute();
  change.ticket.set_responsible_principal(context.caller.principal);
  change.events.back().set_comment(request.comment());
  EnterStage(change, v1::STAGE_IMPLEMENT, StoredDeadline(ticket.due_time(), ticket.due_basis()),
             context.now);
  return Finish(std::move(change), context);
}

// 退单 -----------------------------------------------------------------------

absl::Status Validate(const v1::DisputeTicketRequest& request, const LoopContext&) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  CheckText(violations, "reason", request.reason(), kRequiredNote);
  return violations.ToStatus();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::DisputeTicketRequest& request,
                                   const LoopContext& context) {
  ASSIGN_OR_RETURN(TicketChange change,
                   BeginStep("DisputeTicket", ticket, request.etag(), request.request_id(),
                             v1::EVENT_TYPE_DISPUTED, context));
  if (ticket.has_dispute()) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "DISPUTE_PENDING",
        absl::StrCat(ticket.name(), " already has a dispute waiting for ", ticket.issuer()),
        {{"ticket", ticket.name()}});
  }
  v1::Dispute& dispute = *change.ticket.mutable_dispute();
  dispute.set_disputer(context.caller.principal);
  dispute.set_reason(request.reason());
  *dispute.mutable_create_time() = ToTimestamp(context.now);
  change.events.back().set_comment(request.reason());
  // The issuer now holds the ticket: the clock is theirs, for as long as a
  // sign-for would take.
  RestartClock(change, SignForDue(context), context.now);
  return Finish(std::move(change), context);
}

absl::Status Validate(const v1::ResolveTicketDisputeRequest& request, const LoopContext& context) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  switch (request.resolution()) {
    case v1::DISPUTE_RESOLUTION_REASSIGN:
      CheckUnitRef(violations, "new_lead_unit", request.new_lead_unit(), *context.units);
      CheckText(violations, "comment", request.comment(), kOptionalNote);
      break;
    case v1::DISPUTE_RESOLUTION_OVERRULE:
      if (!request.new_lead_unit().empty()) {
        violations.Add("new_lead_unit", "must be empty when overruling");
      }
      CheckText(violations, "comment", request.comment(), kRequiredNote);
      break;
    default:
      violations.Add("resolution",
                     "must be DISPUTE_RESOLUTION_REASSIGN or "
                     "DISPUTE_RESOLUTION_OVERRULE");
  }
  return violations.ToStatus();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::ResolveTicketDisputeRequest& request,
                                   const LoopContext& context) {
  const bool reassign = request.resolution() == v1::DISPUTE_RESOLUTION_REASSIGN;
  ASSIGN_OR_RETURN(
      TicketChange change,
      BeginStep("ResolveTicketDispute", ticket, request.etag(), request.request_id(),
                reassign ? v1::EVENT_TYPE_DISPUTE_REASSIGNED : v1::EVENT_TYPE_DISPUTE_OVERRULED,
                context));
  if (!ticket.has_dispute()) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "NO_DISPUTE",
                           absl::StrCat(ticket.name(), " has no dispute to resolve"),
                           {{"ticket", ticket.name()}});
  }
  if (reassign) {
    if (request.new_lead_unit() == ticket.lead_unit()) {
      return InvalidField("new_lead_unit",
                          absl::StrCat(ticket.lead_unit(), " is already the lead unit"));
    }
    auto* cooperating = change.ticket.mutable_cooperating_units();
    for (int i = cooperating->size() - 1; i >= 0; --i) {
      if (cooperating->Get(i) == request.new_lead_unit()) cooperating->DeleteSubrange(i, 1);
    }
    change.ticket.set_lead_unit(request.new_lead_unit());
    change.events.back().set_previous_lead_unit(ticket.lead_unit());
    change.events.back().set_lead_unit(request.new_lead_unit());
  }
  change.ticket.clear_dispute();
  change.events.back().set_comment(request.comment());
  RestartClock(change, SignForDue(context), context.now);
  return Finish(std::move(change), context);
}

// 进展报告 --------------------------------------------------------------------

absl::Status Validate(const v1::ReportTicketProgressRequest& request, const LoopContext&) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  CheckText(violations, "comment", request.comment(), kRequiredNote);
  if (request.progress_percent() < 0 || request.progress_percent() > 100) {
    violations.Add("progress_percent", "must be between 0 and 100");
  }
  CheckEvidence(violations, "evidence", request.evidence());
  return violations.ToStatus();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::ReportTicketProgressRequest& request,
                                   const LoopContext& context) {
  ASSIGN_OR_RETURN(TicketChange change,
                   BeginStep("ReportTicketProgress", ticket, request.etag(), request.request_id(),
                             v1::EVENT_TYPE_PROGRESS_REPORTED, context));
  if (request.progress_percent() > 0) {
    change.ticket.set_progress_percent(request.progress_percent());
  }
  change.events.back().set_progress_percent(request.progress_percent());
  change.events.back().set_comment(request.comment());
  AppendEvidence(change, request.evidence());
  return Finish(std::move(change), context);
}

// 办结报告 / 整改报告 -----------------------------------------------------------

absl::Status Validate(const v1::SubmitTicketRequest& request, const LoopContext&) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  CheckText(violations, "comment", request.comment(), kRequiredNote);
  CheckEvidence(violations, "evidence", request.evidence());
  return violations.ToStatus();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::SubmitTicketRequest& request,
                                   const LoopContext& context) {
  ASSIGN_OR_RETURN(TicketChange change,
                   BeginStep("SubmitTicket", ticket, request.etag(), request.request_id(),
                             v1::EVENT_TYPE_SUBMITTED, context));
  change.events.back().set_comment(request.comment());
  AppendEvidence(change, request.evidence());
  const bool skip_inspection =
      ticket.stage() == v1::STAGE_IMPLEMENT && !ticket.requires_inspection();
  if (skip_inspection) {
    change.ticket.set_progress_percent(100);
    EnterStage(change, v1::STAGE_CLOSED, NoDeadline(), context.now);
  } else {
    EnterStage(change, v1::STAGE_INSPECT,
               WorkingDaysFromNow(context, context.clocks().inspect_days()), context.now);
  }
  return Finish(std::move(change), context);
}

// 整改方案 --------------------------------------------------------------------

absl::Status Validate(const v1::FileRectificationPlanRequest& request, const LoopContext&) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  CheckText(violations, "plan", request.plan(), kRequiredNote);
  CheckEvidence(violations, "evidence", request.evidence());
  return violations.ToStatus();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::FileRectificationPlanRequest& request,
                                   const LoopContext& context) {
  ASSIGN_OR_RETURN(TicketChange change,
                   BeginStep("FileRectificationPlan", ticket, request.etag(), request.request_id(),
                             v1::EVENT_TYPE_PLAN_FILED, context));
  change.events.back().set_comment(request.plan());
  AppendEvidence(change, request.evidence());
  EnterStage(change, v1::STAGE_IMPROVE,
             StoredDeadline(ticket.rectification_due_time(), ticket.rectification_due_basis()),
             context.now);
  return Finish(std::move(change), context);
}

// 验收: 销号 or 退回整改 ------------------------------------------------------

absl::Status Validate(const v1::ReviewTicketRequest& request, const LoopContext& context) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  switch (request.verdict()) {
    case v1::REVIEW_VERDICT_ACCEPT:
      CheckText(violations, "findings", request.findings(), kOptionalNote);
      if (IsSet(request.rectification_due_time()) || IsGiven(request.rectification_due_in())) {
        violations.Add("rectification_due_time", "must be empty when accepting");
      }
      break;
    case v1::REVIEW_VERDICT_REJECT:
      CheckText(violations, "findings", request.findings(), kRequiredNote);
      break;
    default:
      violations.Add("verdict", "must be REVIEW_VERDICT_ACCEPT or REVIEW_VERDICT_REJECT");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  return RectificationDue(request, context).status();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::ReviewTicketRequest& request,
                                   const LoopContext& context) {
  const bool accept = request.verdict() == v1::REVIEW_VERDICT_ACCEPT;
  ASSIGN_OR_RETURN(TicketChange change,
                   BeginStep("ReviewTicket", ticket, request.etag(), request.request_id(),
                             accept ? v1::EVENT_TYPE_ACCEPTED : v1::EVENT_TYPE_REJECTED, context));
  ASSIGN_OR_RETURN(std::optional<Deadline> rectification_due, RectificationDue(request, context));
  if (accept) {
    change.events.back().set_comment(request.findings());
    change.ticket.set_progress_percent(100);
    EnterStage(change, v1::STAGE_CLOSED, NoDeadline(), context.now);
  } else {
    SendBack(change, request.findings(), rectification_due, context);
  }
  return Finish(std::move(change), context);
}

// 撤销 -----------------------------------------------------------------------

absl::Status Validate(const v1::CancelTicketRequest& request, const LoopContext&) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  CheckText(violations, "reason", request.reason(), kRequiredNote);
  return violations.ToStatus();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::CancelTicketRequest& request,
                                   const LoopContext& context) {
  ASSIGN_OR_RETURN(TicketChange change,
                   BeginStep("CancelTicket", ticket, request.etag(), request.request_id(),
                             v1::EVENT_TYPE_CANCELLED, context));
  change.ticket.clear_dispute();
  change.events.back().set_comment(request.reason());
  EnterStage(change, v1::STAGE_CANCELLED, NoDeadline(), context.now);
  return Finish(std::move(change), context);
}

// 回头看 ---------------------------------------------------------------------

absl::Status Validate(const v1::ReopenTicketRequest& request, const LoopContext& context) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  CheckText(violations, "findings", request.findings(), kRequiredNote);
  RETURN_IF_ERROR(violations.ToStatus());
  return RectificationDue(request, context).status();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::ReopenTicketRequest& request,
                                   const LoopContext& context) {
  ASSIGN_OR_RETURN(TicketChange change,
                   BeginStep("ReopenTicket", ticket, request.etag(), request.request_id(),
                             v1::EVENT_TYPE_REOPENED, context));
  ASSIGN_OR_RETURN(std::optional<Deadline> rectification_due, RectificationDue(request, context));
  SendBack(change, request.findings(), rectification_due, context);
  return Finish(std::move(change), context);
}

}  // namespace duban
