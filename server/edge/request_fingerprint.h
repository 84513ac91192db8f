// The fingerprint of a mutation request, for storage::RequestKey: a SHA-256
// of the method and the request without its request_id, so a retry matches
// and the same id reused for something else does not.
//
//   storage::RequestKey key = RequestKeyFor(caller, method, request);
#ifndef DUBAN_SERVER_EDGE_REQUEST_FINGERPRINT_H_
#define DUBAN_SERVER_EDGE_REQUEST_FINGERPRINT_H_

#include "absl/strings/string_view.h"
#include "domain/caller.h"
#include "google/protobuf/message.h"
#include "storage/request_log.h"

namespace duban {

// `request` must have a string field `request_id`.
storage::RequestKey RequestKeyFor(const Caller& caller, absl::string_view method,
                                  const google::protobuf::Message& request);

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_REQUEST_FINGERPRINT_H_
