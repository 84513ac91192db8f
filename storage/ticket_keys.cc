#include "storage/ticket_keys.h"

#include "storage/big_endian.h"

namespace duban::storage {

std::string TicketKey(uint64_t id) {
  std::string key;
  AppendBigEndian64(key, id);
  return key;
}

std::string EventKey(uint64_t ticket_id, uint64_t sequence) {
  std::string key = EventPrefix(ticket_id);
  AppendBigEndian64(key, sequence);
  return key;
}

std::string EventPrefix(uint64_t ticket_id) { return TicketKey(ticket_id); }

}  // namespace duban::storage
