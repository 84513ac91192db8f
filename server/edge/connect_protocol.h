// The Connect protocol v1 (connectrpc.com/docs/protocol) as the HTTP
// gateway speaks it: status codes, the JSON error body, and the envelopes
// of a streaming response.
//
//   res.status = ConnectHttpStatus(status.error_code());
//   res.set_content(ConnectErrorJson(status, codec), "application/json");
//   sink.write(Envelope(0, message_json));
//   sink.write(Envelope(kEndOfStream, EndOfStreamJson(status, codec)));
#ifndef DUBAN_SERVER_EDGE_CONNECT_PROTOCOL_H_
#define DUBAN_SERVER_EDGE_CONNECT_PROTOCOL_H_

#include <grpcpp/support/status.h>

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "server/edge/json_codec.h"

namespace duban {

// The flag of the envelope that ends a stream.
inline constexpr uint8_t kEndOfStream = 0x02;

// "not_found", "invalid_argument", ...
absl::string_view ConnectCodeName(grpc::StatusCode code);
// The HTTP status a unary error is answered with: not_found 404,
// invalid_argument 400, unauthenticated 401, ... (the protocol's table).
int ConnectHttpStatus(grpc::StatusCode code);

// {"code": ..., "message": ..., "details": [{"type": "google.rpc.BadRequest",
// "value": <base64 without padding>, "debug": <the detail as JSON>}]}: the
// details are those the gRPC status carries (its google.rpc.Status).
std::string ConnectErrorJson(const grpc::Status& status, const JsonCodec& codec);

// The error a status-less HTTP failure (413, 404, ...) is given.
std::string ConnectErrorJson(grpc::StatusCode code, absl::string_view message);

// One envelope: the flag byte, the payload's length (4 bytes, big-endian),
// the payload.
std::string Envelope(uint8_t flags, absl::string_view payload);

// The payload of a request's single envelope; nullopt when `body` is not
// exactly one uncompressed envelope.
std::optional<absl::string_view> OpenEnvelope(absl::string_view body);

// The end-of-stream message: {} or {"error": <as ConnectErrorJson>}.
std::string EndOfStreamJson(const grpc::Status& status, const JsonCodec& codec);

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_CONNECT_PROTOCOL_H_
