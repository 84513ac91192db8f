#include "server/runtime/duban_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/text_file.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/directory_seed.h"
#include "server/runtime/training_clock.h"
#include "server/services/accountability_service.h"
#include "server/services/admin_service.h"
#include "server/services/audit_service.h"
#include "server/services/auth_service.h"
#include "server/services/calendar_service.h"
#include "server/services/directory_service.h"
#include "server/services/draw_service.h"
#include "server/services/escalation_service.h"
#include "server/services/event_service.h"
#include "server/services/performance_service.h"
#include "server/services/replication_service.h"
#include "server/services/report_service.h"
#include "server/services/ticket_service.h"
#include "server/replication/peer_fencing.h"
#include "server/replication/replication_metrics.h"
#include "server/runtime/memory_metrics.h"
#include "storage/backup.h"
#include "storage/snapshot.h"

namespace duban {
namespace {

// `typed`, served so that a request that does not parse is refused naming
// the field.
template <class Typed>
std::unique_ptr<grpc::Service> Served(std::unique_ptr<Typed> typed) {
  return std::make_unique<ParseCheckedService>(std::move(typed));
}

constexpr const char* kServiceNames[] = {
    "duban.v1.TicketService",      "duban.v1.DirectoryService",      "duban.v1.CalendarService",
    "duban.v1.EscalationService",  "duban.v1.AccountabilityService", "duban.v1.EventService",
    "duban.v1.PerformanceService", "duban.v1.DrawService",           "duban.v1.ReportService",
    "duban.v1.AuditService",       "duban.v1.AdminService",          "duban.v1.AuthService",
    "duban.v1.ReplicationService"};

// What one client may ask: message size, streams per connection, and how
// often it may ping (a client pinging more than once in 10 s without data
// is sent GOAWAY after two strikes). The server pings idle connections
// every minute and drops those that do not answer in 20 s.
void ConfigureLimits(grpc::ServerBuilder& builder, const ServerOptions& options) {
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(4 * options.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  // No SO_REUSEPORT: with it, a listener on port 0 may be given a port
  // another process already serves, and clients reach either at random.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
}

// Reports every duban service, and the server as a whole (""), as serving.
void ReportServing(grpc::Server& server) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  for (const char* service : kServiceNames) health->SetServingStatus(service, true);
  health->SetServingStatus("", true);
}

// A plaintext server on `listen` with nothing but the health service: what
// Kubernetes' gRPC probes, which speak no TLS, can ask.
absl::StatusOr<std::unique_ptr<grpc::Server>> StartHealthServer(const std::string& listen,
                                                                int* port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), port);
  builder.SetMaxReceiveMessageSize(4096);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || *port == 0) {
    return absl::UnavailableError(absl::StrCat("--health_listen: cannot listen on ", listen));
  }
  ReportServing(*server);
  return server;
}

absl::StatusOr<std::unique_ptr<CheckpointSigner>> LoadSigner(const std::string& path) {
  if (path.empty()) return nullptr;
  absl::StatusOr<std::string> pem = ReadTextFile(path);
  if (!pem.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--audit_key: ", pem.status().message()));
  }
  absl::StatusOr<std::unique_ptr<CheckpointSigner>> signer = CheckpointSigner::FromPem(*pem);
  if (!signer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--audit_key ", path, ": ", signer.status().message()));
  }
  return signer;
}

}  // namespace

// The threading model: the synchronous API, with handler threads bounded by
// a resource quota. Handlers block on synced RocksDB writes, which RocksDB
// groups into shared fsyncs across threads.
//
// gRPC's default lets at most 2 idle threads keep polling: under load every
// thread that finishes a call beyond those exits and a new one is created
// for the next call. Creating, mapping and unmapping those threads took
// more of duband's CPU than its own code did (perf under CreateTicket load:
// about 13 % against under 4 %); keeping them doubled CreateTicket in
// `duban-load compare` (docs/performance.md). Letting every thread of the
// quota poll keeps them alive instead: the server holds on to as many
// threads as its busiest moment needed (at most max_threads), idle but for
// their stacks. The quota is unchanged: a call that finds no free thread is
// still refused.
void ConfigureThreading(grpc::ServerBuilder& builder, int max_threads) {
  grpc::ResourceQuota quota("duban");
  quota.SetMaxThreads(max_threads);
  builder.SetResourceQuota(quota);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, max_threads);
}

