// The store's invariants, checked straight from the column families, for
// any test that holds a Database: the storage tests, and the crash tests
// that reopen a store after a kill or a simulated power loss.
//
//   auto database = storage::Database::Open({.path = dir});
//   EXPECT_TRUE(StoreIsConsistent(**database));
//
// Reads only; safe while other threads read the same Database, but a
// concurrent writer may make a consistent store look inconsistent.
#ifndef DUBAN_TESTS_STORAGE_STORE_CHECKS_H_
#define DUBAN_TESTS_STORAGE_STORE_CHECKS_H_

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "storage/database.h"

namespace duban::storage {

// Every key and value of one column family, in key order.
std::map<std::string, std::string> Dump(const Database& database, Family family);

// The store's invariants, read straight from the column families:
// - every stored ticket is named after its key and has no roll-up;
// - ticket_index holds exactly TicketIndexEntries(id, ticket) of every
//   stored ticket: nothing missing, nothing stale, values equal;
// - a ticket has one escalation entry, at its next_escalation_time, when
//   that is set, and none otherwise; a closed or cancelled ticket has none;
// - every ticket has events: sequences 1..revision under its key, each
//   naming the ticket, the last one carrying the ticket's etag and stage,
//   and there are no events of tickets that do not exist;
// - the log has exactly one entry per event and none for anything else, and
//   a ticket's events sit in the log in sequence order;
// - each referral record is named after its key, stored without its trail,
//   about a ticket that lists it, and the referrals family holds exactly
//   ReferralIndexKeys of every record besides the records; every ticket
//   lists exactly the referrals about it, and an event naming a referral
//   names one of its ticket's;
// - each ledger entry is named after its key; the ledger family holds
//   exactly its 'p' (period), 'i' (indicator) and 'u' (each charged unit)
//   index keys, empty-valued, besides the entries, and an 'r' marker
//   (holding the reversal's id) for every reversed entry, whose reversal
//   names it; every rule entry (REFERRAL_RULE, LATE_CLOSE_RULE) names an
//   existing source ticket and at least one event of that ticket, the
//   referral rule's a referral event and the late-close rule's a closing
//   one;
// - the audit log verifies (VerifyAudit, storage/audit_verifier.h, without
//   a checkpoint).
::testing::AssertionResult StoreIsConsistent(const Database& database);

}  // namespace duban::storage

#endif  // DUBAN_TESTS_STORAGE_STORE_CHECKS_H_
