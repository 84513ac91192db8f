// Creating a ticket: a TASK deployed by a leader, a FINDING filed by an
// inspector.
#include <set>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/loop_steps.h"
#include "domain/referrals.h"
#include "domain/resource_names.h"
#include "domain/text_rules.h"

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
  if (!ticket.inspection_unit().empty()) {
    CheckUnitRef(violations, "ticket.inspection_unit", ticket.inspection_unit(), units);
  }
}

absl::Status CheckRole(const Caller& caller, v1::Role role, absl::string_view what) {
  if (caller.HasRole(role)) return absl::OkStatus();
  return ErrorWithReason(
      absl::StatusCode::kPermissionDenied, "ROLE_NOT_ALLOWED",
      absl::StrCat("only ", v1::Role_Name(role), " ", what, "; ", caller.principal, " is not one"));
}

// The unit that inspects the ticket's submitted work when the request names
// none: the issuer's own unit for a finding; for a task, the county's
// inspection office if there is one.
std::string DefaultInspectionUnit(v1::TicketKind kind, const LoopContext& context) {
  if (kind == v1::TICKET_KIND_TASK) {
    std::vector<v1::Unit> offices = context.units->UnitsOfKind(v1::UNIT_KIND_INSPECTION);
    if (!offices.empty()) return offices.front().name();
  }
  return context.caller.unit;
}

// The ticket a create request makes, without its stage: the request's
// fields plus the issuer and defaults.
v1::Ticket NewTicketRecord(uint64_t id, const v1::Ticket& input, const LoopContext& context) {
  v1::Ticket ticket;
  ticket.set_name(TicketName(id));
  ticket.set_kind(input.kind());
  ticket.set_title(input.title());
  ticket.set_detail(input.detail());
  ticket.set_lead_unit(input.lead_unit());
  *ticket.mutable_cooperating_units() = input.cooperating_units();
  ticket.set_issuer(context.caller.principal);
  ticket.set_issuer_unit(context.caller.unit);
  ticket.set_severity(input.severity() == v1::SEVERITY_UNSPECIFIED ? v1::SEVERITY_NORMAL
                                                                   : input.severity());
  ticket.set_indicator(input.indicator());
  ticket.set_location(input.location());
  ticket.set_parent(input.parent());
  ticket.set_inspection_unit(input.inspection_unit().empty()
                                 ? DefaultInspectionUnit(input.kind(), context)
                                 : input.inspection_unit());
  ticket.set_requires_inspection(!input.has_requires_inspection() || input.requires_inspection());
  *ticket.mutable_evidence() = input.evidence();
  *ticket.mutable_create_time() = ToTimestamp(context.now);
  return ticket;
}

// Starts the change that creates `ticket`: its CREATED event.
TicketChange Created(const v1::Ticket& ticket, absl::string_view request_id,
                     const LoopContext& context) {
  TicketChange change = BeginChange(ticket, context);
  v1::TicketEvent& created = AddEvent(change, v1::EVENT_TYPE_CREATED, context);
  created.set_lead_unit(ticket.lead_unit());
  created.set_comment(ticket.title());
  *created.mutable_evidence() = ticket.evidence();
  created.set_request_id(std::string(request_id));
  return change;
}

// A TASK at DEPLOY, due at `due`, the sign-for clock running.
TicketChange OpenTask(uint64_t id, const v1::Ticket& input, const Deadline& due,
                      absl::string_view request_id, const LoopContext& context) {
  v1::Ticket ticket = NewTicketRecord(id, input, context);
  *ticket.mutable_due_time() = ToTimestamp(due.time);
  *ticket.mutable_due_basis() = due.basis;
  TicketChange change = Created(ticket, request_id, context);
  EnterStage(change, v1::STAGE_DEPLOY,
             WorkingDaysFromNow(context, context.clocks().sign_for_days()), context.now);
  return Finish(std::move(change), context);
}

// A FINDING at FEEDBACK, the plan clock running; a hard flaw referred at
// once when the policy says so.
TicketChange OpenFinding(uint64_t id, const v1::Ticket& input,
                         const std::optional<Deadline>& rectification, absl::string_view request_id,
                         const LoopContext& context) {
  v1::Ticket ticket = NewTicketRecord(id, input, context);
  const v1::StageClocks& clocks = context.clocks();
  const Deadline rectify =
      rectification ? *rectification : WorkingDaysFromNow(context, clocks.rectify_days());
  *ticket.mutable_rectification_due_time() = ToTimestamp(rectify.time);
  *ticket.mutable_rectification_due_basis() = rectify.basis;
  ticket.set_findings(input.detail().empty() ? input.title() : input.detail());
  TicketChange change = Created(ticket, request_id, context);
  EnterStage(change, v1::STAGE_FEEDBACK, WorkingDaysFromNow(context, clocks.plan_days()),
             context.now);
  if (change.ticket.severity() == v1::SEVERITY_HARD_FLAW &&
      context.policy->refer_hard_flaws_at_filing()) {
    // 立即追责问责: the hard flaw is referred the moment it is filed.
    change.ticket.set_card(v1::CARD_REFERRED);
    v1::TicketEvent& referred = AddEvent(change, v1::EVENT_TYPE_REFERRED, context);
    referred.set_card(v1::CARD_REFERRED);
    v1::Referral referral =
        NewReferral(change.ticket, v1::REFERRAL_TRIGGER_HARD_FLAW, context.new_referral_name(),
                    referred.sequence(), context.now);
    referred.set_referral(referral.name());
    change.ticket.add_referrals(referral.name());
    change.referrals.push_back(std::move(referral));
  }
  return Finish(std::move(change), context);
}

