// CreateServer: CreateTicket served in this process on 127.0.0.1:0 over a
// fresh store, with either threading a server could choose, to measure the
// two side by side with everything else equal (no call interceptor, no
// metrics, on either):
//
//   ServerApi::kSync      the synchronous API (ConfigureThreading:
//                         `max_threads` threads), each handler blocking in
//                         its own synced write, which RocksDB's write group
//                         commits together with concurrent ones
//   ServerApi::kCallback  duband's: TicketServiceImpl, whose CreateTicket
//                         runs on gRPC's callback API — the handler checks
//                         the call and queues it; `commit_threads` threads
//                         (duband: 1) write what has queued, many creates
//                         to one synced write (server/create_committer.h)
//
// Both authenticate, check access and build the ticket with the same code
// (PrepareCreate); only CreateTicket is measured.
//
//   ASSIGN_OR_RETURN(auto server, CreateServer::Start(dir, ServerApi::kCallback, 128, 1));
//   Drive({.target = server->address()}, creates, "CreateTicket (callback)");
#ifndef DUBAN_TESTS_BENCH_LOAD_CREATE_SERVER_H_
#define DUBAN_TESTS_BENCH_LOAD_CREATE_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tests/bench/load/county_store.h"
#include "server/create_committer.h"
#include "tests/bench/load/empty_unary_server.h"

namespace duban::load {

class CreateServer {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<CreateServer>> Start(
      const std::string& path, ServerApi api, int max_threads, int commit_threads);

  CreateServer(const CreateServer&) = delete;
  CreateServer& operator=(const CreateServer&) = delete;
  ~CreateServer();

  const std::string& address() const { return address_; }
  // Creates per synced write so far (kCallback; 0 for kSync, where
  // RocksDB forms the groups).
  double MeanGroupSize() const { return committer_ ? committer_->MeanGroupSize() : 0; }

 private:
  CreateServer() = default;

  std::unique_ptr<CountyStore> county_;
  std::unique_ptr<CreateCommitter> committer_;
  std::unique_ptr<grpc::Service> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_CREATE_SERVER_H_
