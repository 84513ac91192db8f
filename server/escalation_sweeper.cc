#include "server/escalation_sweeper.h"

#include "server/domain/escalation_ladder.h"
#include "server/domain/status_macros.h"
#include "server/domain/time_convert.h"

namespace duban {
namespace {

// The firings a change made: one per ESCALATED event.
void AddFirings(const TicketChange& change, v1::SweepResponse& response) {
  const v1::Ticket& ticket = change.ticket;
  for (const v1::TicketEvent& event : change.events) {
    if (event.type() != v1::EVENT_TYPE_ESCALATED) continue;
    v1::Firing& firing = *response.add_firings();
    firing.set_ticket(ticket.name());
    firing.set_level(event.level());
    firing.set_card(event.card());
    *firing.mutable_deadline() = event.deadline();
    firing.set_stage(event.from_stage());
    firing.set_holder_unit(event.holder_unit());
    *firing.mutable_recipients() = event.recipients();
    firing.set_referral(event.referral());
    for (const v1::EscalationRecord& record : ticket.escalations()) {
      if (record.level() == event.level() && record.stage_cycle() == ticket.stage_cycle()) {
        *firing.mutable_fire_time() = record.fire_time();
      }
    }
  }
}

}  // namespace

Caller SchedulerCaller() {
  Caller caller;
  caller.principal = "duband/scheduler";
  caller.roles = {v1::ROLE_ESCALATOR};
  return caller;
}

absl::StatusOr<v1::SweepResponse> EscalationSweeper::Sweep(const Caller& caller, absl::Time as_of,
                                                           bool dry_run, int limit) const {
  v1::SweepResponse response;
  *response.mutable_as_of_time() = ToTimestamp(as_of);
  response.set_dry_run(dry_run);
  ASSIGN_OR_RETURN(std::vector<uint64_t> due, backend_.tickets->DueForEscalation(as_of, limit));
  response.set_truncated(static_cast<int>(due.size()) == limit);
  CallContext call = backend_.ContextFor(caller);
  if (dry_run) {
    // A dry run names nothing: no referral or ledger id is spent.
    call.loop.new_referral_name = [] { return std::string(); };
    call.loop.new_ledger_entry_name = [] { return std::string(); };
  }
  for (uint64_t id : due) {
    if (dry_run) {
      absl::StatusOr<v1::Ticket> ticket = backend_.tickets->Get(id);
      if (absl::IsNotFound(ticket.status())) continue;
      RETURN_IF_ERROR(ticket.status());
      ASSIGN_OR_RETURN(TicketChange change, Escalate(*ticket, as_of, call.loop));
      AddFirings(change, response);
      continue;
    }
    std::optional<TicketChange> fired;
    absl::StatusOr<v1::Ticket> updated = backend_.tickets->Update(
        id, storage::RequestKey{}, call.loop.now,
        [&](const v1::Ticket& current) -> absl::StatusOr<TicketChange> {
          ASSIGN_OR_RETURN(TicketChange change, Escalate(current, as_of, call.loop));
          fired = change;
          return change;
        });
    if (absl::IsNotFound(updated.status())) continue;
    RETURN_IF_ERROR(updated.status());
    if (fired) AddFirings(*fired, response);
  }
  return response;
}

}  // namespace duban
