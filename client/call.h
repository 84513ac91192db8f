// CallAndShow: one unary call with a fresh context, its reply shown by a
// view, its failure reported by the session.
//
//   return CallAndShow(session, session.performance(),
//                      &v1::PerformanceService::Stub::GetLedgerPolicy,
//                      v1::GetLedgerPolicyRequest(), &ShowLedgerPolicy);
#ifndef DUBAN_CLIENT_CALL_H_
#define DUBAN_CLIENT_CALL_H_

#include <grpcpp/grpcpp.h>

#include "client/session.h"

namespace duban::cli {

// Returns kExitOk after showing the reply, or kExitRpcError after reporting
// the failure on stderr.
template <typename Stub, typename Request, typename Response>
int CallAndShow(Session& session, Stub& stub,
                grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                const Request& request, void (*show)(Session&, const Response&)) {
  Response response;
  auto context = session.NewContext();
  grpc::Status status = (stub.*rpc)(context.get(), request, &response);
  if (!status.ok()) return session.Fail(status);
  show(session, response);
  return kExitOk;
}

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_CALL_H_
