// Extensions (延期): the lead unit asks before its deadline, with a reason
// and a proposed deadline; the issuer or a leader grants or refuses. A
// pending request does not stop the clock; a grant restarts it, and the
// ladder with it.
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/loop_steps.h"

namespace duban {
namespace {

absl::Status LaterThanCurrent(absl::string_view field, const Deadline& proposed,
                              const v1::Ticket& ticket) {
  if (proposed.time > FromTimestamp(ticket.stage_due_time())) return absl::OkStatus();
  return InvalidField(field, "must be later than the current stage deadline");
}

}  // namespace

absl::Status Validate(const v1::RequestExtensionRequest& request, const LoopContext& context) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  CheckText(violations, "reason", request.reason(), kRequiredNote);
  if (!IsSet(request.proposed_due_time()) && !IsGiven(request.proposed_due_in())) {
    violations.Add("proposed_due_time", "is required (or give proposed_due_in)");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  return ResolveDeadline("proposed_due_time", request.proposed_due_time(), "proposed_due_in",
                         request.proposed_due_in(), context)
      .status();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::RequestExtensionRequest& request,
                                   const LoopContext& context) {
  ASSIGN_OR_RETURN(TicketChange change,
                   BeginStep("RequestExtension", ticket, request.etag(), request.request_id(),
                             v1::EVENT_TYPE_EXTENSION_REQUESTED, context));
  if (ticket.has_pending_extension()) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "EXTENSION_PENDING",
                           absl::StrCat(ticket.name(), " already has an extension request waiting"),
                           {{"ticket", ticket.name()}});
  }
  if (context.now >= FromTimestamp(ticket.stage_due_time())) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "DEADLINE_PASSED",
                           absl::StrCat("the deadline of ", ticket.name(),
                                        " has passed; ask for an extension before it"),
                           {{"ticket", ticket.name()}});
  }
  ASSIGN_OR_RETURN(std::optional<Deadline> proposed,
                   ResolveDeadline("proposed_due_time", request.proposed_due_time(),
                                   "proposed_due_in", request.proposed_due_in(), context));
  RETURN_IF_ERROR(LaterThanCurrent("proposed_due_time", *proposed, ticket));

  v1::ExtensionRequest& pending = *change.ticket.mutable_pending_extension();
  pending.set_requester(context.caller.principal);
  pending.set_reason(request.reason());
  *pending.mutable_proposed_due_time() = ToTimestamp(proposed->time);
  *pending.mutable_proposed_due_basis() = proposed->basis;
  *pending.mutable_create_time() = ToTimestamp(context.now);
  v1::TicketEvent& event = change.events.back();
  event.set_comment(request.reason());
  *event.mutable_proposed_due_time() = ToTimestamp(proposed->time);
  return Finish(std::move(change), context);
}

absl::Status Validate(const v1::DecideExtensionRequest& request, const LoopContext& context) {
  FieldViolations violations;
  CheckTransitionFields(violations, request);
  switch (request.decision()) {
    case v1::EXTENSION_DECISION_GRANT:
      CheckText(violations, "comment", request.comment(), kOptionalNote);
      break;
    case v1::EXTENSION_DECISION_REFUSE:
      CheckText(violations, "comment", request.comment(), kRequiredNote);
      if (IsSet(request.new_due_time()) || IsGiven(request.new_due_in())) {
        violations.Add("new_due_time", "must be empty when refusing");
      }
      break;
    default:
      violations.Add("decision", "must be EXTENSION_DECISION_GRANT or EXTENSION_DECISION_REFUSE");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  return ResolveDeadline("new_due_time", request.new_due_time(), "new_due_in", request.new_due_in(),
                         context)
      .status();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::DecideExtensionRequest& request,
                                   const LoopContext& context) {
  const bool grant = request.decision() == v1::EXTENSION_DECISION_GRANT;
  ASSIGN_OR_RETURN(
      TicketChange change,
      BeginStep("DecideExtension", ticket, request.etag(), request.request_id(),
                grant ? v1::EVENT_TYPE_EXTENSION_GRANTED : v1::EVENT_TYPE_EXTENSION_REFUSED,
                context));
  if (!ticket.has_pending_extension()) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "NO_EXTENSION_PENDING",
                           absl::StrCat(ticket.name(), " has no extension request to decide"),
                           {{"ticket", ticket.name()}});
  }
  change.ticket.clear_pending_extension();
  change.events.back().set_comment(request.comment());
  if (!grant) return Finish(std::move(change), context);

  ASSIGN_OR_RETURN(std::optional<Deadline> chosen,
                   ResolveDeadline("new_due_time", request.new_due_time(), "new_due_in",
                                   request.new_due_in(), context));
  const v1::ExtensionRequest& pending = ticket.pending_extension();
  const Deadline granted =
      chosen ? *chosen : StoredDeadline(pending.proposed_due_time(), pending.proposed_due_basis());
  if (granted.time <= context.now) {
    return InvalidField(
        "new_due_time",
        "the proposed deadline has passed while the request waited; give a new one");
  }
  RETURN_IF_ERROR(LaterThanCurrent("new_due_time", granted, ticket));
  if (ticket.stage() == v1::STAGE_IMPLEMENT) {
    *change.ticket.mutable_due_time() = ToTimestamp(granted.time);
    *change.ticket.mutable_due_basis() = granted.basis;
  } else if (ticket.stage() == v1::STAGE_IMPROVE) {
    *change.ticket.mutable_rectification_due_time() = ToTimestamp(granted.time);
    *change.ticket.mutable_rectification_due_basis() = granted.basis;
  }
  RestartClock(change, granted, context.now);
  return Finish(std::move(change), context);
}

}  // namespace duban
