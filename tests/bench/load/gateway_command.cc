// duban-load gateway: starts duband and measures, in alternating rounds,
// GetTicket over gRPC against GetTicket over the HTTP gateway (Connect
// protocol, JSON both ways, keep-alive connections), at the same
// concurrency; prints the gateway's rate as a ratio of gRPC's. Both
// clients are lean (gRPC's async stub; a wrk-like HTTP/1.1 loop), so the
// ratio is duband's, not the load generator's.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

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

// One keep-alive HTTP/1.1 connection sending prepared requests and reading
// each reply's status line, headers and Content-Length body — what a load
// generator such as wrk does, so that the client's own cost on this
// machine stays small beside duband's, as the gRPC phase's async client's
// does. Not thread-safe: one per thread.
class HttpConnection {
 public:
  HttpConnection(const std::string& host, int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~HttpConnection() {
    if (fd_ >= 0) close(fd_);
  }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends `request` and reads the reply; returns its status code, or an
  // error when the connection fails.
  absl::StatusOr<int> Exchange(const std::string& request) {
    if (fd_ < 0) return absl::UnavailableError("not connected");
    if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      return absl::UnavailableError("send failed");
    }
    buffer_.clear();
    size_t header_end = std::string::npos;
    size_t wanted = std::string::npos;
    char chunk[16384];
    while (wanted == std::string::npos || buffer_.size() < wanted) {
      const ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
      if (got <= 0) return absl::UnavailableError("connection closed");
      buffer_.append(chunk, static_cast<size_t>(got));
      if (header_end == std::string::npos) {
        header_end = buffer_.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        const size_t length_at = buffer_.find("Content-Length: ");
        if (length_at == std::string::npos || length_at > header_end) {
          return absl::InternalError("a reply without Content-Length");
        }
        wanted = header_end + 4 + std::stoul(buffer_.substr(length_at + 16, 12));
      }
    }
    if (buffer_.size() < 12) return absl::InternalError("short status line");
    return std::stoi(buffer_.substr(9, 3));
  }
  const std::string& reply() const { return buffer_; }

 private:
  int fd_ = -1;
  std::string buffer_;
};

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
    const std::string body = absl::StrCat(R"({"name":")", name, R"("})");
    requests.push_back(absl::StrCat(
        "POST /duban.v1.TicketService/GetTicket HTTP/1.1\r\nHost: ", http_address,
        "\r\nAuthorization: Bearer ", token,
        "\r\nContent-Type: application/json\r\nContent-Length: ", body.size(), "\r\n\r\n",
        body));
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
  bool failed = false;
  auto show = [&failed](PhaseResult phase, PhaseTally& tally) {
    std::cout << "  " << Describe(phase) << std::endl;
    failed = failed || phase.error_count() > 0 || phase.ops == 0;
    tally.Add(phase);
  };
  const int rounds = absl::GetFlag(FLAGS_rounds);
  for (int round = 1; round <= rounds; ++round) {
    std::cout << "round " << round << " of " << rounds << "\n";
    show(WithMachineCpu([&] { return Drive(drive, *get, "GetTicket over gRPC"); }), grpc_tally);
    show(WithMachineCpu([&] {
           return DriveHttp((*server)->http_address(), token, *names, concurrency, duration);
         }),
         http_tally);
  }
  std::cout << "over " << rounds << " round(s):\n";
  for (PhaseTally* tally : {&grpc_tally, &http_tally}) {
    std::cout << "  " << Describe(tally->total) << "\n";
  }
  const double ratio = http_tally.total.Rate() / std::max(grpc_tally.total.Rate(), 1e-9);
  std::cout << absl::StrFormat(
      "RATIO GetTicket over HTTP / over gRPC = %.1f / %.1f ops/s = %.2f (target >= 0.50: %s)\n",
      http_tally.total.Rate(), grpc_tally.total.Rate(), ratio, ratio >= 0.5 ? "met" : "MISSED");
  if (absl::Status stopped = (*server)->Stop(); !stopped.ok()) {
    return CommandFailed("gateway", stopped);
  }
  return failed ? 1 : 0;
}

}  // namespace duban::load
