// Key encodings of the `tickets` and `events` column families.
//
//   tickets: key = ticket id, 8 bytes big-endian (so keys sort by id)
//            value = record(Ticket)           roll-up never stored
//   events:  key = ticket id (8 BE) | sequence (8 BE)
//            value = record(TicketEvent)
#ifndef DUBAN_STORAGE_TICKET_KEYS_H_
#define DUBAN_STORAGE_TICKET_KEYS_H_

#include <cstdint>
#include <string>

namespace duban::storage {

std::string TicketKey(uint64_t id);
std::string EventKey(uint64_t ticket_id, uint64_t sequence);
// The prefix every event key of one ticket starts with.
std::string EventPrefix(uint64_t ticket_id);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_TICKET_KEYS_H_
