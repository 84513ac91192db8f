// Calls to a TestServer's HTTP gateway as a browser or curl makes them
// (cpp-httplib's client), and readers of what the Connect protocol answers.
//
//   HttpReply reply = PostJson(port, "/duban.v1.TicketService/GetTicket", "leader",
//                              R"({"name":"tickets/1"})");
//   ConnectError error = ParseConnectError(reply.body);   // code, message, details
#ifndef DUBAN_TESTS_E2E_HTTP_CLIENT_H_
#define DUBAN_TESTS_E2E_HTTP_CLIENT_H_

#include <httplib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"

namespace duban::testing {

struct HttpReply {
  int status = 0;  // 0: no answer
  std::string content_type;
  std::string body;
  httplib::Headers headers;
  std::string Header(const std::string& name) const;
};

// POSTs `body` to `path` with Content-Type `content_type` and, unless
// `token` is "", `Authorization: Bearer <token>`.
HttpReply Post(int port, const std::string& path, const std::string& token,
               const std::string& body, const std::string& content_type = "application/json",
               const httplib::Headers& headers = {});
HttpReply PostJson(int port, const std::string& path, const std::string& token,
                   const std::string& json);
// A streaming call: `json` sent in one envelope.
HttpReply PostStream(int port, const std::string& path, const std::string& token,
                     const std::string& json, const httplib::Headers& headers = {});
HttpReply Get(int port, const std::string& path, const httplib::Headers& headers = {});

struct ConnectError {
  std::string code;
  std::string message;
  // The google.rpc.ErrorInfo reason and the google.rpc.BadRequest fields,
  // decoded from the details' base64 values.
  std::string reason;
  std::vector<std::string> bad_fields;
  std::vector<std::string> detail_types;
};
// Of an error body, or of the "error" of an end-of-stream message.
ConnectError ParseConnectError(const std::string& json);

struct Frame {
  uint8_t flags = 0;
  std::string payload;
};
// The envelopes of a streaming response; a trailing partial one is dropped.
std::vector<Frame> SplitEnvelopes(const std::string& body);

// `json` parsed, or an empty Struct when it does not parse.
google::protobuf::Struct ParseJson(const std::string& json);
// `json` as `message` (proto3 JSON); false when it does not parse.
bool FromJson(const std::string& json, google::protobuf::Message& message);
std::string ToJson(const google::protobuf::Message& message);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_E2E_HTTP_CLIENT_H_
