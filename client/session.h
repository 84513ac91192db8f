// Session: what every command uses — the channel to the server with the
// caller's token, the output format, and the way errors are reported.
//
//   auto context = session.NewContext();
//   grpc::Status status = session.tickets().GetTicket(context.get(), request, &ticket);
//   if (!status.ok()) return session.Fail(status);
#ifndef DUBAN_CLIENT_SESSION_H_
#define DUBAN_CLIENT_SESSION_H_

#include <grpcpp/grpcpp.h>

#include <iosfwd>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/output.h"
#include "duban/v1/accountability_service.grpc.pb.h"
#include "duban/v1/admin_service.grpc.pb.h"
#include "duban/v1/replication_service.grpc.pb.h"
#include "duban/v1/audit_service.grpc.pb.h"
#include "duban/v1/auth_service.grpc.pb.h"
#include "duban/v1/calendar_service.grpc.pb.h"
#include "duban/v1/directory_service.grpc.pb.h"
#include "duban/v1/draw_service.grpc.pb.h"
#include "duban/v1/escalation_service.grpc.pb.h"
#include "duban/v1/event_service.grpc.pb.h"
#include "duban/v1/performance_service.grpc.pb.h"
#include "duban/v1/report_service.grpc.pb.h"
#include "duban/v1/ticket_service.grpc.pb.h"

namespace duban::cli {

// Exit codes of the CLI.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRpcError = 1;
inline constexpr int kExitUsage = 2;

struct SessionOptions {
  std::string server = "127.0.0.1:7420";
  std::string token;
  OutputFormat format = OutputFormat::kTable;
  // Times are shown and date-only input is read in this zone.
  absl::TimeZone zone;
  absl::Duration timeout = absl::Seconds(30);
  // TLS: the CA bundle that signed the server's certificate (PEM text); and
  // for mutual TLS the client's certificate chain and key. All empty: plaintext.
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
};

class Session {
 public:
  Session(SessionOptions options, std::ostream& out, std::ostream& err);

  // A context for one call: bearer token and deadline set.
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  // A context for a stream that may run for as long as the user wants.
  std::unique_ptr<grpc::ClientContext> NewStreamContext() const;
  v1::TicketService::Stub& tickets() { return *tickets_; }
  v1::DirectoryService::Stub& directory() { return *directory_; }
  v1::CalendarService::Stub& calendars() { return *calendars_; }
  v1::EscalationService::Stub& escalations() { return *escalations_; }
  v1::AccountabilityService::Stub& accountability() { return *accountability_; }
  v1::EventService::Stub& events() { return *events_; }
  v1::PerformanceService::Stub& performance() { return *performance_; }
  v1::DrawService::Stub& draws() { return *draws_; }
  v1::ReportService::Stub& reports() { return *reports_; }
  v1::AuditService::Stub& audit() { return *audit_; }
  v1::AdminService::Stub& admin() { return *admin_; }
  v1::ReplicationService::Stub& replication() { return *replication_; }
  v1::AuthService::Stub& auth() { return *auth_; }
  // The server's address, as given.
  const std::string& server() const { return options_.server; }

  OutputFormat format() const { return options_.format; }
  absl::TimeZone zone() const { return options_.zone; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // Reports a failed call on stderr — "CODE: message", then the reason and
  // each bad field — and returns kExitRpcError.
  int Fail(const grpc::Status& status);
  // Reports a usage mistake on stderr and returns kExitUsage.
  int Usage(const absl::Status& status);

 private:
  SessionOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::TicketService::Stub> tickets_;
  std::unique_ptr<v1::DirectoryService::Stub> directory_;
  std::unique_ptr<v1::CalendarService::Stub> calendars_;
  std::unique_ptr<v1::EscalationService::Stub> escalations_;
  std::unique_ptr<v1::AccountabilityService::Stub> accountability_;
  std::unique_ptr<v1::EventService::Stub> events_;
  std::unique_ptr<v1::PerformanceService::Stub> performance_;
  std::unique_ptr<v1::DrawService::Stub> draws_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::ReplicationService::Stub> replication_;
  std::unique_ptr<v1::AuthService::Stub> auth_;
};

// "INVALID_ARGUMENT" for grpc::StatusCode::INVALID_ARGUMENT.
std::string CodeName(grpc::StatusCode code);

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_SESSION_H_
