// DubanServer: a running duband — the store opened, the services built, the
// gRPC server listening. The server's threading model is chosen here and
// nowhere else.
//
//   ServerOptions options;
//   options.listen = "127.0.0.1:0";
//   options.data_dir = dir;
//   ASSIGN_OR_RETURN(std::unique_ptr<DubanServer> server, DubanServer::Start(options));
//   ... connect to server->address() ...
//   server->Shutdown(absl::Seconds(5));
//
// Start and Shutdown may be called from any thread; Shutdown is idempotent
// and the destructor calls it.
#ifndef DUBAN_SERVER_RUNTIME_DUBAN_SERVER_H_
#define DUBAN_SERVER_RUNTIME_DUBAN_SERVER_H_

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/mutex.h"
#include "server/edge/authenticator.h"
#include "server/edge/call_observer.h"
#include "server/edge/http_gateway.h"
#include "server/edge/transport_security.h"
#include "server/replication/peer_channel.h"
#include "server/replication/replication_role.h"
#include "server/runtime/backend.h"
#include "server/runtime/calendar_watch.h"
#include "server/runtime/create_committer.h"
#include "server/runtime/escalation_scheduler.h"
#include "server/runtime/escalation_sweeper.h"
#include "server/runtime/json_log.h"
#include "server/runtime/metrics_endpoint.h"
#include "server/runtime/server_health.h"
#include "server/runtime/server_metrics.h"
#include "server/runtime/store_metrics.h"
#include "server/runtime/training_clock.h"
#include "storage/database.h"
#include "storage/directory_store.h"
#include "storage/settings_store.h"
#include "storage/ticket_store.h"

namespace duban {

struct ServerOptions {
  // host:port; port 0 picks a free one (see DubanServer::address()).
  std::string listen = "127.0.0.1:7420";
  std::string data_dir = "./var/duban";
  // Principals to create or update at start-up ("" for none).
  std::string principals_file;
  // Seed the demo county on an empty store. Refused unless `listen` is a
  // loopback address.
  bool dev = false;
  // Time zone of the working-day calendar.
  std::string time_zone = "Asia/Shanghai";
  // The clock; tests replace it.
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // With `dev` only: simulated time runs this many times faster than real
  // time from start-up (86400: a day a second), so a training county can
  // watch a ladder of working days unfold in seconds.
  double time_scale = 1;
  // Upper bound on threads serving calls.
  int max_threads = 128;
  // Run the built-in escalation scheduler. Off for deployments that drive
  // sweeps from cron (`duban escalate`).
  bool escalation_scheduler = true;
  // TLS and mutual TLS; without a certificate the server speaks plaintext,
  // on a loopback address only unless `insecure`.
  TlsFiles tls;
  bool insecure = false;
  // Ed25519 private key (PEM file) that signs audit checkpoints; "" for none.
  std::string audit_key_file;
  // Before opening: restore the latest backup in this directory into
  // data_dir, which must be empty or missing. "" to open data_dir as it is.
  std::string restore_from;
  // Limits on what one client may ask of the server.
  int max_message_bytes = 1 << 20;
  int max_concurrent_streams = 100;
  // host:port of the Prometheus endpoint (GET /metrics); "" for none.
  std::string metrics_listen;
  // host:port of a plaintext gRPC port serving only grpc.health.v1.Health
  // (for probes that cannot speak TLS), with the main port's status; "" for
  // none.
  std::string health_listen;
  // Where calls and events are logged; null for a log on stderr of
  // warnings and errors only.
  std::shared_ptr<JsonLog> log;
  // host:port of the HTTP gateway (Connect protocol, and the console's
  // files; server/edge/http_gateway.h); "" for none. TLS as for gRPC.
  std::string http_listen;
  // The web console's built files, served by the gateway; "" for none.
  std::string console_dir;
  // Origins whose pages may call the gateway from elsewhere (CORS).
  std::vector<std::string> cors_origins;
  // At most this many streams open on the gateway at once.
  int max_http_streams = 32;
  // A gateway client that sends or reads nothing for this long is dropped;
  // an idle keep-alive connection is closed after `http_keep_alive`.
  absl::Duration http_io_timeout = absl::Seconds(10);
  absl::Duration http_keep_alive = absl::Seconds(5);
  // A login session ends after this long unused, or this long after the
  // login, whichever comes first.
  absl::Duration session_idle = absl::Hours(2);
  absl::Duration session_lifetime = absl::Hours(12);
  // The environment the store runs on; null for the real file system
  // (tests pass one that fails like a broken disk). Not owned.
  rocksdb::Env* env = nullptr;

