// The framing of every value the store keeps: a record is one format byte
// (kRecordV1) followed by the protobuf bytes of the message. The messages
// are the API's (proto/duban/v1), whose field and enum numbers are fixed
// forever.
//
//   batch.Put(family, key, EncodeRecord(ticket));
//   RETURN_IF_ERROR(DecodeRecord(value, ticket));   // DATA_LOSS when damaged
#ifndef DUBAN_STORAGE_RECORD_H_
#define DUBAN_STORAGE_RECORD_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"

namespace duban::storage {

inline constexpr char kRecordV1 = 0x01;

std::string EncodeRecord(const google::protobuf::MessageLite& message);
// DATA_LOSS when the framing or the bytes are bad.
[[nodiscard]] absl::Status DecodeRecord(absl::string_view bytes,
                                        google::protobuf::MessageLite& message);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_RECORD_H_
