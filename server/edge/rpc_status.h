// The one place an absl::Status becomes a grpc::Status.
//
// The canonical codes map one to one. The status payloads (ErrorInfo,
// BadRequest, made in base/errors.h) become the details of a
// google.rpc.Status, sent in the `grpc-status-details-bin` trailer, so any
// gRPC client can read them. An error without an ErrorInfo gets one whose
// reason is the code's name.
#ifndef DUBAN_SERVER_EDGE_RPC_STATUS_H_
#define DUBAN_SERVER_EDGE_RPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace duban {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_RPC_STATUS_H_
