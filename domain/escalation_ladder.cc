#include "domain/escalation_ladder.h"

#include <algorithm>

#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/escalation_policy.h"
#include "domain/loop_steps.h"
#include "domain/referrals.h"
#include "domain/time_fields.h"

namespace duban {
namespace {

bool HasFired(const v1::Ticket& ticket, v1::EscalationLevel level) {
  return std::find(ticket.fired_levels().begin(), ticket.fired_levels().end(), level) !=
         ticket.fired_levels().end();
}

absl::Time FireTime(absl::Time deadline, int offset, const WorkCalendar& calendar) {
  if (offset == 0) return deadline;
  return calendar.EndOf(calendar.Count(calendar.DayOfDeadline(deadline), offset).day);
}

void AddUnitsOfKind(std::vector<std::string>& names, v1::UnitKind kind,
                    const UnitDirectory& units) {
  for (const v1::Unit& unit : units.UnitsOfKind(kind)) names.push_back(unit.name());
}

}  // namespace

std::vector<ScheduledStep> ScheduleLadder(const v1::Ticket& ticket,
                                          const v1::EscalationPolicy& policy,
                                          const WorkCalendar& calendar) {
  std::vector<ScheduledStep> schedule;
  if (IsTerminal(ticket.stage()) || !IsSet(ticket.stage_due_time())) return schedule;
  const absl::Time deadline = FromTimestamp(ticket.stage_due_time());
  const absl::Time clock_start = FromTimestamp(ticket.clock_start_time());
  for (const v1::LadderStep& step : LadderFor(policy, ticket.severity())) {
    const absl::Time fire_time = FireTime(deadline, step.offset_working_days(), calendar);
    if (step.offset_working_days() < 0 && fire_time <= clock_start) continue;
    schedule.push_back({step, fire_time});
  }
  return schedule;
}

absl::Time NextEscalationTime(const v1::Ticket& ticket, const v1::EscalationPolicy& policy,
                              const WorkCalendar& calendar) {
  absl::Time next = absl::InfiniteFuture();
  for (const ScheduledStep& scheduled : ScheduleLadder(ticket, policy, calendar)) {
    if (!HasFired(ticket, scheduled.step.level())) next = std::min(next, scheduled.fire_time);
  }
  return next;
}

std::vector<std::string> Recipients(const v1::Ticket& ticket,
                                    const google::protobuf::RepeatedField<int>& targets,
                                    const UnitDirectory& units) {
  std::vector<std::string> names;
  for (int target : targets) {
    switch (target) {
      case v1::ESCALATION_TARGET_ACTING_UNIT:
      case v1::ESCALATION_TARGET_UNIT_HEAD:
        names.push_back(ticket.holder_unit());
        break;
      case v1::ESCALATION_TARGET_SUPERVISING_LEADER:
        AddUnitsOfKind(names, v1::UNIT_KIND_LEADERSHIP, units);
        break;
      case v1::ESCALATION_TARGET_DISCIPLINE:
        AddUnitsOfKind(names, v1::UNIT_KIND_DISCIPLINE, units);
        break;
      case v1::ESCALATION_TARGET_ORGANIZATION:
        AddUnitsOfKind(names, v1::UNIT_KIND_ORGANIZATION, units);
        break;
      case v1::ESCALATION_TARGET_ISSUER:
        names.push_back(ticket.issuer());
        break;
      default:
        break;
    }
  }
  std::vector<std::string> unique;
  for (std::string& name : names) {
    if (!name.empty() && std::find(unique.begin(), unique.end(), name) == unique.end()) {
      unique.push_back(std::move(name));
    }
  }
  return unique;
}

TicketChange Reschedule(const v1::Ticket& ticket, const LoopContext& context) {
  TicketChange unchanged;
  unchanged.ticket = ticket;
  const absl::Time next = NextEscalationTime(ticket, *context.policy, *context.calendar);
  if (next == absl::InfiniteFuture()) {
    unchanged.ticket.clear_next_escalation_time();
  } else {
    *unchanged.ticket.mutable_next_escalation_time() = ToTimestamp(next);
  }
  return unchanged;
}

absl::StatusOr<TicketChange> Escalate(const v1::Ticket& ticket, absl::Time as_of,
                                      const LoopContext& context) {
  std::vector<ScheduledStep> due;
  for (ScheduledStep& scheduled : ScheduleLadder(ticket, *context.policy, *context.calendar)) {
    if (scheduled.fire_time <= as_of && !HasFired(ticket, scheduled.step.level())) {
      due.push_back(std::move(scheduled));
    }
  }
  // Nothing due; a policy or calendar change may still have moved the next
  // step, so the schedule is brought up to date.
  if (due.empty()) return Reschedule(ticket, context);

  TicketChange change = BeginChange(ticket, context);
  v1::Ticket& next = change.ticket;
  for (const ScheduledStep& scheduled : due) {
    const v1::EscalationLevel level = scheduled.step.level();
    const v1::Card card = CardFor(level);
    next.add_fired_levels(level);
    if (card > next.card()) next.set_card(card);

    v1::EscalationRecord& record = *next.add_escalations();
    record.set_level(level);
    record.set_stage(next.stage());
    *record.mutable_deadline() = next.stage_due_time();
    record.set_holder_unit(next.holder_unit());
    record.set_responsible_principal(
        next.holder() == v1::HOLDER_LEAD_UNIT ? next.responsible_principal() : "");
    *record.mutable_fire_time() = ToTimestamp(scheduled.fire_time);
    record.set_stage_cycle(next.stage_cycle());

    v1::TicketEvent& event = AddEvent(change, v1::EVENT_TYPE_ESCALATED, context);
    event.set_level(level);
    event.set_card(next.card());
    *event.mutable_deadline() = next.stage_due_time();
    *event.mutable_targets() = scheduled.step.targets();
    for (std::string& recipient : Recipients(next, scheduled.step.targets(), *context.units)) {
      event.add_recipients(std::move(recipient));
    }
    if (level == v1::ESCALATION_LEVEL_REFERRAL) {
      v1::Referral referral =
          NewReferral(next, v1::REFERRAL_TRIGGER_LADDER, context.new_referral_name(),
                      event.sequence(), context.now);
      event.set_referral(referral.name());
      next.add_referrals(referral.name());
      change.referrals.push_back(std::move(referral));
    }
  }
  return Finish(std::move(change), context);
}

absl::Status Validate(const v1::SweepRequest& request, absl::Time now) {
  RETURN_IF_ERROR(ValidateAsOf("as_of_time", request.as_of_time()));
  if (!request.dry_run() && SweepScopeOf(request, now).as_of > now) {
    return InvalidField("as_of_time", "is in the future; only a dry run may look ahead");
  }
  if (request.limit() < 0) return InvalidField("limit", "must not be negative");
  return absl::OkStatus();
}

SweepScope SweepScopeOf(const v1::SweepRequest& request, absl::Time now) {
  return SweepScope{
      .as_of = IsSet(request.as_of_time()) ? FromTimestamp(request.as_of_time()) : now,
      .limit =
          request.limit() <= 0 ? kMaxSweepTickets : std::min(request.limit(), kMaxSweepTickets)};
}

}  // namespace duban
