// Whole ticket lives for a seeded store with history (duban-load seed
// --this_year N): tickets of earlier years that were deployed, signed for,
// sometimes let slip through the whole ladder (a referral, and a deduction
// when they name an indicator), submitted and accepted; and this year's,
// some closed and the rest still open. Every step is the domain's own
// (NewTicket, Apply, Escalate) at the moment it happened, so the store holds
// what duband would have written.
//
//   LifePlan plan = PlanLife(n, total, this_year, now, zone);
//   ASSIGN_OR_RETURN(TicketChange life, LiveTicket(id, n, plan, actors, backend));
#ifndef DUBAN_TESTS_BENCH_LOAD_TICKET_LIVES_H_
#define DUBAN_TESTS_BENCH_LOAD_TICKET_LIVES_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/caller.h"
#include "domain/ticket_loop.h"
#include "server/runtime/backend.h"

namespace duban::load {

struct LifePlan {
  absl::Time created;
  // Accepted (销号) at the end of its life; otherwise left in IMPLEMENT.
  bool closed = false;
  // Let its implementation deadline slip through every level of the ladder.
  bool late = false;
  // About indicators/renju, so a referral deducts from the ledger.
  bool indicator = false;
};

// Ticket n of `total`: the last `this_year` are created in the current year
// (in `zone`) before `now`, two in five of them closed; the others spread
// over the three years before it, all closed. One in seven is late (of
// those whose ladder could play out before `now`), one in ten names an
// indicator.
LifePlan PlanLife(uint64_t n, int64_t total, int64_t this_year, absl::Time now,
                  absl::TimeZone zone);

// Who acts in a life.
struct LifeActors {
  Caller leader;
  Caller inspector;
  Caller escalator;
  // The staff of a unit (`units/{id}`).
  std::function<Caller(const std::string& unit)> staff_of;
};

// The life of ticket n (CreateRequest(n)) as one change of a new ticket
// `id`: its final state, every event from creation on, and the referrals
// and ledger entries it made.
absl::StatusOr<TicketChange> LiveTicket(uint64_t id, uint64_t n, const LifePlan& plan,
                                        const LifeActors& actors, const Backend& backend);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_TICKET_LIVES_H_
