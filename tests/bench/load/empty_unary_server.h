// EmptyUnaryServer: the second limit duband sits on — a gRPC server in
// this process on 127.0.0.1:0 built like duband's (synchronous API, the
// same thread bound) with one handler that does nothing: kEmptyUnary
// answers an empty request with an empty reply, at once. The difference
// to GetTicket is then duband's own work. (The standard health service is
// on too, but gRPC serves it outside the synchronous thread pool.)
//
// With ServerApi::kCallback the same handler runs on gRPC's callback API
// instead (no synchronous pool; the reply is finished inside the
// callback): the other threading a server could choose, measured beside
// duband's.
//
//   ASSIGN_OR_RETURN(auto server, EmptyUnaryServer::Start(64, ServerApi::kSync));
//   Drive({.target = server->address()}, health_calls, "empty unary");
#ifndef DUBAN_TESTS_BENCH_LOAD_EMPTY_UNARY_SERVER_H_
#define DUBAN_TESTS_BENCH_LOAD_EMPTY_UNARY_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

inline constexpr const char* kEmptyUnary = "/duban.v1.CalendarService/GetCalendar";

namespace duban::load {

enum class ServerApi {
  kSync,      // duband's: a bounded pool of synchronous handler threads
  kCallback,  // gRPC's callback API
};

class EmptyUnaryServer {
 public:
  // `max_threads` bounds the synchronous pool (kSync only).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<EmptyUnaryServer>> Start(int max_threads,
                                                                               ServerApi api);

  EmptyUnaryServer(const EmptyUnaryServer&) = delete;
  EmptyUnaryServer& operator=(const EmptyUnaryServer&) = delete;
  ~EmptyUnaryServer();

  const std::string& address() const { return address_; }

 private:
  EmptyUnaryServer() = default;

  std::unique_ptr<grpc::Service> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_EMPTY_UNARY_SERVER_H_
