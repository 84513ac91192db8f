// EscalationSweeper: fires every ladder step due at a moment, ticket by
// ticket — each ticket's firings in one atomic write with the marker that
// makes them happen once (see server/domain/escalation_ladder.h) — or, in a
// dry run, says what would fire without writing.
//
//   ASSIGN_OR_RETURN(v1::SweepResponse swept, sweeper.Sweep(caller, now, false, 1000));
//
// A sweep fires its tickets from several threads at once, so their synced
// writes share fsyncs. Thread-safe: concurrent sweeps serialize per ticket,
// so each step still fires once. A sweep stopped half-way (crash, limit) leaves every ticket
// either fired or not; the next sweep does the rest.
#ifndef DUBAN_SERVER_ESCALATION_SWEEPER_H_
#define DUBAN_SERVER_ESCALATION_SWEEPER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "duban/v1/escalation_service.pb.h"
#include "server/backend.h"
#include "server/domain/ticket_loop.h"

namespace duban {

class EscalationSweeper {
 public:
  // `backend` is not owned and must outlive the sweeper.
  explicit EscalationSweeper(const Backend* backend) : backend_(*backend) {}

  // Fires (or, with `dry_run`, lists) what is due at `as_of` as `caller`,
  // looking at no more than `limit` tickets.
  absl::StatusOr<v1::SweepResponse> Sweep(const Caller& caller, absl::Time as_of, bool dry_run,
                                          int limit) const;

 private:
  // Tickets fired at once: their synced writes share fsyncs (RocksDB's
  // group commit), where one after another each would wait for its own.
  static constexpr size_t kFiringThreads = 16;

  // Fires what is due of each ticket in `due`, from up to kFiringThreads
  // threads; the change made to each (none if nothing fired or it is gone),
  // in the order of `due`. Stops at the first failure and returns it;
  // tickets fired by then stay fired.
  absl::StatusOr<std::vector<std::optional<TicketChange>>> Fire(const std::vector<uint64_t>& due,
                                                                absl::Time as_of,
                                                                const LoopContext& loop) const;

  const Backend& backend_;
};

// The caller the built-in scheduler sweeps as.
Caller SchedulerCaller();

}  // namespace duban

#endif  // DUBAN_SERVER_ESCALATION_SWEEPER_H_
