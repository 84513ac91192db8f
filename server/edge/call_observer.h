// CallObserver: what duband notes of every call — the gRPC metrics
// (server/runtime/server_metrics.h) and one JSON log line (server/runtime/json_log.h) with
// method, code, duration, principal, request_id and peer.
//
//   CallObserver observer(&metrics, &log);
//   authenticator.set_principal_listener(
//       [&](const grpc::ServerContextBase& call, const std::string& who) {
//         observer.NotePrincipal(call, who);
//       });
//   builder.experimental().SetInterceptorCreators(observer.InterceptorCreators());
//
// Log levels: a call that succeeded is `debug`; one refused for what the
// client sent or may do (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, …)
// is `info`; UNAVAILABLE, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED are
// `warning`; INTERNAL, UNKNOWN and DATA_LOSS are `error`. Thread-safe.
#ifndef DUBAN_SERVER_EDGE_CALL_OBSERVER_H_
#define DUBAN_SERVER_EDGE_CALL_OBSERVER_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/mutex.h"
#include "server/runtime/json_log.h"
#include "server/runtime/server_metrics.h"

namespace duban {

// The level a call that ended with `code` is logged at.
LogLevel CallLogLevel(grpc::StatusCode code);

class CallObserver {
 public:
  // Neither is owned; both must outlive the server.
  CallObserver(ServerMetrics* metrics, JsonLog* log) : metrics_(*metrics), log_(*log) {}

  // Notes the principal the call on `call` was authenticated as.
  void NotePrincipal(const grpc::ServerContextBase& call, const std::string& principal);

  // Principals noted for calls that have not finished: none once every call
  // has (a leak check for tests).
  size_t principals_noted() const ABSL_LOCKS_EXCLUDED(mutex_);

  // Interceptor creators to install on the server builder.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
  InterceptorCreators();

 private:
  friend class CallInterceptor;

  // The principal noted for `call` ("" if none), forgetting it.
  std::string TakePrincipal(const grpc::ServerContextBase* call);

  ServerMetrics& metrics_;
  JsonLog& log_;
  mutable Mutex mutex_;
  absl::flat_hash_map<const grpc::ServerContextBase*, std::string> principals_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_CALL_OBSERVER_H_
