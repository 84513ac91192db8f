// Creating a ticket: a TASK deployed by a leader, a FINDING filed by an
// inspector.
#include <set>

#include "absl/strings/str_cat.h"
#include "server/domain/errors.h"
#include "server/domain/loop_steps.h"
#include "server/domain/resource_names.h"
#include "server/domain/status_macros.h"
#include "server/domain/text_rules.h"
#include "server/domain/time_convert.h"

namespace duban {
namespace {

constexpr int kMaxCooperatingUnits = 50;

void CheckUnits(FieldViolations& violations, const v1::Ticket& ticket, const UnitDirectory& units) {
  CheckUnitRef(violations, "ticket.lead_unit", ticket.lead_unit(), units);
  if (ticket.cooperating_units_size() > kMaxCooperatingUnits) {
    violations.Add("ticket.cooperating_units",
                   absl::StrCat("has more than ", kMaxCooperatingUnits, " units"));
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < ticket.cooperating_units_size(); ++i) {
    const std::string& unit = ticket.cooperating_units(i);
    const std::string field = absl::StrCat("ticket.cooperating_units[", i, "]");
    if (unit == ticket.lead_unit()) {
      violations.Add(field, absl::StrCat(unit, " is the lead unit; it cannot also cooperate"));
    } else if (!seen.insert(unit).second) {
      violations.Add(field, absl::StrCat(unit, " is listed twice"));
    } else {
      CheckUnitRef(violations, field, unit, units);
    }
  }
  if (!ticket.location().empty()) {
    CheckUnitRef(violations, "ticket.location", ticket.location(), units,
                 {v1::UNIT_KIND_TOWNSHIP, v1::UNIT_KIND_VILLAGE});
  }
}

}  // namespace

absl::Status Validate(const v1::CreateTicketRequest& request, const LoopContext& context) {
  const v1::Ticket& ticket = request.ticket();
  FieldViolations violations;
  CheckText(violations, "request_id", request.request_id(), kRequestId);
  switch (ticket.kind()) {
    case v1::TICKET_KIND_TASK:
      if (!context.caller.HasRole(v1::ROLE_LEADER)) {
        return ErrorWithReason(absl::StatusCode::kPermissionDenied, "ROLE_NOT_ALLOWED",
                               absl::StrCat("only a LEADER deploys a TASK; ",
                                            context.caller.principal, " is not one"));
      }
      CheckDeadline(violations, "ticket.due_time", ticket.due_time(), context.now, true);
      break;
    case v1::TICKET_KIND_FINDING:
      if (!context.caller.HasRole(v1::ROLE_INSPECTOR)) {
        return ErrorWithReason(absl::StatusCode::kPermissionDenied, "ROLE_NOT_ALLOWED",
                               absl::StrCat("only an INSPECTOR files a FINDING; ",
                                            context.caller.principal, " is not one"));
      }
      if (ticket.severity() == v1::SEVERITY_UNSPECIFIED) {
        violations.Add("ticket.severity", "is required for a FINDING");
      }
      CheckDeadline(violations, "ticket.due_time", ticket.due_time(), context.now, false);
      CheckDeadline(violations, "ticket.rectification_due_time", ticket.rectification_due_time(),
                    context.now, false);
      break;
    default:
      violations.Add("ticket.kind", "must be TICKET_KIND_TASK or TICKET_KIND_FINDING");
  }
  CheckText(violations, "ticket.title", ticket.title(), kTitle);
  CheckText(violations, "ticket.detail", ticket.detail(), kLongText);
  if (!v1::Severity_IsValid(ticket.severity())) {
    violations.Add("ticket.severity", absl::StrCat("has no value ", ticket.severity()));
  }
  CheckUnits(violations, ticket, *context.units);
  if (!ticket.indicator().empty() && !IsValidName(ticket.indicator(), kIndicatorsPrefix)) {
    violations.Add("ticket.indicator", "must be an indicator name like indicators/gengdi");
  }
  if (!ticket.parent().empty()) {
    if (absl::Status parent = ParseTicketName(ticket.parent(), "ticket.parent").status();
        !parent.ok()) {
      violations.Add("ticket.parent", "must be a ticket name like tickets/42");
    }
  }
  CheckEvidence(violations, "ticket.evidence", ticket.evidence());
  return violations.ToStatus();
}

absl::StatusOr<TicketChange> NewTicket(uint64_t id, const v1::CreateTicketRequest& request,
                                       const v1::Ticket* parent, const LoopContext& context) {
  RETURN_IF_ERROR(Validate(request, context));
  const v1::Ticket& input = request.ticket();
  if (!input.parent().empty() && parent == nullptr) {
    return InvalidField("ticket.parent", absl::StrCat("no ticket ", input.parent()));
  }
  if (parent != nullptr && parent->stage() == v1::STAGE_CANCELLED) {
    return InvalidField("ticket.parent", absl::StrCat(parent->name(), " is cancelled"));
  }

  TicketChange change;
  v1::Ticket& ticket = change.ticket;
  ticket.set_name(TicketName(id));
  ticket.set_kind(input.kind());
  ticket.set_title(input.title());
  ticket.set_detail(input.detail());
  ticket.set_lead_unit(input.lead_unit());
  *ticket.mutable_cooperating_units() = input.cooperating_units();
  ticket.set_issuer(context.caller.principal);
  ticket.set_severity(input.severity() == v1::SEVERITY_UNSPECIFIED ? v1::SEVERITY_NORMAL
                                                                   : input.severity());
  if (IsSet(input.due_time())) *ticket.mutable_due_time() = input.due_time();
  ticket.set_indicator(input.indicator());
  ticket.set_location(input.location());
  ticket.set_parent(input.parent());
  ticket.set_requires_inspection(!input.has_requires_inspection() || input.requires_inspection());
  *ticket.mutable_evidence() = input.evidence();
  *ticket.mutable_create_time() = ToTimestamp(context.now);
  *ticket.mutable_update_time() = ToTimestamp(context.now);
  ticket.set_etag("1");

  v1::TicketEvent& event = change.event;
  event.set_name(absl::StrCat(ticket.name(), "/events/1"));
  event.set_ticket(ticket.name());
  event.set_sequence(1);
  event.set_type(v1::EVENT_TYPE_CREATED);
  *event.mutable_create_time() = ToTimestamp(context.now);
  event.set_actor(context.caller.principal);
  event.set_actor_unit(context.caller.unit);
  event.set_lead_unit(ticket.lead_unit());
  event.set_comment(ticket.title());
  *event.mutable_evidence() = input.evidence();
  event.set_request_id(request.request_id());

  const WorkCalendar& calendar = *context.calendar;
  if (ticket.kind() == v1::TICKET_KIND_TASK) {
    EnterStage(change, v1::STAGE_DEPLOY,
               calendar.DeadlineAfter(context.now, context.clocks.sign_for_days), context.now);
  } else {
    *ticket.mutable_rectification_due_time() =
        IsSet(input.rectification_due_time())
            ? input.rectification_due_time()
            : ToTimestamp(calendar.DeadlineAfter(context.now, context.clocks.rectify_days));
    ticket.set_findings(input.detail().empty() ? input.title() : input.detail());
    EnterStage(change, v1::STAGE_FEEDBACK,
               calendar.DeadlineAfter(context.now, context.clocks.plan_days), context.now);
  }
  return Finish(std::move(change));
}

}  // namespace duban
