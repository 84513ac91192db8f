// ServeUnary: the frame of every unary handler. It authenticates the call,
// checks the method against the access table, runs the handler body — whose
// writes are refused once the call's deadline has passed — and maps its
// status to gRPC in one place.
//
//   grpc::Status GetTicket(grpc::ServerContext* context, const GetTicketRequest* request,
//                          Ticket* response) override {
//     return ServeUnary(*context, backend_, "duban.v1.TicketService/GetTicket", response,
//                       [&](const Caller& caller) { return ...; });
//   }
#ifndef DUBAN_SERVER_EDGE_UNARY_CALL_H_
#define DUBAN_SERVER_EDGE_UNARY_CALL_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "domain/access_policy.h"
#include "server/edge/rpc_status.h"
#include "server/runtime/backend.h"

namespace duban {

// "duban.v1.TicketService/SignTicket": how the access table names methods.
inline std::string FullMethod(absl::string_view service, absl::string_view method) {
  return absl::StrCat(service, "/", method);
}

// The call's deadline; InfiniteFuture when it has none.
inline absl::Time CallDeadline(const grpc::ServerContextBase& context) {
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return absl::InfiniteFuture();
  return absl::FromChrono(deadline);
}

// The caller of `method`, if authenticated and allowed to call it.
inline absl::StatusOr<Caller> AdmitCall(const grpc::ServerContextBase& context,
                                        const Backend& backend, absl::string_view method) {
  absl::StatusOr<Caller> caller = backend.authenticator->Authenticate(context);
  if (!caller.ok()) return caller.status();
  if (absl::Status allowed = CheckMethodAccess(*caller, method); !allowed.ok()) return allowed;
  caller->deadline = CallDeadline(context);
  return caller;
}

// `body` takes the Caller and returns absl::StatusOr<Response>.
template <typename Response, typename Body>
grpc::Status ServeUnary(const grpc::ServerContextBase& context, const Backend& backend,
                        absl::string_view method, Response* response, Body&& body) {
  absl::StatusOr<Caller> caller = AdmitCall(context, backend, method);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<Response> result = std::forward<Body>(body)(*caller);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_UNARY_CALL_H_
