#include "storage/keys.h"

#include "absl/strings/str_cat.h"

namespace duban::storage {

void AppendBigEndian64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

uint64_t ReadBigEndian64(absl::string_view bytes, size_t at) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  }
  return value;
}

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

std::string EncodeRecord(const google::protobuf::MessageLite& message) {
  std::string bytes(1, kRecordV1);
  message.AppendToString(&bytes);
  return bytes;
}

absl::Status DecodeRecord(absl::string_view bytes, google::protobuf::MessageLite& message) {
  if (bytes.empty() || bytes[0] != kRecordV1) {
    return absl::DataLossError(
        absl::StrCat("stored ", message.GetTypeName(), " has an unknown format byte"));
  }
  if (!message.ParseFromArray(bytes.data() + 1, static_cast<int>(bytes.size() - 1))) {
    return absl::DataLossError(absl::StrCat("stored ", message.GetTypeName(), " does not parse"));
  }
  return absl::OkStatus();
}

}  // namespace duban::storage
