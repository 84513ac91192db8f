// The checks both crash tests run on a store reopened after its crashes.
//
//   std::map<v1::EscalationLevel, int> fired = ExpectStoreHolds(*database, *tickets, acks);
//
// ExpectStoreHolds adds a test failure for each of:
// - the store is not consistent (StoreIsConsistent: indexes, event log,
//   referrals, ledger, audit chain);
// - an acknowledged step is missing or not what its event says
//   (ReflectsAck);
// - one create request made more than one ticket (the writers title each
//   ticket after the request id that created it);
// - a ladder level fired twice in one stage cycle (EscalatedOncePerCycle).
// It returns how many ESCALATED events the store holds, by level.
//
// Reads only; call it with no writer running.
#ifndef DUBAN_TESTS_CRASH_STORE_AFTER_CRASH_H_
#define DUBAN_TESTS_CRASH_STORE_AFTER_CRASH_H_

#include <map>
#include <vector>

#include "duban/v1/ticket.pb.h"
#include "storage/database.h"
#include "storage/ticket_store.h"
#include "tests/crash/history_checks.h"

namespace duban::testing {

std::map<v1::EscalationLevel, int> ExpectStoreHolds(const storage::Database& database,
                                                    const storage::TicketStore& tickets,
                                                    const std::vector<Ack>& acks);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_CRASH_STORE_AFTER_CRASH_H_
