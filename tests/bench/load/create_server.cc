#include "tests/bench/load/create_server.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "duban/v1/ticket_service.grpc.pb.h"
#include "server/edge/prepared_create.h"
#include "server/edge/rpc_status.h"
#include "server/edge/unary_call.h"
#include "server/runtime/duban_server.h"
#include "server/services/ticket_service.h"

namespace duban::load {
namespace {

// CreateTicket on the synchronous API, each handler's thread making its
// own synced write; RocksDB's write group commits concurrent ones together.
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
                        return std::move(
                            backend_.tickets->CreateEach({*std::move(create)}, backend_.Now())[0]);
                      });
  }

 private:
  const Backend& backend_;
};

// CreateTicket on the callback API: checked on gRPC's thread, queued for
// the committer, answered from the commit thread; no thread waits.
class CallbackCreateService final : public v1::TicketService::CallbackService {
 public:
  CallbackCreateService(const Backend* backend, CreateCommitter* committer)
      : backend_(*backend), committer_(*committer) {}

  grpc::ServerUnaryReactor* CreateTicket(grpc::CallbackServerContext* context,
                                         const v1::CreateTicketRequest* request,
                                         v1::Ticket* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    absl::StatusOr<Caller> caller = AdmitCall(*context, backend_, kCreateTicketMethod);
    absl::StatusOr<storage::TicketStore::PendingCreate> create =
        caller.ok() ? PrepareCreate(backend_, *caller, *request)
                    : absl::StatusOr<storage::TicketStore::PendingCreate>(caller.status());
    if (!create.ok()) {
      reactor->Finish(ToGrpcStatus(create.status()));
      return reactor;
    }
    committer_.Submit({.create = *std::move(create),
                       .answer = [reactor, response](absl::StatusOr<v1::Ticket> ticket) {
                         if (!ticket.ok()) {
                           reactor->Finish(ToGrpcStatus(ticket.status()));
                           return;
                         }
                         *response = *std::move(ticket);
                         reactor->Finish(grpc::Status::OK);
                       }});
    return reactor;
  }

 private:
  const Backend& backend_;
  CreateCommitter& committer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<CreateServer>> CreateServer::Start(const std::string& path,
                                                                   CreateThreading threading,
                                                                   int max_threads) {
  std::unique_ptr<CreateServer> server(new CreateServer());
  absl::StatusOr<std::unique_ptr<CountyStore>> county = CountyStore::Open(path);
  if (!county.ok()) return county.status();
  server->county_ = *std::move(county);
  const Backend* backend = &server->county_->backend();
  if (threading != CreateThreading::kSyncEachWrites) {
    server->committer_ = std::make_unique<CreateCommitter>(
        backend->tickets, [backend] { return backend->Now(); });
  }
  grpc::ServerBuilder builder;
  switch (threading) {
    case CreateThreading::kSyncEachWrites:
      server->service_ = std::make_unique<SyncCreateService>(backend);
      ConfigureThreading(builder, max_threads);
      break;
    case CreateThreading::kSyncCommitThread:
      server->service_ = std::make_unique<TicketServiceImpl>(backend, server->committer_.get());
      ConfigureThreading(builder, max_threads);
      break;
    case CreateThreading::kCallbackCommitThread:
      server->service_ =
          std::make_unique<CallbackCreateService>(backend, server->committer_.get());
      break;
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
  server_.reset();
  committer_.reset();
  service_.reset();
  county_.reset();
}

}  // namespace duban::load
