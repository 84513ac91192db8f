// Checks of one ticket's history after a crash: that an acknowledged step
// is in it, and that no escalation level fired twice in one stage cycle.
//
//   Ack ack{.ticket = reply.name(), .revision = Revision(reply),
//           .type = v1::EVENT_TYPE_SIGNED, .request_id = "w3-17"};
//   ... crash, restart, read the ticket and all its events ...
//   EXPECT_TRUE(ReflectsAck(ack, ticket, history));
//   EXPECT_TRUE(EscalatedOncePerCycle(ticket, history));
//
// Pure functions of their arguments; thread-safe.
#ifndef DUBAN_TESTS_CRASH_HISTORY_CHECKS_H_
#define DUBAN_TESTS_CRASH_HISTORY_CHECKS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "duban/v1/ticket.pb.h"

namespace duban::testing {

// A step the server (or store) acknowledged: the ticket it changed, the
// revision (etag) it left the ticket at, the event it recorded and the
// request id it was sent with.
struct Ack {
  std::string ticket;
  int64_t revision = 0;
  v1::EventType type = v1::EVENT_TYPE_UNSPECIFIED;
  std::string request_id;
};

// Whether `ticket` (the current one, named ack.ticket) is at or past
// ack.revision, and event number ack.revision of `history` (all events,
// oldest first) is the acknowledged step: its type, its etag and its
// request id.
::testing::AssertionResult ReflectsAck(const Ack& ack, const v1::Ticket& ticket,
                                       const std::vector<v1::TicketEvent>& history);

// Whether `ticket`'s escalation records name each (stage cycle, level) once
// and match its ESCALATED events level for level, and whether `history`
// holds no level ESCALATED twice between two events that start a new stage
// cycle (a change of stage, a dispute, a granted extension, a reopening).
::testing::AssertionResult EscalatedOncePerCycle(const v1::Ticket& ticket,
                                                 const std::vector<v1::TicketEvent>& history);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_CRASH_HISTORY_CHECKS_H_
