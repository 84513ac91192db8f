#include "domain/loop_steps.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/access_policy.h"
#include "domain/escalation_ladder.h"
#include "domain/holders.h"
#include "domain/ledger_rules.h"
#include "domain/resource_names.h"
#include "domain/text_rules.h"

namespace duban {
namespace {

const TransitionRule* FindRule(absl::string_view method) {
  for (const TransitionRule& rule : TransitionTable()) {
    if (rule.method == method) return &rule;
  }
  return nullptr;
}

bool IsIssuer(const Caller& caller, const v1::Ticket& ticket) {
  return caller.principal == ticket.issuer();
}

bool IsLeadUnitStaff(const Caller& caller, const v1::Ticket& ticket) {
  return caller.HasRole(v1::ROLE_UNIT_STAFF) && !caller.unit.empty() &&
         caller.unit == ticket.lead_unit();
}

// Why `caller` may not act, or "" when it may.
std::string ActorRefusal(Actor actor, const Caller& caller, const v1::Ticket& ticket) {
  switch (actor) {
    case Actor::kLeadUnit:
      if (IsLeadUnitStaff(caller, ticket)) return "";
      return absl::StrCat("staff of its lead unit ", ticket.lead_unit());
    case Actor::kInvolvedUnit:
      if (caller.HasRole(v1::ROLE_UNIT_STAFF) && IsInvolvedUnit(caller, ticket)) return "";
      return "staff of its lead or cooperating units";
    case Actor::kIssuerOrInspector:
      if (IsIssuer(caller, ticket) || caller.HasRole(v1::ROLE_INSPECTOR)) return "";
      return absl::StrCat("its issuer ", ticket.issuer(), " or an inspector");
    case Actor::kIssuerOrLeader:
      if (IsIssuer(caller, ticket) || caller.HasRole(v1::ROLE_LEADER)) return "";
      return absl::StrCat("its issuer ", ticket.issuer(), " or a leader");
    case Actor::kIssuer:
      if (IsIssuer(caller, ticket)) return "";
      return absl::StrCat("its issuer ", ticket.issuer());
    case Actor::kInspector:
      if (caller.HasRole(v1::ROLE_INSPECTOR)) return "";
      return "an inspector";
  }
  return "nobody";
}

std::string StageList(std::span<const v1::Stage> stages) {
  std::vector<absl::string_view> labels;
  for (v1::Stage stage : stages) labels.push_back(StageLabel(stage));
  return absl::StrJoin(labels, " or ");
}

}  // namespace

absl::StatusOr<TicketChange> BeginStep(absl::string_view method, const v1::Ticket& ticket,
                                       absl::string_view etag, absl::string_view request_id,
                                       v1::EventType type, const LoopContext& context) {
  const TransitionRule* rule = FindRule(method);
  if (rule == nullptr) {
    return absl::InternalError(absl::StrCat("no transition rule for ", method));
  }
  if (std::string refusal = ActorRefusal(rule->actor, context.caller, ticket); !refusal.empty()) {
    return ErrorWithReason(absl::StatusCode::kPermissionDenied, "NOT_TICKET_ACTOR",
                           absl::StrCat(method, " on ", ticket.name(), " is for ", refusal, "; ",
                                        context.caller.principal, " is not"),
                           {{"ticket", ticket.name()}, {"method", std::string(method)}});
  }
  RETURN_IF_ERROR(CheckEtag(ticket.name(), ticket.etag(), etag));
  if (std::find(rule->from.begin(), rule->from.end(), ticket.stage()) == rule->from.end()) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "STAGE_MISMATCH",
                           absl::StrCat(ticket.name(), " is in stage ", StageLabel(ticket.stage()),
                                        "; ", method, " needs ", StageList(rule->from)),
                           {{"ticket", ticket.name()},
                            {"current_stage", std::string(StageLabel(ticket.stage()))},
                            {"required_stage", StageList(rule->from)}});
  }
  TicketChange change = BeginChange(ticket, context);
  AddEvent(change, type, context).set_request_id(std::string(request_id));
  return change;
}

TicketChange BeginChange(const v1::Ticket& ticket, const LoopContext& context) {
  TicketChange change;
  change.ticket = ticket;
  *change.ticket.mutable_update_time() = ToTimestamp(context.now);
  change.ticket.clear_rollup();
  return change;
}

v1::TicketEvent& AddEvent(TicketChange& change, v1::EventType type, const LoopContext& context) {
  const int64_t sequence =
      change.events.empty() ? Revision(change.ticket) + 1 : change.events.back().sequence() + 1;
  v1::TicketEvent& event = change.events.emplace_back();
  event.set_name(absl::StrCat(change.ticket.name(), "/events/", sequence));
  event.set_ticket(change.ticket.name());
  event.set_sequence(sequence);
  event.set_type(type);
  *event.mutable_create_time() = ToTimestamp(context.now);
  event.set_actor(context.caller.principal);
  event.set_actor_unit(context.caller.unit);
  event.set_from_stage(change.ticket.stage());
  return event;
}

