#include "tests/bench/load/empty_unary_server.h"

#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "duban/v1/calendar_service.grpc.pb.h"
#include "server/runtime/duban_server.h"

namespace duban::load {
namespace {

// GetCalendar answered with an empty Calendar: no work at all.
class EmptyCalendarService final : public v1::CalendarService::Service {
  grpc::Status GetCalendar(grpc::ServerContext*, const v1::GetCalendarRequest*,
                           v1::Calendar*) override {
    return grpc::Status::OK;
  }
};

// The same on the callback API: the reply is finished in the callback.
class EmptyCalendarCallbackService final : public v1::CalendarService::CallbackService {
  grpc::ServerUnaryReactor* GetCalendar(grpc::CallbackServerContext* context,
                                        const v1::GetCalendarRequest*, v1::Calendar*) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<EmptyUnaryServer>> EmptyUnaryServer::Start(int max_threads,
                                                                           ServerApi api) {
  std::unique_ptr<EmptyUnaryServer> server(new EmptyUnaryServer());
  grpc::EnableDefaultHealthCheckService(true);
  if (api == ServerApi::kSync) {
    server->service_ = std::make_unique<EmptyCalendarService>();
  } else {
    server->service_ = std::make_unique<EmptyCalendarCallbackService>();
  }
  grpc::ServerBuilder builder;
  builder.RegisterService(server->service_.get());
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  // Threads as duband's: the baseline differs from it only in its handler.
  if (api == ServerApi::kSync) ConfigureThreading(builder, max_threads);
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || port == 0) return absl::UnavailableError("cannot listen on 127.0.0.1:0");
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  server->address_ = absl::StrCat("127.0.0.1:", port);
  return server;
}

EmptyUnaryServer::~EmptyUnaryServer() {
  if (server_) server_->Shutdown(std::chrono::system_clock::now());
}

}  // namespace duban::load
