#include "storage/record.h"

#include "absl/strings/str_cat.h"

namespace duban::storage {

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