// A ticket about an indicator answers to the indicator's units unless the
// request names its own lead unit.
v1::Ticket WithIndicatorDefaults(const v1::Ticket& input, const LoopContext& context) {
  if (input.indicator().empty() || !input.lead_unit().empty() || context.indicators == nullptr) {
    return input;
  }
  std::optional<v1::Indicator> indicator = context.indicators->FindIndicator(input.indicator());
  if (!indicator) return input;
  v1::Ticket ticket = input;
  ticket.set_lead_unit(indicator->lead_unit());
  if (ticket.cooperating_units().empty()) {
    *ticket.mutable_cooperating_units() = indicator->cooperating_units();
  }
  return ticket;
}

}  // namespace

absl::Status Validate(const v1::CreateTicketRequest& request, const LoopContext& context) {
  const v1::Ticket ticket = WithIndicatorDefaults(request.ticket(), context);
  FieldViolations violations;
  CheckText(violations, "request_id", request.request_id(), kRequestId);
  switch (ticket.kind()) {
    case v1::TICKET_KIND_TASK:
      RETURN_IF_ERROR(CheckRole(context.caller, v1::ROLE_LEADER, "deploys a TASK"));
      break;
    case v1::TICKET_KIND_FINDING:
      RETURN_IF_ERROR(CheckRole(context.caller, v1::ROLE_INSPECTOR, "files a FINDING"));
      if (ticket.severity() == v1::SEVERITY_UNSPECIFIED) {
        violations.Add("ticket.severity", "is required for a FINDING");
      }
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
  if (!ticket.indicator().empty()) {
    if (!IsValidName(ticket.indicator(), kIndicatorsPrefix)) {
      violations.Add("ticket.indicator", "must be an indicator name like indicators/gengdi");
    } else if (context.indicators == nullptr ||
               !context.indicators->FindIndicator(ticket.indicator())) {
      violations.Add("ticket.indicator", absl::StrCat("no indicator ", ticket.indicator()));
    }
  }
  if (!ticket.parent().empty() && !ParseTicketName(ticket.parent(), "ticket.parent").ok()) {
    violations.Add("ticket.parent", "must be a ticket name like tickets/42");
  }
  CheckEvidence(violations, "ticket.evidence", ticket.evidence());
  RETURN_IF_ERROR(violations.ToStatus());

  ASSIGN_OR_RETURN(
      std::optional<Deadline> due,
      ResolveDeadline("ticket.due_time", ticket.due_time(), "due_in", request.due_in(), context));
  if (ticket.kind() == v1::TICKET_KIND_TASK && !due) {
    return InvalidField("ticket.due_time", "is required for a TASK (or give due_in)");
  }
  return ResolveDeadline("ticket.rectification_due_time", ticket.rectification_due_time(),
                         "rectification_due_in", request.rectification_due_in(), context)
      .status();
}

absl::StatusOr<TicketChange> NewTicket(uint64_t id, const v1::CreateTicketRequest& request,
                                       const v1::Ticket* parent, const LoopContext& context) {
  RETURN_IF_ERROR(Validate(request, context));
  RETURN_IF_ERROR(CheckParent(request, parent));
  const v1::Ticket input = WithIndicatorDefaults(request.ticket(), context);
  ASSIGN_OR_RETURN(
      std::optional<Deadline> due,
      ResolveDeadline("ticket.due_time", input.due_time(), "due_in", request.due_in(), context));
  ASSIGN_OR_RETURN(
      std::optional<Deadline> rectification,
      ResolveDeadline("ticket.rectification_due_time", input.rectification_due_time(),
                      "rectification_due_in", request.rectification_due_in(), context));
  if (input.kind() == v1::TICKET_KIND_TASK) {
    return OpenTask(id, input, *due, request.request_id(), context);
  }
  return OpenFinding(id, input, rectification, request.request_id(), context);
}

TicketChange NewDrawTicket(uint64_t id, const v1::Unit& township, const v1::Unit& village,
                           absl::string_view draw, const Deadline& due,
                           const LoopContext& context) {
  v1::Ticket input;
  input.set_kind(v1::TICKET_KIND_TASK);
  input.set_title(absl::StrCat("抽查：", township.display_name(), village.display_name()));
  input.set_detail(absl::StrCat("spot-check draw ", draw));
  input.set_lead_unit(context.caller.unit);
  input.set_location(village.name());
  input.set_inspection_unit(context.caller.unit);
  // The inspection group's own report closes it: nobody inspects the
  // inspectors' check.
  input.set_requires_inspection(false);
  v1::Ticket ticket = NewTicketRecord(id, input, context);
  *ticket.mutable_due_time() = ToTimestamp(due.time);
  *ticket.mutable_due_basis() = due.basis;
  // The drawer's own unit takes it at once: there is nothing to sign for.
  ticket.set_responsible_principal(context.caller.principal);
  TicketChange change = Created(ticket, "", context);
  EnterStage(change, v1::STAGE_IMPLEMENT, due, context.now);
  return Finish(std::move(change), context);
}

absl::Status CheckParent(const v1::CreateTicketRequest& request, const v1::Ticket* parent) {
  const std::string& name = request.ticket().parent();
  if (!name.empty() && parent == nullptr) {
    return InvalidField("ticket.parent", absl::StrCat("no ticket ", name));
  }
  if (parent != nullptr && parent->stage() == v1::STAGE_CANCELLED) {
    return InvalidField("ticket.parent", absl::StrCat(parent->name(), " is cancelled"));
  }
  return absl::OkStatus();
}

}  // namespace duban