  // Replication (docs/replication.md).
  // Follow this primary (host:port) as a replica; "" for a primary.
  std::string replica_of;
  // How this server calls its primary and its peers.
  PeerCredentials peer_credentials;
  // A primary's answers wait until this many replicas have the write, for
  // at most sync_timeout (replica_links.h). On a replica, from its
  // promotion on; so is fence_with.
  int sync_replicas = 0;
  absl::Duration sync_timeout = absl::Seconds(2);
  // How the store's memory is bounded (duband --memory_budget).
  storage::MemoryPlan memory{};
  // Write-ahead log kept for replicas that fell behind.
  uint64_t wal_ttl_seconds = 0;
  uint64_t wal_size_limit_mb = 0;
  // Peers a primary asks at start-up whether a newer epoch began there.
  std::vector<std::string> fence_with;
  // Begin the next epoch at start-up: a replica being promoted.
  bool begin_epoch = false;
  // Snapshots this process fetched before this start (ServerSupervisor),
  // for the status.
  int64_t snapshots_fetched = 0;
};

// Sets the server's threading model on `builder`: the synchronous API, at
// most `max_threads` threads serving calls (a call that finds none free is
// refused RESOURCE_EXHAUSTED), each of which keeps polling once created.
// DubanServer builds with it; so does any server measured against duband.
void ConfigureThreading(grpc::ServerBuilder& builder, int max_threads);

class DubanServer {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<DubanServer>> Start(ServerOptions options);

  DubanServer(const DubanServer&) = delete;
  DubanServer& operator=(const DubanServer&) = delete;
  ~DubanServer();

  // The address the server listens on, with the port it got.
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  // The port of the health-only server; 0 without --health_listen.
  int health_port() const { return health_port_; }
  // The port of the Prometheus endpoint; 0 without --metrics_listen.
  // The port of the HTTP gateway; 0 without --http_listen.
  int http_port() const { return gateway_ ? gateway_->port() : 0; }
  int metrics_port() const { return metrics_endpoint_ ? metrics_endpoint_->port() : 0; }
  // The store the server runs on, for checks that read it while the server
  // runs; valid until Shutdown.
  const storage::Database& database() const { return *database_; }
  // What the services stand on, for in-process callers that drive a call's
  // halves themselves (PrepareCreate, then a commit); valid until Shutdown.
  const Backend& backend() const { return backend_; }

  // Reports NOT_SERVING on the health service, stops accepting calls, lets
  // calls in flight finish for up to `drain`, cancels the rest and closes
  // the store.
  void Shutdown(absl::Duration drain);
  // Blocks until Shutdown has finished.
  void Wait();

  // Makes the escalation scheduler look at the clock now (tests move it).
  void WakeScheduler();

  // Blocks until the server must stop or change role (a replica that must
  // fetch a snapshot again, or that is being promoted); see
  // ReplicationRole::WaitForNext. ServerSupervisor acts on it.
  ReplicationRole::Next WaitForNext(absl::Status* why) { return replication_->WaitForNext(why); }
  const ServerOptions& options() const { return options_; }
  // What every call passes through for its log line and metrics.
  const CallObserver& observer() const { return *observer_; }

 private:
  DubanServer() = default;

  ServerOptions options_;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<storage::TicketStore> tickets_;
  std::unique_ptr<storage::DirectoryStore> directory_;
  std::unique_ptr<storage::SettingsStore> settings_;
  std::unique_ptr<storage::LedgerStore> ledger_;
  std::unique_ptr<storage::DrawStore> draws_;
  std::unique_ptr<storage::AuthStore> auth_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<CheckpointSigner> signer_;
  std::unique_ptr<ServerHealth> health_;
  std::unique_ptr<ReplicationRole> replication_;
  Backend backend_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<ServerMetrics> metrics_;
  std::shared_ptr<StoreMetrics> store_metrics_;
  std::shared_ptr<prometheus::Collectable> replication_metrics_;
  std::shared_ptr<prometheus::Collectable> memory_metrics_;
  std::unique_ptr<CallObserver> observer_;
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;
  std::unique_ptr<EscalationSweeper> sweeper_;
  std::unique_ptr<CreateCommitter> creates_;
  std::unique_ptr<EscalationScheduler> scheduler_;
  std::unique_ptr<CalendarWatch> calendar_watch_;
  // Saves a training county's clock (--time_scale); null otherwise.
  std::unique_ptr<TrainingClockKeeper> training_clock_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;
  std::unique_ptr<HttpGateway> gateway_;
  std::string address_;
  int port_ = 0;
  int health_port_ = 0;

  Mutex shutdown_mutex_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mutex_) = false;
  CondVar shut_down_cv_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_DUBAN_SERVER_H_
