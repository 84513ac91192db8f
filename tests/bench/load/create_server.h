// CreateServer: CreateTicket served in this process on 127.0.0.1:0 over a
// fresh store, with one of three threadings a server could choose, to
// measure them side by side with everything else equal (no call
// interceptor, no metrics, on any):
//
//   kSyncEachWrites       the synchronous API (ConfigureThreading:
//                         `max_threads` threads), each handler making its
//                         own synced write, which RocksDB's write group
//                         commits together with concurrent ones
//   kSyncCommitThread     duband's: TicketServiceImpl on the same pool, the
//                         handler waiting while one commit thread writes
//                         what has queued, many creates to one synced write
//                         (server/runtime/create_committer.h)
//   kCallbackCommitThread gRPC's callback API: the handler queues the create
//                         for the same commit thread and returns; no thread
//                         waits for a write
//
// All three authenticate, check access and build the ticket with the same
// code (PrepareCreate); only CreateTicket is measured.
//
//   ASSIGN_OR_RETURN(auto server,
//                    CreateServer::Start(dir, CreateThreading::kSyncCommitThread, 128));
//   Drive({.target = server->address()}, creates, "CreateTicket");
#ifndef DUBAN_TESTS_BENCH_LOAD_CREATE_SERVER_H_
#define DUBAN_TESTS_BENCH_LOAD_CREATE_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/runtime/create_committer.h"
#include "tests/bench/load/county_store.h"

namespace duban::load {

enum class CreateThreading { kSyncEachWrites, kSyncCommitThread, kCallbackCommitThread };

class CreateServer {
 public:
  // `max_threads` bounds the synchronous pool (not used by the callback API).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<CreateServer>> Start(
      const std::string& path, CreateThreading threading, int max_threads);

  CreateServer(const CreateServer&) = delete;
  CreateServer& operator=(const CreateServer&) = delete;
  ~CreateServer();

  const std::string& address() const { return address_; }
  // Creates per synced write so far with a commit thread; 0 without one
  // (RocksDB forms the groups).
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
