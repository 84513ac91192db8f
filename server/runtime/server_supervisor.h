// ServerSupervisor: runs duband's DubanServer for as long as the process
// lives, through the changes of role replication brings
// (docs/replication.md):
//   - a replica with no store first fetches the primary's (full sync);
//   - a replica whose primary no longer has the log it needs fetches a
//     snapshot again and starts over on it;
//   - a replica asked to be promoted restarts its services as the primary
//     of the next epoch, and tells the primary it left that it is fenced.
// Each restart keeps the ports of the first start.
//
//   ServerSupervisor supervisor(options);
//   std::thread signals([&] { sigwait(...); supervisor.Shutdown(absl::Seconds(10)); });
//   absl::Status ended = supervisor.Run([](const DubanServer& server) { log(server.address()); });
//
// Thread-safe: mu_ guards the members below it; taken alone.
#ifndef DUBAN_SERVER_RUNTIME_SERVER_SUPERVISOR_H_
#define DUBAN_SERVER_RUNTIME_SERVER_SUPERVISOR_H_

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/mutex.h"
#include "server/runtime/duban_server.h"

namespace duban {

class ServerSupervisor {
 public:
  explicit ServerSupervisor(ServerOptions options);
  ServerSupervisor(const ServerSupervisor&) = delete;
  ServerSupervisor& operator=(const ServerSupervisor&) = delete;

  // Starts the server — `started` is called after each start — and keeps
  // it running until Shutdown (OK) or until it cannot run (the error).
  absl::Status Run(const std::function<void(const DubanServer&)>& started)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Shuts the running server down (see DubanServer::Shutdown); Run returns.
  void Shutdown(absl::Duration drain) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // A replica's store before its server starts: an install cut short
  // finished or dropped; a missing store fetched, trying until it comes or
  // Shutdown.
  absl::Status PrepareReplicaStore(const std::string& expected_store_id, bool always_fetch)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Starts a server on options_; false (with the server shut) if Shutdown
  // came first.
  absl::StatusOr<bool> StartServer(const std::function<void(const DubanServer&)>& started)
      ABSL_LOCKS_EXCLUDED(mu_);
  bool stopping() const ABSL_LOCKS_EXCLUDED(mu_);

  ServerOptions options_;
  mutable Mutex mu_;
  CondVar stopped_;
  std::shared_ptr<DubanServer> server_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Duration drain_ ABSL_GUARDED_BY(mu_) = absl::Seconds(10);
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_SERVER_SUPERVISOR_H_
