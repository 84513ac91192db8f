// JsonCodec: a duban.v1 message between its protobuf bytes and its proto3
// JSON form (lowerCamelCase names, enums by name, int64 as strings), through
// protobuf's own JSON utilities and the descriptors compiled into the
// server. Nothing is written per message.
//
//   JsonCodec codec;
//   ASSIGN_OR_RETURN(std::string bytes, codec.ToBinary("duban.v1.GetTicketRequest", json));
//   ASSIGN_OR_RETURN(std::string json, codec.ToJson("duban.v1.Ticket", bytes));
//
// Thread-safe.
#ifndef DUBAN_SERVER_EDGE_JSON_CODEC_H_
#define DUBAN_SERVER_EDGE_JSON_CODEC_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/type_resolver.h"

namespace duban {

class JsonCodec {
 public:
  JsonCodec();

  // INVALID_ARGUMENT naming the problem when `json` is not the message.
  // Unknown fields are ignored, as Connect clients expect of a server that
  // may be older than they are.
  absl::StatusOr<std::string> ToBinary(absl::string_view message_type,
                                       absl::string_view json) const;
  // INTERNAL when `bytes` do not parse as the message.
  absl::StatusOr<std::string> ToJson(absl::string_view message_type,
                                     absl::string_view bytes) const;

 private:
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_JSON_CODEC_H_
