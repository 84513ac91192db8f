// The session every command runs in: the channel and its credentials,
// call contexts, and how failures and usage errors are reported (session.h).
#include "client/session.h"

#include <ostream>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace duban::cli {

std::string CodeName(grpc::StatusCode code) {
  // gRPC's codes are the canonical codes absl::StatusCode numbers alike.
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? "UNKNOWN" : name;
}

Session::Session(SessionOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)), out_(out), err_(err) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!options_.tls_ca.empty() || !options_.tls_cert.empty()) {
    credentials = grpc::SslCredentials({.pem_root_certs = options_.tls_ca,
                                        .pem_private_key = options_.tls_key,
                                        .pem_cert_chain = options_.tls_cert});
  }
  channel_ = grpc::CreateChannel(options_.server, credentials);
  tickets_ = v1::TicketService::NewStub(channel_);
  directory_ = v1::DirectoryService::NewStub(channel_);
  calendars_ = v1::CalendarService::NewStub(channel_);
  escalations_ = v1::EscalationService::NewStub(channel_);
  accountability_ = v1::AccountabilityService::NewStub(channel_);
  events_ = v1::EventService::NewStub(channel_);
  performance_ = v1::PerformanceService::NewStub(channel_);
  draws_ = v1::DrawService::NewStub(channel_);
  reports_ = v1::ReportService::NewStub(channel_);
  audit_ = v1::AuditService::NewStub(channel_);
  admin_ = v1::AdminService::NewStub(channel_);
  replication_ = v1::ReplicationService::NewStub(channel_);
  auth_ = v1::AuthService::NewStub(channel_);
}

std::unique_ptr<grpc::ClientContext> Session::NewStreamContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!options_.token.empty()) context->AddMetadata("authorization", "Bearer " + options_.token);
  return context;
}

std::unique_ptr<grpc::ClientContext> Session::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!options_.token.empty()) context->AddMetadata("authorization", "Bearer " + options_.token);
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  return context;
}

int Session::Fail(const grpc::Status& status) {
  err_ << CodeName(status.error_code()) << ": " << status.error_message() << "\n";
  google::rpc::Status details;
  if (details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      google::rpc::ErrorInfo info;
      google::rpc::BadRequest bad_request;
      if (any.UnpackTo(&info)) {
        err_ << "  reason: " << info.reason() << "\n";
      } else if (any.UnpackTo(&bad_request)) {
        for (const auto& violation : bad_request.field_violations()) {
          err_ << "  field " << violation.field() << ": " << violation.description() << "\n";
        }
      }
    }
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    err_ << "  (is duband running at " << options_.server << "? see --server or DUBAN_SERVER)\n";
  }
  return kExitRpcError;
}

int Session::Usage(const absl::Status& status) {
  err_ << "usage error: " << status.message() << "\n";
  return kExitUsage;
}

}  // namespace duban::cli
