#include "server/runtime/escalation_sweeper.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/time/clock.h"
#include "base/mutex.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "server/runtime/server_metrics.h"

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

absl::StatusOr<std::vector<std::optional<TicketChange>>> EscalationSweeper::Fire(
    const std::vector<uint64_t>& due, absl::Time as_of, const LoopContext& loop,
    const storage::WriteOptions& write_options) const {
  constexpr size_t kPerWrite = storage::TicketStore::kTicketsPerWrite;
  std::vector<std::optional<TicketChange>> fired(due.size());
  std::atomic<bool> stop{false};
  Mutex error_mutex;
  absl::Status error ABSL_GUARDED_BY(error_mutex);  // the first failure
  // Fires the tickets at `positions` of `due`, kPerWrite to a write.
  const auto fire_part = [&](const std::vector<size_t>& positions) {
    for (size_t first = 0; first < positions.size() && !stop; first += kPerWrite) {
      const size_t end = std::min(positions.size(), first + kPerWrite);
      std::vector<uint64_t> some;
      for (size_t i = first; i < end; ++i) some.push_back(due[positions[i]]);
      absl::StatusOr<std::vector<std::optional<TicketChange>>> changes =
          backend_.tickets->UpdateMany(some, loop.now, write_options, [&](const v1::Ticket& current) {
            return Escalate(current, as_of, loop);
          });
      if (changes.ok()) {
        for (size_t i = first; i < end; ++i) fired[positions[i]] = std::move((*changes)[i - first]);
        continue;
      }
      MutexLock lock(&error_mutex);
      if (error.ok()) error = changes.status();
      stop = true;
    }
  };
  // Parts whose tickets share no lock: their writes never wait for each other's.
  const std::vector<std::vector<size_t>> parts = storage::TicketStore::SplitByLock(
      due, std::min(kFiringThreads, (due.size() + kPerWrite - 1) / kPerWrite));
  std::vector<std::thread> helpers;
  for (size_t p = 1; p < parts.size(); ++p) helpers.emplace_back(fire_part, std::cref(parts[p]));
  fire_part(parts[0]);
  for (std::thread& helper : helpers) helper.join();
  if (!error.ok()) return error;
  return fired;
}

Caller SchedulerCaller() {
  Caller caller;
  caller.principal = "duband/scheduler";
  caller.roles = {v1::ROLE_ESCALATOR};
  return caller;
}

absl::StatusOr<v1::SweepResponse> EscalationSweeper::Sweep(const Caller& caller, absl::Time as_of,
                                                           bool dry_run, int limit) const {
  const absl::Time start = absl::Now();
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
  if (dry_run) {
    for (uint64_t id : due) {
      absl::StatusOr<v1::Ticket> ticket = backend_.tickets->Get(id);
      if (absl::IsNotFound(ticket.status())) continue;
      RETURN_IF_ERROR(ticket.status());
      ASSIGN_OR_RETURN(TicketChange change, Escalate(*ticket, as_of, call.loop));
      AddFirings(change, response);
    }
  } else {
    ASSIGN_OR_RETURN(std::vector<std::optional<TicketChange>> fired,
                     Fire(due, as_of, call.loop, {.deadline = caller.deadline}));
    for (const std::optional<TicketChange>& change : fired) {
      if (change) AddFirings(*change, response);
    }
  }
  if (!dry_run && backend_.metrics != nullptr) {
    for (const v1::Firing& firing : response.firings()) {
      backend_.metrics->EscalationFired(firing.level());
    }
    backend_.metrics->SweepFinished(absl::Now() - start);
  }
  return response;
}

}  // namespace duban
