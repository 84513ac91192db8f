// duban-load gateway: starts duband and measures, in alternating rounds,
// GetTicket over gRPC against GetTicket over the HTTP gateway (Connect
// protocol, JSON both ways, keep-alive connections), at the same
// concurrency; prints the gateway's rate as a ratio of gRPC's. Both
// clients are lean (gRPC's async stub; a wrk-like HTTP/1.1 loop), so the
// ratio is duband's, not the load generator's.
#include <grpcpp/grpcpp.h>

#include <iostream>
#include <memory>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "duban/v1/ticket_service.grpc.pb.h"
#include "tests/bench/load/closed_loop.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/duband_process.h"
#include "tests/bench/load/http_connection.h"
#include "tests/bench/load/load_flags.h"
#include "tests/bench/load/machine_cpu.h"
#include "tests/bench/load/rpc_driver.h"
#include "tests/bench/load/ticket_requests.h"
#include "tests/bench/load/work_dir.h"
#include "tests/bench/load/workloads.h"

namespace duban::load {
namespace {

constexpr int kTickets = 100;

// The names of kTickets tickets created over gRPC.
absl::StatusOr<std::vector<std::string>> CreateTickets(const std::string& target,
                                                       const std::string& token) {
  auto stub = v1::TicketService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  std::vector<std::string> names;
  for (int n = 0; n < kTickets; ++n) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    v1::Ticket ticket;
    grpc::Status status = stub->CreateTicket(&context, CreateRequest(n, ""), &ticket);
    if (!status.ok()) return absl::InternalError(absl::StrCat("create: ", status.error_message()));
    names.push_back(ticket.name());
  }
  return names;
}

// `threads` keep-alive connections calling GetTicket in JSON back to back.
PhaseResult DriveHttp(const std::string& http_address, const std::string& token,
                      const std::vector<std::string>& names, int threads,
                      absl::Duration duration) {
  const size_t colon = http_address.rfind(':');
  const std::string host = http_address.substr(0, colon);
  const int port = std::stoi(http_address.substr(colon + 1));
  std::vector<std::unique_ptr<HttpConnection>> connections;
  for (int i = 0; i < threads; ++i) connections.push_back(std::make_unique<HttpConnection>(host, port));
  std::vector<std::string> requests;
  for (const std::string& name : names) {
    requests.push_back(PostRequest(http_address, "/duban.v1.TicketService/GetTicket", token,
                                   "application/json", absl::StrCat(R"({"name":")", name, R"("})")));
  }
  std::vector<uint64_t> next(threads, 0);
  return RunClosedLoop("GetTicket over HTTP (Connect, JSON)", threads, duration,
                       [&](int thread) -> absl::Status {
                         const std::string& request =
                             requests[(next[thread]++ * threads + thread) % requests.size()];
                         absl::StatusOr<int> status = connections[thread]->Exchange(request);
                         if (!status.ok()) return status.status();
                         if (*status != 200) {
                           return absl::InternalError(
                               absl::StrCat(*status, " ", connections[thread]->reply()));
                         }
                         return absl::OkStatus();
                       });
}

}  // namespace

int GatewayCommand() {
  const std::string duband = absl::GetFlag(FLAGS_duband);
  if (duband.empty()) return CommandFailed("gateway", absl::InvalidArgumentError("--duband is required"));
  absl::StatusOr<WorkDir> work = WorkDir::Make();
  if (!work.ok()) return CommandFailed("gateway", work.status());
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const std::string token = absl::GetFlag(FLAGS_token);
  absl::StatusOr<std::unique_ptr<DubandProcess>> server = DubandProcess::Start(
      duband, work->Fresh("duband"),
      {absl::StrCat("--max_threads=", absl::GetFlag(FLAGS_max_threads))});
  if (!server.ok()) return CommandFailed("gateway", server.status());
  if ((*server)->http_address().empty()) {
    return CommandFailed("gateway", absl::InternalError("duband logged no HTTP gateway"));
  }
  std::cout << absl::StrFormat("duband gRPC %s, HTTP %s; concurrency %d, %s a phase\n",
                               (*server)->address(), (*server)->http_address(), concurrency,
                               absl::FormatDuration(duration));
  absl::StatusOr<std::vector<std::string>> names = CreateTickets((*server)->address(), token);
  if (!names.ok()) return CommandFailed("gateway", names.status());
  DriveOptions drive{.target = (*server)->address(),
                     .channels = absl::GetFlag(FLAGS_channels),
                     .concurrency = concurrency,
                     .duration = duration};
  WorkloadOptions workload{.token = token,
                           .run_id = absl::StrCat("gateway-", absl::ToUnixMicros(absl::Now()))};
  absl::StatusOr<CallSource> get = MakeWorkload("get", drive.target, workload);
  if (!get.ok()) return CommandFailed("gateway", get.status());

  // Warm both doors; not counted.
  DriveOptions warm = drive;
  warm.duration = std::min(duration, absl::Seconds(1));
  Drive(warm, *get, "warm-up");
  DriveHttp((*server)->http_address(), token, *names, concurrency, warm.duration);

  PhaseTally grpc_tally, http_tally;
  RoundLog log;
  const int rounds = absl::GetFlag(FLAGS_rounds);
  for (int round = 1; round <= rounds; ++round) {
    std::cout << "round " << round << " of " << rounds << "\n";
    log.Show(WithMachineCpu([&] { return Drive(drive, *get, "GetTicket over gRPC"); }), grpc_tally);
    log.Show(WithMachineCpu([&] {
           return DriveHttp((*server)->http_address(), token, *names, concurrency, duration);
         }),
         http_tally);
  }
  std::cout << "over " << rounds << " round(s):\n";
  for (PhaseTally* tally : {&grpc_tally, &http_tally}) {
    std::cout << "  " << Describe(tally->total) << "\n";
  }
  PrintRatio("GetTicket over HTTP / over gRPC", http_tally.total.Rate(), grpc_tally.total.Rate(),
             0.5);
  if (absl::Status stopped = (*server)->Stop(); !stopped.ok()) {
    return CommandFailed("gateway", stopped);
  }
  return log.failed ? 1 : 0;
}

}  // namespace duban::load
