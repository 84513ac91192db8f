// The ledger rules a step of the loop triggers by itself (LedgerPolicy):
// a referral on a ticket with an indicator deducts from it; so does closing
// such a ticket after its deadline, when that rule is on.
#ifndef DUBAN_DOMAIN_LEDGER_RULES_H_
#define DUBAN_DOMAIN_LEDGER_RULES_H_

#include "domain/loop_context.h"
#include "domain/ticket_loop.h"

namespace duban {

// Adds to `change.ledger_entries` the deductions its events call for, each
// tracing back to the ticket and the events that caused it. Called by
// Finish once the change's events are complete.
void ApplyLedgerRules(TicketChange& change, const LoopContext& context);

}  // namespace duban

#endif  // DUBAN_DOMAIN_LEDGER_RULES_H_
