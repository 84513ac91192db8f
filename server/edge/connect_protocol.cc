#include "server/edge/connect_protocol.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"

namespace duban {
namespace {

struct CodeRow {
  grpc::StatusCode code;
  absl::string_view name;
  int http_status;
};

constexpr CodeRow kCodes[] = {
    {grpc::StatusCode::CANCELLED, "canceled", 499},
    {grpc::StatusCode::UNKNOWN, "unknown", 500},
    {grpc::StatusCode::INVALID_ARGUMENT, "invalid_argument", 400},
    {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline_exceeded", 504},
    {grpc::StatusCode::NOT_FOUND, "not_found", 404},
    {grpc::StatusCode::ALREADY_EXISTS, "already_exists", 409},
    {grpc::StatusCode::PERMISSION_DENIED, "permission_denied", 403},
    {grpc::StatusCode::RESOURCE_EXHAUSTED, "resource_exhausted", 429},
    {grpc::StatusCode::FAILED_PRECONDITION, "failed_precondition", 400},
    {grpc::StatusCode::ABORTED, "aborted", 409},
    {grpc::StatusCode::OUT_OF_RANGE, "out_of_range", 400},
    {grpc::StatusCode::UNIMPLEMENTED, "unimplemented", 501},
    {grpc::StatusCode::INTERNAL, "internal", 500},
    {grpc::StatusCode::UNAVAILABLE, "unavailable", 503},
    {grpc::StatusCode::DATA_LOSS, "data_loss", 500},
    {grpc::StatusCode::UNAUTHENTICATED, "unauthenticated", 401},
};

const CodeRow& RowOf(grpc::StatusCode code) {
  for (const CodeRow& row : kCodes) {
    if (row.code == code) return row;
  }
  return kCodes[1];  // unknown
}

std::string Print(const google::protobuf::Struct& error) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(error, &json);
  return json;
}

google::protobuf::Struct ErrorStruct(grpc::StatusCode code, absl::string_view message) {
  google::protobuf::Struct error;
  auto& fields = *error.mutable_fields();
  fields["code"].set_string_value(std::string(ConnectCodeName(code)));
  if (!message.empty()) fields["message"].set_string_value(std::string(message));
  return error;
}

google::protobuf::Struct ErrorStruct(const grpc::Status& status, const JsonCodec& codec) {
  google::protobuf::Struct error = ErrorStruct(status.error_code(), status.error_message());
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details()) ||
      details.details().empty()) {
    return error;
  }
  google::protobuf::ListValue& list = *(*error.mutable_fields())["details"].mutable_list_value();
  for (const google::protobuf::Any& any : details.details()) {
    absl::string_view type = any.type_url();
    type = type.substr(type.rfind('/') + 1);
    google::protobuf::Struct& detail = *list.add_values()->mutable_struct_value();
    auto& fields = *detail.mutable_fields();
    fields["type"].set_string_value(std::string(type));
    fields["value"].set_string_value(absl::StrCat(
        absl::StripSuffix(absl::StripSuffix(absl::Base64Escape(any.value()), "="), "=")));
    absl::StatusOr<std::string> json = codec.ToJson(type, any.value());
    if (json.ok()) {
      (void)google::protobuf::util::JsonStringToMessage(*json,
                                                        fields["debug"].mutable_struct_value());
    }
  }
  return error;
}

}  // namespace

absl::string_view ConnectCodeName(grpc::StatusCode code) { return RowOf(code).name; }

int ConnectHttpStatus(grpc::StatusCode code) { return RowOf(code).http_status; }

std::string ConnectErrorJson(const grpc::Status& status, const JsonCodec& codec) {
  return Print(ErrorStruct(status, codec));
}

std::string ConnectErrorJson(grpc::StatusCode code, absl::string_view message) {
  return Print(ErrorStruct(code, message));
}

std::string Envelope(uint8_t flags, absl::string_view payload) {
  std::string out;
  out.reserve(5 + payload.size());
  out.push_back(static_cast<char>(flags));
  const uint32_t size = static_cast<uint32_t>(payload.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(size >> shift));
  out.append(payload.data(), payload.size());
  return out;
}

std::optional<absl::string_view> OpenEnvelope(absl::string_view body) {
  if (body.size() < 5 || body[0] != 0) return std::nullopt;
  uint32_t size = 0;
  for (int i = 1; i < 5; ++i) size = (size << 8) | static_cast<unsigned char>(body[i]);
  if (body.size() - 5 != size) return std::nullopt;
  return body.substr(5);
}

std::string EndOfStreamJson(const grpc::Status& status, const JsonCodec& codec) {
  if (status.ok()) return "{}";
  google::protobuf::Struct end;
  *(*end.mutable_fields())["error"].mutable_struct_value() = ErrorStruct(status, codec);
  return Print(end);
}

}  // namespace duban
