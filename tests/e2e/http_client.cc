#include "tests/e2e/http_client.h"

#include "absl/strings/escaping.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"

namespace duban::testing {
namespace {

httplib::Client ClientFor(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  return client;
}

HttpReply ReplyOf(const httplib::Result& result) {
  HttpReply reply;
  if (!result) return reply;
  reply.status = result->status;
  reply.content_type = result->get_header_value("Content-Type");
  reply.body = result->body;
  reply.headers = result->headers;
  return reply;
}

std::string Base64Decode(std::string value) {
  while (value.size() % 4 != 0) value.push_back('=');
  std::string bytes;
  absl::Base64Unescape(value, &bytes);
  return bytes;
}

}  // namespace

std::string HttpReply::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

HttpReply Post(int port, const std::string& path, const std::string& token,
               const std::string& body, const std::string& content_type,
               const httplib::Headers& headers) {
  httplib::Client client = ClientFor(port);
  httplib::Headers all = headers;
  if (!token.empty()) all.emplace("Authorization", "Bearer " + token);
  return ReplyOf(client.Post(path.c_str(), all, body, content_type.c_str()));
}

HttpReply PostJson(int port, const std::string& path, const std::string& token,
                   const std::string& json) {
  return Post(port, path, token, json);
}

HttpReply PostStream(int port, const std::string& path, const std::string& token,
                     const std::string& json, const httplib::Headers& headers) {
  std::string envelope(1, '\0');
  const uint32_t size = static_cast<uint32_t>(json.size());
  for (int shift = 24; shift >= 0; shift -= 8) envelope.push_back(static_cast<char>(size >> shift));
  envelope += json;
  return Post(port, path, token, envelope, "application/connect+json", headers);
}

HttpReply Get(int port, const std::string& path, const httplib::Headers& headers) {
  httplib::Client client = ClientFor(port);
  return ReplyOf(client.Get(path.c_str(), headers));
}

google::protobuf::Struct ParseJson(const std::string& json) {
  google::protobuf::Struct parsed;
  if (!google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) return {};
  return parsed;
}

bool FromJson(const std::string& json, google::protobuf::Message& message) {
  return google::protobuf::util::JsonStringToMessage(json, &message).ok();
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

ConnectError ParseConnectError(const std::string& json) {
  const google::protobuf::Struct parsed = ParseJson(json);
  ConnectError error;
  auto field = [&](const std::string& name) -> const google::protobuf::Value* {
    auto it = parsed.fields().find(name);
    return it == parsed.fields().end() ? nullptr : &it->second;
  };
  if (const auto* code = field("code")) error.code = code->string_value();
  if (const auto* message = field("message")) error.message = message->string_value();
  if (const auto* details = field("details")) {
    for (const google::protobuf::Value& detail : details->list_value().values()) {
      const auto& fields = detail.struct_value().fields();
      const std::string type = fields.count("type") ? fields.at("type").string_value() : "";
      const std::string value =
          Base64Decode(fields.count("value") ? fields.at("value").string_value() : "");
      error.detail_types.push_back(type);
      if (type == "google.rpc.ErrorInfo") {
        google::rpc::ErrorInfo info;
        if (info.ParseFromString(value)) error.reason = info.reason();
      } else if (type == "google.rpc.BadRequest") {
        google::rpc::BadRequest bad;
        if (bad.ParseFromString(value)) {
          for (const auto& violation : bad.field_violations()) {
            error.bad_fields.push_back(violation.field());
          }
        }
      }
    }
  }
  return error;
}

std::vector<Frame> SplitEnvelopes(const std::string& body) {
  std::vector<Frame> frames;
  size_t at = 0;
  while (body.size() - at >= 5) {
    uint32_t size = 0;
    for (int i = 1; i < 5; ++i) size = (size << 8) | static_cast<unsigned char>(body[at + i]);
    if (body.size() - at - 5 < size) break;
    frames.push_back({static_cast<uint8_t>(body[at]), body.substr(at + 5, size)});
    at += 5 + size;
  }
  return frames;
}

}  // namespace duban::testing
