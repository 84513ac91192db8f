// Why a request's bytes did not parse, field by field.
//
// gRPC's generated code parses every request before a handler runs, and
// answers a request that fails — for a proto3 `string` field holding bytes
// that are not UTF-8 — with a bare INTERNAL. ExplainUnparsedRequest walks the
// same bytes against the request's descriptor and names the field instead.
#ifndef DUBAN_SERVER_EDGE_UNPARSED_REQUEST_H_
#define DUBAN_SERVER_EDGE_UNPARSED_REQUEST_H_

#include <google/protobuf/descriptor.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace duban {

// The path ("ticket.evidence[1]") of the first `string` field in `bytes`,
// read as a `type` message, whose value is not UTF-8; nullopt when there is
// none or the bytes are not a wire-format message at all.
std::optional<std::string> FirstNonUtf8Field(const google::protobuf::Descriptor& type,
                                             absl::string_view bytes);

// INVALID_ARGUMENT for `bytes` that failed to parse as a `type` message:
// naming the field that is not UTF-8, or saying the bytes are not such a
// message.
absl::Status ExplainUnparsedRequest(const google::protobuf::Descriptor& type,
                                    absl::string_view bytes);

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_UNPARSED_REQUEST_H_
