#include "server/runtime/server_supervisor.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "server/replication/peer_fencing.h"
#include "server/replication/snapshot_fetch.h"
#include "storage/snapshot.h"

namespace duban {
namespace {

// Between attempts to reach a primary that does not answer.
constexpr absl::Duration kRetry = absl::Seconds(2);
// How long a replica being promoted lets its calls in flight finish.
constexpr absl::Duration kPromotionDrain = absl::Seconds(2);

// `address` with the port `port` (what a restart listens on again).
std::string WithPort(const std::string& address, int port) {
  return absl::StrCat(HostOf(address), ":", port);
}

}  // namespace

ServerSupervisor::ServerSupervisor(ServerOptions options) : options_(std::move(options)) {
  if (!options_.log) options_.log = std::make_shared<JsonLog>(stderr, LogLevel::kWarning);
}

bool ServerSupervisor::stopping() const {
  MutexLock lock(&mu_);
  return stopping_;
}

void ServerSupervisor::Shutdown(absl::Duration drain) {
  std::shared_ptr<DubanServer> server;
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    drain_ = drain;
    server = server_;
  }
  stopped_.SignalAll();
  if (server) server->Shutdown(drain);
}

absl::Status ServerSupervisor::PrepareReplicaStore(const std::string& expected_store_id,
                                                   bool always_fetch) {
  std::error_code error;
  if (std::filesystem::exists(options_.data_dir, error)) {
    RETURN_IF_ERROR(storage::SnapshotInstaller::FinishInterruptedInstall(options_.data_dir));
  }
  if (!always_fetch && std::filesystem::exists(options_.data_dir + "/CURRENT", error)) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                   PeerChannel(options_.replica_of, options_.peer_credentials));
  const SnapshotSource source{.primary = options_.replica_of,
                              .channel = std::move(channel),
                              .credentials = options_.peer_credentials};
  while (true) {
    absl::Status fetched = FetchSnapshot(source, options_.data_dir, expected_store_id, *options_.log);
    if (fetched.ok()) {
      ++options_.snapshots_fetched;
      return fetched;
    }
    // Only what the network or a busy primary causes passes with time.
    if (!absl::IsUnavailable(fetched) && !absl::IsDeadlineExceeded(fetched) &&
        !absl::IsResourceExhausted(fetched) && !absl::IsAborted(fetched) &&
        !absl::IsCancelled(fetched)) {
      return fetched;
    }
    options_.log->Write(LogLevel::kWarning,
                        absl::StrCat("no snapshot from ", options_.replica_of, ": ",
                                     fetched.message(), " (trying again)"));
    MutexLock lock(&mu_);
    if (!stopping_) stopped_.WaitWithTimeout(&mu_, kRetry);
    if (stopping_) return absl::CancelledError("shut down before the snapshot came");
  }
}

absl::StatusOr<bool> ServerSupervisor::StartServer(
    const std::function<void(const DubanServer&)>& started) {
  ASSIGN_OR_RETURN(std::unique_ptr<DubanServer> made, DubanServer::Start(options_));
  std::shared_ptr<DubanServer> server = std::move(made);
  // Later starts listen where the first did.
  options_.listen = WithPort(options_.listen, server->port());
  if (server->http_port() != 0) options_.http_listen = WithPort(options_.http_listen, server->http_port());
  if (server->metrics_port() != 0) {
    options_.metrics_listen = WithPort(options_.metrics_listen, server->metrics_port());
  }
  if (server->health_port() != 0) {
    options_.health_listen = WithPort(options_.health_listen, server->health_port());
  }
  absl::Duration drain;
  {
    MutexLock lock(&mu_);
    if (!stopping_) {
      server_ = server;
      drain = absl::ZeroDuration();
    } else {
      drain = drain_;
    }
  }
  if (drain != absl::ZeroDuration()) {
    server->Shutdown(drain);
    return false;
  }
  started(*server);
  return true;
}

absl::Status ServerSupervisor::Run(const std::function<void(const DubanServer&)>& started) {
  if (!options_.replica_of.empty()) {
    absl::Status prepared = PrepareReplicaStore("", /*always_fetch=*/false);
    if (stopping()) return absl::OkStatus();
    RETURN_IF_ERROR(prepared);
  }
  ASSIGN_OR_RETURN(bool running, StartServer(started));
  while (running) {
    std::shared_ptr<DubanServer> server;
    {
      MutexLock lock(&mu_);
      server = server_;
    }
    absl::Status why;
    const ReplicationRole::Next next = server->WaitForNext(&why);
    if (stopping() || next == ReplicationRole::Next::kStop) {
      server->Wait();
      return absl::OkStatus();
    }
    JsonLog& log = *options_.log;
    const std::string store_id = server->database().replication_state().store_id();
    switch (next) {
      case ReplicationRole::Next::kFatal:
        log.Write(LogLevel::kError, absl::StrCat("cannot follow ", options_.replica_of, ": ",
                                                 why.message()));
        server->Shutdown(absl::Seconds(2));
        return why;
      case ReplicationRole::Next::kResync: {
        log.Write(LogLevel::kWarning,
                  absl::StrCat(why.message(), ": fetching a snapshot again; reads pause"));
        server->Shutdown(absl::Seconds(2));
        absl::Status prepared = PrepareReplicaStore(store_id, /*always_fetch=*/true);
        if (stopping()) return absl::OkStatus();
        RETURN_IF_ERROR(prepared);
        break;
      }
      case ReplicationRole::Next::kPromote:
      case ReplicationRole::Next::kStop:
        break;
    }
    std::string former_primary;
    if (next == ReplicationRole::Next::kPromote) {
      server->Shutdown(kPromotionDrain);
      former_primary = options_.replica_of;
      options_.replica_of.clear();
      options_.begin_epoch = true;
    }
    {
      MutexLock lock(&mu_);
      server_.reset();
    }
    server.reset();
    ASSIGN_OR_RETURN(running, StartServer(started));
    options_.begin_epoch = false;
    if (running && !former_primary.empty()) {
      const int64_t epoch = [&] {
        MutexLock lock(&mu_);
        return server_->database().replication_state().epoch();
      }();
      log.Write(LogLevel::kInfo,
                absl::StrCat("promoted: this server is the primary of epoch ", epoch,
                             " (it followed ", former_primary, ")"),
                {{"epoch", epoch}});
      TellPeerFenced(former_primary, options_.peer_credentials, store_id, epoch, log);
    }
  }
  return absl::OkStatus();
}

}  // namespace duban
