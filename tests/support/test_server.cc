#include "tests/support/test_server.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace duban::testing {

absl::TimeZone TestClock::Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

absl::Time TestClock::Now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

void TestClock::Advance(absl::Duration duration) {
  std::lock_guard lock(mutex_);
  now_ += duration;
}

void TestClock::Set(absl::Time time) {
  std::lock_guard lock(mutex_);
  now_ = time;
}

TestServer::TestServer(bool scheduler) : TestServer(nullptr, scheduler) {}

TestServer::TestServer(std::function<void(ServerOptions&)> configure, bool scheduler)
    : data_dir_(scratch_.path() + "/data"), scheduler_(scheduler), configure_(std::move(configure)) {
  Start();
}

void TestServer::Advance(absl::Duration duration) {
  clock_.Advance(duration);
  server_->WakeScheduler();
}

TestServer::~TestServer() { Stop(); }

void TestServer::Start() {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = data_dir_;
  options.dev = true;
  options.now = [this] { return clock_.Now(); };
  options.escalation_scheduler = scheduler_;
  if (configure_) configure_(options);
  absl::StatusOr<std::unique_ptr<DubanServer>> started = DubanServer::Start(options);
  if (!started.ok()) {
    ADD_FAILURE() << "server did not start: " << started.status();
    throw std::runtime_error("server did not start");
  }
  server_ = *std::move(started);
  channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
}

void TestServer::Stop() {
  channel_.reset();
  if (server_) server_->Shutdown(absl::Seconds(5));
  server_.reset();
}

void TestServer::Restart() {
  Stop();
  Start();
}

std::unique_ptr<v1::TicketService::Stub> TestServer::Tickets() const {
  return v1::TicketService::NewStub(channel_);
}

std::unique_ptr<v1::DirectoryService::Stub> TestServer::Directory() const {
  return v1::DirectoryService::NewStub(channel_);
}

void Authorize(grpc::ClientContext& context, const std::string& token) {
  context.AddMetadata("authorization", "Bearer " + token);
}

namespace {

google::rpc::Status Details(const grpc::Status& status) {
  google::rpc::Status details;
  details.ParseFromString(status.error_details());
  return details;
}

}  // namespace

std::string ErrorReason(const grpc::Status& status) {
  const google::rpc::Status details = Details(status);
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

std::vector<std::string> BadFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  const google::rpc::Status details = Details(status);
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

}  // namespace duban::testing
