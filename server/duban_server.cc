#include "server/duban_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/directory_seed.h"
#include "server/domain/status_macros.h"

namespace duban {
namespace {

constexpr const char* kServiceNames[] = {"duban.v1.TicketService", "duban.v1.DirectoryService"};

absl::string_view HostOf(absl::string_view host_port) {
  if (absl::StartsWith(host_port, "[")) {
    size_t end = host_port.find(']');
    return end == absl::string_view::npos ? host_port : host_port.substr(1, end - 1);
  }
  size_t colon = host_port.rfind(':');
  return colon == absl::string_view::npos ? host_port : host_port.substr(0, colon);
}

// The threading model: the synchronous API, with handler threads bounded by
// a resource quota. Handlers block on synced RocksDB writes, which RocksDB
// groups into shared fsyncs across threads.
void ConfigureThreading(grpc::ServerBuilder& builder, int max_threads) {
  grpc::ResourceQuota quota("duban");
  quota.SetMaxThreads(max_threads);
  builder.SetResourceQuota(quota);
}

}  // namespace

bool IsLoopbackAddress(absl::string_view host_port) {
  const absl::string_view host = HostOf(host_port);
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::StatusOr<std::unique_ptr<DubanServer>> DubanServer::Start(ServerOptions options) {
  if (options.dev && !IsLoopbackAddress(options.listen)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--dev serves well-known tokens and listens on loopback only; --listen is ",
                     options.listen));
  }
  std::unique_ptr<DubanServer> server(new DubanServer());
  server->options_ = options;

  absl::TimeZone zone;
  if (!absl::LoadTimeZone(options.time_zone, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone ", options.time_zone));
  }
  ASSIGN_OR_RETURN(server->database_, storage::Database::Open({.path = options.data_dir}));
  ASSIGN_OR_RETURN(server->tickets_, storage::TicketStore::Open(server->database_.get()));
  ASSIGN_OR_RETURN(server->directory_, storage::DirectoryStore::Open(server->database_.get()));
  const absl::Time now = options.now();
  if (options.dev) RETURN_IF_ERROR(SeedDemoCounty(*server->directory_, now));
  if (!options.principals_file.empty()) {
    RETURN_IF_ERROR(LoadPrincipalsFile(options.principals_file, *server->directory_, now));
  }

  server->calendar_ = std::make_unique<WorkCalendar>(zone);
  server->authenticator_ = std::make_unique<Authenticator>(server->directory_.get());
  Backend& backend = server->backend_;
  backend.tickets = server->tickets_.get();
  backend.directory = server->directory_.get();
  backend.calendar = server->calendar_.get();
  backend.now = options.now;
  backend.authenticator = server->authenticator_.get();
  server->ticket_service_ = std::make_unique<TicketServiceImpl>(&backend);
  server->directory_service_ = std::make_unique<DirectoryServiceImpl>(&backend);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(server->ticket_service_.get());
  builder.RegisterService(server->directory_service_.get());
  ConfigureThreading(builder, options.max_threads);
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  server->address_ = absl::StrCat(HostOf(options.listen), ":", server->port_);
  if (absl::StrContains(HostOf(options.listen), ':')) {
    server->address_ = absl::StrCat("[", HostOf(options.listen), "]:", server->port_);
  }
  grpc::HealthCheckServiceInterface* health = server->server_->GetHealthCheckService();
  for (const char* service : kServiceNames) health->SetServingStatus(service, true);
  health->SetServingStatus("", true);
  return server;
}

void DubanServer::Shutdown(absl::Duration drain) {
  std::unique_lock lock(shutdown_mutex_);
  if (shut_down_) return;
  if (server_) {
    server_->GetHealthCheckService()->Shutdown();
    server_->Shutdown(absl::ToChronoTime(absl::Now() + drain));
    server_->Wait();
  }
  server_.reset();
  ticket_service_.reset();
  directory_service_.reset();
  tickets_.reset();
  directory_.reset();
  database_.reset();
  shut_down_ = true;
  shut_down_cv_.notify_all();
}

void DubanServer::Wait() {
  std::unique_lock lock(shutdown_mutex_);
  shut_down_cv_.wait(lock, [this] { return shut_down_; });
}

DubanServer::~DubanServer() { Shutdown(absl::Seconds(5)); }

}  // namespace duban