absl::StatusOr<std::unique_ptr<DubanServer>> DubanServer::Start(ServerOptions options) {
  for (const std::string* address : {&options.listen, &options.http_listen}) {
    if (options.dev && !address->empty() && !IsLoopbackAddress(*address)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--dev serves well-known tokens and listens on loopback only; ",
          address == &options.listen ? "--listen" : "--http_listen", " is ", *address));
    }
  }
  if (options.time_scale != 1 &&
      (!options.dev || options.time_scale < 1 || options.time_scale > 1e7)) {
    return absl::InvalidArgumentError(
        "--time_scale is for --dev training counties only, between 1 and 10000000");
  }
  const bool replica = !options.replica_of.empty();
  if (replica && options.time_scale != 1) {
    return absl::InvalidArgumentError("--time_scale is for a training county, not a replica");
  }
  if (replica && !options.principals_file.empty()) {
    return absl::InvalidArgumentError(
        "--principals is for the primary: a replica copies its principals");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   ServerCredentialsFor(options.tls, options.listen, options.insecure));
  std::unique_ptr<DubanServer> server(new DubanServer());
  server->options_ = options;
  ASSIGN_OR_RETURN(server->signer_, LoadSigner(options.audit_key_file));

  absl::TimeZone zone;
  if (!absl::LoadTimeZone(options.time_zone, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone ", options.time_zone));
  }
  if (!options.log) options.log = std::make_shared<JsonLog>(stderr, LogLevel::kWarning);
  if (!options.restore_from.empty()) {
    ASSIGN_OR_RETURN(storage::Restored restored,
                     storage::RestoreLatestBackup(options.restore_from, options.data_dir));
    options.log->Write(
        LogLevel::kInfo,
        restored.earlier
            ? absl::StrCat(options.data_dir, " was restored from ", options.restore_from,
                           " before: serving it as it is (remove --restore_from)")
            : absl::StrCat("restored ", options.data_dir, " from backup ", restored.backup_id,
                           " in ", options.restore_from));
  }
  ASSIGN_OR_RETURN(server->database_,
                   storage::Database::Open(
                       {.path = options.data_dir,
                        .memory = options.memory,
                        .env = options.env,
                        .request_retention = storage::kRequestRetention * options.time_scale,
                        .replica = replica,
                        .primary = options.replica_of,
                        .begin_epoch = options.begin_epoch,
                        .wal_ttl_seconds = options.wal_ttl_seconds,
                        .wal_size_limit_mb = options.wal_size_limit_mb}));
  ASSIGN_OR_RETURN(server->tickets_, storage::TicketStore::Open(server->database_.get()));
  ASSIGN_OR_RETURN(server->settings_,
                   storage::SettingsStore::Open(server->database_.get(), zone, options.now()));
  // Before a training county's clock replaces it.
  const std::function<absl::Time()> wall_now = options.now;
  if (options.time_scale != 1) {
    ASSIGN_OR_RETURN(absl::Time resumed,
                     ResumeTrainingClock(*server->settings_, *server->tickets_, options.now(),
                                         options.time_scale));
    options.now = ScaledClock(resumed, options.time_scale, options.now);
    RETURN_IF_ERROR(server->settings_->SaveTrainingClock(resumed));
    server->training_clock_ = std::make_unique<TrainingClockKeeper>(
        server->settings_.get(), options.now, options.log.get());
    server->training_clock_->Start();
  }
  server->options_ = options;
  WarnIfClockBehind(*server->tickets_, options.now(), *options.log);
  ASSIGN_OR_RETURN(server->directory_, storage::DirectoryStore::Open(server->database_.get()));
  const absl::Time now = options.now();
  // A replica has the primary's directory.
  if (options.dev && !replica) RETURN_IF_ERROR(SeedDemoCounty(*server->directory_, now));
  if (!options.principals_file.empty()) {
    RETURN_IF_ERROR(LoadPrincipalsFile(options.principals_file, *server->directory_, now));
  }
  ASSIGN_OR_RETURN(server->ledger_, storage::LedgerStore::Open(server->database_.get()));
  ASSIGN_OR_RETURN(server->draws_, storage::DrawStore::Open(server->database_.get()));
  ASSIGN_OR_RETURN(server->auth_, storage::AuthStore::Open(server->database_.get()));
  server->authenticator_ = std::make_unique<Authenticator>(
      server->directory_.get(), server->auth_.get(), [&backend = server->backend_] {
        return backend.WallNow();
      });
  server->registry_ = std::make_shared<prometheus::Registry>();
  server->metrics_ = std::make_unique<ServerMetrics>(*server->registry_);
  server->observer_ = std::make_unique<CallObserver>(server->metrics_.get(), options.log.get());
  server->authenticator_->set_principal_listener(
      [observer = server->observer_.get()](const grpc::ServerContextBase& call,
                                           const std::string& principal) {
        observer->NotePrincipal(call, principal);
      });
  Backend& backend = server->backend_;
  backend.database = server->database_.get();
  backend.signer = server->signer_.get();
  backend.tickets = server->tickets_.get();
  backend.directory = server->directory_.get();
  backend.settings = server->settings_.get();
  backend.ledger = server->ledger_.get();
  backend.draws = server->draws_.get();
  backend.auth = server->auth_.get();
  backend.now = options.now;
  backend.wall_now = wall_now;
  backend.time_scale = options.time_scale;
  backend.authenticator = server->authenticator_.get();
  backend.metrics = server->metrics_.get();
  server->health_ = std::make_unique<ServerHealth>(now);
  backend.health = server->health_.get();
  server->replication_ = std::make_unique<ReplicationRole>(
      server->database_.get(),
      ReplicationRole::Options{.primary = options.replica_of,
                               .credentials = options.peer_credentials,
                               .sync = {.sync_replicas = options.sync_replicas,
                                        .sync_timeout = options.sync_timeout},
                               .data_dir = options.data_dir,
                               .snapshots = options.snapshots_fetched},
      server->health_.get(), options.log.get());
  backend.replication = server->replication_.get();
  if (!replica) {
    storage::StoreSnapshot::RemoveLeftOver(options.data_dir);
    const PeerEpoch newer = NewestPeerEpoch(options.fence_with, options.peer_credentials,
                                            server->database_->replication_state(), *options.log);
    if (newer.epoch != 0) RETURN_IF_ERROR(server->replication_->FenceFor(newer.epoch, newer.peer));
    if (options.sync_replicas > 0) {
      server->database_->set_commit_waiter(
          [links = &server->replication_->links()](uint64_t sequence) {
            links->WaitForReplicas(sequence);
          });
    }
  }
  // The first write the disk fails stops all writes (storage/write_guard.h):
  // the county keeps serving reads, and the health check and the log say why.
  server->database_->write_guard().set_failure_listener(
      [health = server->health_.get(), log = options.log, &backend](const absl::Status& cause) {
        const absl::Status refused = backend.database->write_guard().failure();
        health->Set(ServerHealth::kWrites, false, std::string(refused.message()), backend.Now());
        log->Write(LogLevel::kError, std::string(refused.message()),
                   {{"cause", std::string(cause.message())}});
      });
  server->calendar_watch_ =
      std::make_unique<CalendarWatch>(&backend, server->health_.get(), options.log.get());
  server->settings_->set_calendar_listener(
      [watch = server->calendar_watch_.get()] { watch->Refresh(); });
  server->sweeper_ = std::make_unique<EscalationSweeper>(&backend);
  // One commit thread: two made smaller groups and fewer creates a second
  // (docs/performance.md).
  server->creates_ = std::make_unique<CreateCommitter>(
      server->tickets_.get(), [&backend] { return backend.Now(); });
  server->services_.push_back(
      Served(std::make_unique<TicketServiceImpl>(&backend, server->creates_.get())));
  server->services_.push_back(Served(std::make_unique<DirectoryServiceImpl>(&backend)));
  server->services_.push_back(Served(std::make_unique<CalendarServiceImpl>(&backend)));
  server->services_.push_back(
      Served(std::make_unique<EscalationServiceImpl>(&backend, server->sweeper_.get())));
  server->services_.push_back(Served(std::make_unique<AccountabilityServiceImpl>(&backend)));
  server->services_.push_back(Served(std::make_unique<EventServiceImpl>(&backend)));
  server->services_.push_back(Served(std::make_unique<PerformanceServiceImpl>(&backend)));
  server->services_.push_back(Served(std::make_unique<DrawServiceImpl>(&backend)));
  server->services_.push_back(Served(std::make_unique<ReportServiceImpl>(&backend)));
  server->services_.push_back(Served(std::make_unique<AuditServiceImpl>(&backend)));
  server->services_.push_back(Served(std::make_unique<AdminServiceImpl>(&backend)));
  AuthOptions auth;
  auth.session_idle = options.session_idle;
  auth.session_lifetime = options.session_lifetime;
  auth.dev_passwords = options.dev;
  server->services_.push_back(Served(std::make_unique<AuthServiceImpl>(&backend, auth)));
  server->services_.push_back(Served(std::make_unique<ReplicationServiceImpl>(&backend)));
  // A replica's ladder fires on its primary and arrives here in its batches.
  if (options.escalation_scheduler && !replica) {
    server->scheduler_ = std::make_unique<EscalationScheduler>(&backend, server->sweeper_.get(),
                                                               options.log.get());
    EscalationScheduler* scheduler = server->scheduler_.get();
    server->tickets_->set_escalation_listener(
        [scheduler](absl::Time time) { scheduler->Nudge(time); });
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &server->port_);
  for (const std::unique_ptr<grpc::Service>& service : server->services_) {
    builder.RegisterService(service.get());
  }
  ConfigureThreading(builder, options.max_threads);
  ConfigureLimits(builder, options);
  builder.experimental().SetInterceptorCreators(server->observer_->InterceptorCreators());
  if (!options.metrics_listen.empty()) {
    server->store_metrics_ = std::make_shared<StoreMetrics>(&backend, absl::Seconds(30));
    server->replication_metrics_ =
        std::make_shared<ReplicationMetrics>(server->replication_.get());
    server->memory_metrics_ = std::make_shared<MemoryMetrics>(server->database_.get());
    ASSIGN_OR_RETURN(server->metrics_endpoint_,
                     MetricsEndpoint::Start(options.metrics_listen,
                                            {server->registry_, server->store_metrics_,
                                             server->replication_metrics_,
                                             server->memory_metrics_}));
  }
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  server->address_ = absl::StrCat(HostOf(options.listen), ":", server->port_);
  if (absl::StrContains(HostOf(options.listen), ':')) {
    server->address_ = absl::StrCat("[", HostOf(options.listen), "]:", server->port_);
  }
  ReportServing(*server->server_);
  server->health_->Attach(server->server_->GetHealthCheckService());
  if (!options.health_listen.empty()) {
    ASSIGN_OR_RETURN(server->health_server_,
                     StartHealthServer(options.health_listen, &server->health_port_));
    server->health_->Attach(server->health_server_->GetHealthCheckService());
  }
  if (!options.http_listen.empty()) {
    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(4 * options.max_message_bytes);
    arguments.SetMaxSendMessageSize(options.max_message_bytes);
    ASSIGN_OR_RETURN(
        server->gateway_,
        HttpGateway::Start({.listen = options.http_listen,
                            .tls = options.tls,
                            .insecure = options.insecure,
                            .services = {std::begin(kServiceNames), std::end(kServiceNames)},
                            .console_dir = options.console_dir,
                            .cors_origins = options.cors_origins,
                            .max_body_bytes = options.max_message_bytes,
                            .max_streams = options.max_http_streams,
                            .io_timeout = options.http_io_timeout,
                            .keep_alive = options.http_keep_alive},
                           server->server_->InProcessChannel(arguments)));
  }
  server->calendar_watch_->Start();
  if (server->scheduler_) server->scheduler_->Start();
  if (replica) {
    RETURN_IF_ERROR(server->replication_->StartFollowing(
        [directory = server->directory_.get(), settings = server->settings_.get(),
         log = options.log](const storage::AppliedBatch& applied) {
          // The caches that follow what the primary changed.
          absl::Status reloaded;
          if (applied.families & (1u << static_cast<int>(storage::Family::kDirectory))) {
            reloaded.Update(directory->Reload());
          }
          if (applied.families & (1u << static_cast<int>(storage::Family::kSettings))) {
            reloaded.Update(settings->Reload());
          }
          if (!reloaded.ok()) {
            log->Write(LogLevel::kError,
                       absl::StrCat("reload after a replicated batch: ", reloaded.message()));
          }
        }));
  }
  return server;
}

