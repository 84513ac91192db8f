// Key encodings of the tickets and events column families, and the framing
// of every stored value.
//
//   tickets: key = ticket id, 8 bytes big-endian (so keys sort by id)
//            value = record(Ticket)           rollup never stored
//   events:  key = ticket id (8 BE) | sequence (8 BE)
//            value = record(TicketEvent)
//
// A record is one format byte (kRecordV1) followed by the protobuf bytes of
// the message. The messages are the API's (proto/duban/v1), whose field and
// enum numbers are fixed forever.
#ifndef DUBAN_STORAGE_KEYS_H_
#define DUBAN_STORAGE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"

namespace duban::storage {

inline constexpr char kRecordV1 = 0x01;

void AppendBigEndian64(std::string& out, uint64_t value);
// Reads 8 bytes at `at`; the caller makes sure they are there.
uint64_t ReadBigEndian64(absl::string_view bytes, size_t at = 0);

std::string TicketKey(uint64_t id);
std::string EventKey(uint64_t ticket_id, uint64_t sequence);
// The prefix every event key of one ticket starts with.
std::string EventPrefix(uint64_t ticket_id);

std::string EncodeRecord(const google::protobuf::MessageLite& message);
// DATA_LOSS when the framing or the bytes are bad.
[[nodiscard]] absl::Status DecodeRecord(absl::string_view bytes,
                                        google::protobuf::MessageLite& message);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_KEYS_H_
