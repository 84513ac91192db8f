#include "tests/bench/load/create_server.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "duban/v1/ticket_service.grpc.pb.h"
#include "server/duban_server.h"
#include "server/ticket_creation.h"
#include "server/ticket_service.h"
#include "server/unary_call.h"

namespace duban::load {
namespace {

// CreateTicket on the synchronous API, as duband served it before: the
// handler's thread makes the synced write, and RocksDB's write group
// commits concurrent ones together.
class SyncCreateService final : public v1::TicketService::Service {
 public:
  explicit SyncCreateService(const Backend* backend) : backend_(*backend) {}

  grpc::Status CreateTicket(grpc::ServerContext* context, const v1::CreateTicketRequest* request,
                            v1::Ticket* response) override {
    return ServeUnary(*context, backend_, kCreateTicketMethod, response,
                      [&](const Caller& caller) -> absl::StatusOr<v1::Ticket> {
                        absl::StatusOr<storage::TicketStore::PendingCreate> create =
                            PrepareCreate(backend_, caller, *request);
                        if (!create.ok()) return create.status();
                        return backend_.tickets->Create(create->request, backend_.Now(),
                                                        create->build);
                      });
  }

 private:
  const Backend& backend_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<CreateServer>> CreateServer::Start(const std::string& path,
                                                                   ServerApi api, int max_threads,
                                                                   int commit_threads) {
  std::unique_ptr<CreateServer> server(new CreateServer());
  absl::StatusOr<std::unique_ptr<CountyStore>> county = CountyStore::Open(path);
  if (!county.ok()) return county.status();
  server->county_ = *std::move(county);
  const Backend* backend = &server->county_->backend();
  grpc::ServerBuilder builder;
  if (api == ServerApi::kSync) {
    server->service_ = std::make_unique<SyncCreateService>(backend);
    ConfigureThreading(builder, max_threads);
  } else {
    server->committer_ = std::make_unique<CreateCommitter>(
        backend->tickets, [backend] { return backend->Now(); }, commit_threads);
    server->service_ = std::make_unique<TicketServiceImpl>(backend, server->committer_.get());
  }
  builder.RegisterService(server->service_.get());
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || port == 0) return absl::UnavailableError("cannot listen on 127.0.0.1:0");
  server->address_ = absl::StrCat("127.0.0.1:", port);
  return server;
}

CreateServer::~CreateServer() {
  // Calls in flight are answered (the committer drains its queue) before
  // the store closes.
  if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  committer_.reset();
  server_.reset();
  service_.reset();
  county_.reset();
}

}  // namespace duban::load