void DubanServer::Shutdown(absl::Duration drain) {
  MutexLock lock(&shutdown_mutex_);
  if (shut_down_) return;
  // No scrape may read the store once it starts closing.
  metrics_endpoint_.reset();
  if (calendar_watch_) calendar_watch_->Stop();
  if (health_) health_->DetachAll();
  if (server_) server_->GetHealthCheckService()->Shutdown();
  if (health_server_) {
    health_server_->GetHealthCheckService()->Shutdown();
    health_server_->Shutdown(absl::ToChronoTime(absl::Now()));
    health_server_->Wait();
    health_server_.reset();
  }
  if (scheduler_) scheduler_->Stop();
  // Replicas' streams end and writes waiting for them are answered; a
  // replica stops following.
  if (replication_) replication_->Close();
  // A training county resumes from here next time (training_clock.h).
  if (training_clock_) training_clock_->Stop();
  // Event streams end when the log closes; unary calls drain.
  if (tickets_) tickets_->log().Close();
  // Its streams have ended with the log; its unary calls finish on the
  // gRPC server, which is still up.
  if (gateway_) gateway_->Stop();
  gateway_.reset();
  if (server_) {
    server_->Shutdown(absl::ToChronoTime(absl::Now() + drain));
    server_->Wait();
  }
  server_.reset();
  services_.clear();
  // Every create it took has been answered: the calls have drained.
  creates_.reset();
  scheduler_.reset();
  calendar_watch_.reset();
  training_clock_.reset();
  sweeper_.reset();
  tickets_.reset();
  settings_.reset();
  ledger_.reset();
  draws_.reset();
  auth_.reset();
  directory_.reset();
  if (database_) database_->set_commit_waiter(nullptr);
  replication_.reset();
  database_.reset();
  shut_down_ = true;
  shut_down_cv_.SignalAll();
}

void DubanServer::WakeScheduler() {
  if (scheduler_) scheduler_->Wake();
}

void DubanServer::Wait() {
  MutexLock lock(&shutdown_mutex_);
  while (!shut_down_) shut_down_cv_.Wait(&shutdown_mutex_);
}

DubanServer::~DubanServer() { Shutdown(absl::Seconds(5)); }

}  // namespace duban
