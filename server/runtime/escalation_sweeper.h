// EscalationSweeper: fires every ladder step due at a moment — each
// ticket's firings written atomically with the marker that makes them
// happen once (see domain/escalation_ladder.h), many tickets to a
// write — or, in a dry run, says what would fire without writing.
//
//   ASSIGN_OR_RETURN(v1::SweepResponse swept, sweeper.Sweep(caller, now, false, 1000));
//
// Thread-safe: concurrent sweeps serialize per ticket, so each step still
// fires once. A sweep stopped half-way (crash, limit) leaves every ticket
// either fired or not; the next sweep does the rest.
#ifndef DUBAN_SERVER_RUNTIME_ESCALATION_SWEEPER_H_
#define DUBAN_SERVER_RUNTIME_ESCALATION_SWEEPER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/ticket_loop.h"
#include "duban/v1/escalation_service.pb.h"
#include "server/runtime/backend.h"

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
  // Threads a sweep fires from, each with its own share of the due tickets
  // (TicketStore::SplitByLock): one stages its write while another's is
  // committed.
  static constexpr size_t kFiringThreads = 2;

  // Fires what is due of each ticket in `due`, kTicketsPerWrite tickets to
  // a write, from up to kFiringThreads threads; the change made to each
  // (none if nothing fired or it is gone), in the order of `due`. Stops at
  // the first failure and returns it; writes made by then stay made. Each
  // write is made with `write_options` (the calling sweep's deadline).
  absl::StatusOr<std::vector<std::optional<TicketChange>>> Fire(
      const std::vector<uint64_t>& due, absl::Time as_of, const LoopContext& loop,
      const storage::WriteOptions& write_options) const;

  const Backend& backend_;
};

// The caller the built-in scheduler sweeps as.
Caller SchedulerCaller();

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_ESCALATION_SWEEPER_H_