void EnterStage(TicketChange& change, v1::Stage stage, const Deadline& due, absl::Time now) {
  change.ticket.set_stage(stage);
  // A request for more time was about the stage being left.
  change.ticket.clear_pending_extension();
  *change.ticket.mutable_stage_enter_time() = ToTimestamp(now);
  RestartClock(change, due, now);
}

void RestartClock(TicketChange& change, const Deadline& due, absl::Time now) {
  v1::Ticket& ticket = change.ticket;
  ticket.set_stage_cycle(ticket.stage_cycle() + 1);
  *ticket.mutable_clock_start_time() = ToTimestamp(now);
  ticket.set_card(v1::CARD_NONE);
  ticket.clear_fired_levels();
  v1::TicketEvent* event = change.events.empty() ? nullptr : &change.events.back();
  if (!due.set()) {
    ticket.clear_stage_due_time();
    ticket.clear_stage_due_basis();
    if (event != nullptr) event->clear_stage_due_time();
    return;
  }
  *ticket.mutable_stage_due_time() = ToTimestamp(due.time);
  *ticket.mutable_stage_due_basis() = due.basis;
  if (event != nullptr) *event->mutable_stage_due_time() = ToTimestamp(due.time);
}

TicketChange Finish(TicketChange change, const LoopContext& context) {
  v1::Ticket& ticket = change.ticket;
  UpdateHolder(ticket);
  const absl::Time next = NextEscalationTime(ticket, *context.policy, *context.calendar);
  if (next == absl::InfiniteFuture()) {
    ticket.clear_next_escalation_time();
  } else {
    *ticket.mutable_next_escalation_time() = ToTimestamp(next);
  }
  if (!change.events.empty()) ticket.set_etag(absl::StrCat(change.events.back().sequence()));
  for (v1::TicketEvent& event : change.events) {
    event.set_to_stage(ticket.stage());
    event.set_etag(ticket.etag());
    event.set_holder(ticket.holder());
    event.set_holder_unit(ticket.holder_unit());
  }
  ApplyLedgerRules(change, context);
  return change;
}

void CheckDeadline(FieldViolations& violations, absl::string_view field,
                   const google::protobuf::Timestamp& deadline, absl::Time now, bool required) {
  if (!IsSet(deadline)) {
    if (required) violations.Add(std::string(field), "is required");
    return;
  }
  if (deadline.nanos() < 0 || deadline.nanos() > 999999999) {
    violations.Add(std::string(field), "has nanos outside 0..999999999");
    return;
  }
  const absl::Time time = FromTimestamp(deadline);
  if (time <= now) {
    violations.Add(std::string(field), "must be in the future");
  } else if (time > now + absl::Hours(24 * 366 * 5)) {
    violations.Add(std::string(field), "must be within 5 years");
  }
}

void CheckEvidence(FieldViolations& violations, absl::string_view field,
                   const google::protobuf::RepeatedPtrField<std::string>& evidence) {
  if (static_cast<size_t>(evidence.size()) > kMaxEvidencePerCall) {
    violations.Add(std::string(field),
                   absl::StrCat("has more than ", kMaxEvidencePerCall, " references"));
    return;
  }
  for (int i = 0; i < evidence.size(); ++i) {
    CheckText(violations, absl::StrCat(field, "[", i, "]"), evidence[i], kReference);
  }
}

void CheckUnitRef(FieldViolations& violations, absl::string_view field, absl::string_view name,
                  const UnitDirectory& units, std::initializer_list<v1::UnitKind> kinds) {
  if (!IsValidName(name, kUnitsPrefix)) {
    violations.Add(std::string(field), "must be a unit name like units/nongye");
    return;
  }
  std::optional<v1::Unit> unit = units.FindUnit(name);
  if (!unit) {
    violations.Add(std::string(field), absl::StrCat("no unit ", name));
    return;
  }
  if (kinds.size() > 0 && std::find(kinds.begin(), kinds.end(), unit->kind()) == kinds.end()) {
    std::vector<std::string> names;
    for (v1::UnitKind kind : kinds) names.push_back(v1::UnitKind_Name(kind));
    violations.Add(std::string(field), absl::StrCat(name, " is a ", v1::UnitKind_Name(unit->kind()),
                                                    "; expected ", absl::StrJoin(names, " or ")));
  }
}

}  // namespace duban
