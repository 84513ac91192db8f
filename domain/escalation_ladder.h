// The escalation ladder of a ticket's current stage cycle: when each step
// fires, and firing what is due (催办 → 督办 → 问责).
//
//   absl::Time next = NextEscalationTime(ticket, policy, calendar);
//   ASSIGN_OR_RETURN(TicketChange change, Escalate(ticket, as_of, context));
//   // change.events empty: nothing was due
//
// Each step fires at most once per ticket and stage cycle: the fired levels
// are part of the ticket, so the change that fires a step also records it.
#ifndef DUBAN_DOMAIN_ESCALATION_LADDER_H_
#define DUBAN_DOMAIN_ESCALATION_LADDER_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/loop_context.h"
#include "domain/ticket_loop.h"
#include "domain/work_calendar.h"
#include "duban/v1/escalation.pb.h"
#include "duban/v1/escalation_service.pb.h"
#include "duban/v1/ticket.pb.h"

namespace duban {

struct ScheduledStep {
  v1::LadderStep step;
  absl::Time fire_time;
};

// The steps of the ticket's ladder with their fire times, in ladder order.
// Empty when the ticket has no stage clock. A step before the deadline whose
// time came before the clock started is left out: too late to remind.
std::vector<ScheduledStep> ScheduleLadder(const v1::Ticket& ticket,
                                          const v1::EscalationPolicy& policy,
                                          const WorkCalendar& calendar);

// The earliest fire time of a step not yet fired in this cycle, or
// absl::InfiniteFuture().
absl::Time NextEscalationTime(const v1::Ticket& ticket, const v1::EscalationPolicy& policy,
                              const WorkCalendar& calendar);

// Fires every step due at `as_of` that has not fired in this cycle: one
// ESCALATED event each, the card raised, the firing recorded on the ticket
// against the unit holding it; REFERRAL also makes a referral. With nothing
// due, the change has no events and only brings next_escalation_time up to
// date.
absl::StatusOr<TicketChange> Escalate(const v1::Ticket& ticket, absl::Time as_of,
                                      const LoopContext& context);

// The ticket with next_escalation_time recomputed under the context's
// policy and calendar, and no events: for after a policy or calendar change.
TicketChange Reschedule(const v1::Ticket& ticket, const LoopContext& context);

// Who the targets of a step resolve to: unit and principal names, in order,
// without repeats.
std::vector<std::string> Recipients(const v1::Ticket& ticket,
                                    const google::protobuf::RepeatedField<int>& targets,
                                    const UnitDirectory& units);

// The most tickets one sweep looks at.
inline constexpr int kMaxSweepTickets = 10000;

// A Sweep request at `now`: a valid as_of_time (ValidateAsOf) that is not
// after `now` unless the sweep is a dry run, and a limit that is not
// negative. INVALID_ARGUMENT naming the first bad field.
[[nodiscard]] absl::Status Validate(const v1::SweepRequest& request, absl::Time now);

// What a valid Sweep request sweeps: as of its as_of_time (`now` when
// unset), looking at no more than `limit` tickets (its limit; 0 or more than
// kMaxSweepTickets is kMaxSweepTickets).
struct SweepScope {
  absl::Time as_of;
  int limit = kMaxSweepTickets;
};
SweepScope SweepScopeOf(const v1::SweepRequest& request, absl::Time now);

}  // namespace duban

#endif  // DUBAN_DOMAIN_ESCALATION_LADDER_H_
