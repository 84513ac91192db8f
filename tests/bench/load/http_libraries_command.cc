// duban-load http-libraries: the two HTTP servers Debian 12 offers a C++
// program — cpp-httplib and civetweb (which prometheus-cpp links for
// /metrics) — each serving the same trivial POST handler (read the JSON
// body, answer a JSON reply of a GetTicket's size) in this process, with
// the same thread count, driven in alternating rounds by the same
// keep-alive client. The measurement behind the gateway's choice of
// library (docs/http.md).
#include <civetweb.h>
#include <httplib.h>

#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/bench/load/closed_loop.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/http_connection.h"
#include "tests/bench/load/load_flags.h"
#include "tests/bench/load/machine_cpu.h"

namespace duban::load {
namespace {

constexpr int kServerThreads = 64;
constexpr char kPath[] = "/duban.v1.TicketService/GetTicket";

// About what GetTicket answers for a ticket of the demo county.
const std::string& Reply() {
  static const std::string* reply = [] {
    auto* text = new std::string(R"({"name":"tickets/1","title":")");
    text->append(900, 'x');
    text->append(R"("})");
    return text;
  }();
  return *reply;
}

// cpp-httplib, configured as the gateway configures it.
class HttplibServer {
 public:
  HttplibServer() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(100000);
    server_.Post(kPath, [](const httplib::Request& request, httplib::Response& response) {
      response.set_content(request.body.empty() ? "" : Reply(), "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HttplibServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

// civetweb with the same thread count, keep-alive and TCP_NODELAY.
class CivetwebServer {
 public:
  CivetwebServer() {
    const std::string threads = absl::StrCat(kServerThreads);
    const char* options[] = {"listening_ports", "127.0.0.1:0", "num_threads", threads.c_str(),
                             "enable_keep_alive", "yes", "tcp_nodelay", "1", nullptr};
    mg_callbacks callbacks{};
    context_ = mg_start(&callbacks, nullptr, options);
    if (context_ == nullptr) return;
    mg_set_request_handler(context_, kPath, &Handle, nullptr);
    mg_server_port ports[1];
    if (mg_get_server_ports(context_, 1, ports) == 1) port_ = ports[0].port;
  }
  ~CivetwebServer() {
    if (context_ != nullptr) mg_stop(context_);
  }
  int port() const { return port_; }

 private:
  static int Handle(mg_connection* connection, void*) {
    const mg_request_info* request = mg_get_request_info(connection);
    std::string body(static_cast<size_t>(std::max<long long>(request->content_length, 0)), '\0');
    size_t read = 0;
    while (read < body.size()) {
      const int got = mg_read(connection, body.data() + read, body.size() - read);
      if (got <= 0) break;
      read += static_cast<size_t>(got);
    }
    const std::string& reply = body.empty() ? std::string() : Reply();
    mg_send_http_ok(connection, "application/json", static_cast<long long>(reply.size()));
    mg_write(connection, reply.data(), reply.size());
    return 200;
  }

  mg_context* context_ = nullptr;
  int port_ = 0;
};

PhaseResult Drive(const std::string& name, int port, int threads, absl::Duration duration) {
  const std::string address = absl::StrCat("127.0.0.1:", port);
  std::vector<std::unique_ptr<HttpConnection>> connections;
  for (int i = 0; i < threads; ++i) {
    connections.push_back(std::make_unique<HttpConnection>("127.0.0.1", port));
  }
  const std::string request =
      PostRequest(address, kPath, "leader", "application/json", R"({"name":"tickets/1"})");
  return RunClosedLoop(name, threads, duration, [&](int thread) -> absl::Status {
    absl::StatusOr<int> status = connections[thread]->Exchange(request);
    if (!status.ok()) return status.status();
    if (*status != 200) return absl::InternalError(connections[thread]->reply());
    return absl::OkStatus();
  });
}

}  // namespace

int HttpLibrariesCommand() {
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  HttplibServer httplib_server;
  CivetwebServer civetweb_server;
  if (httplib_server.port() <= 0 || civetweb_server.port() <= 0) {
    return CommandFailed("http-libraries", absl::UnavailableError("a server did not start"));
  }
  std::cout << absl::StrFormat(
      "cpp-httplib on %d, civetweb on %d, %d threads each; concurrency %d, %s a phase\n",
      httplib_server.port(), civetweb_server.port(), kServerThreads, concurrency,
      absl::FormatDuration(duration));
  PhaseTally httplib_tally, civetweb_tally;
  RoundLog log;
  const int rounds = absl::GetFlag(FLAGS_rounds);
  for (int round = 1; round <= rounds; ++round) {
    std::cout << "round " << round << " of " << rounds << "\n";
    log.Show(WithMachineCpu([&] {
           return Drive("cpp-httplib", httplib_server.port(), concurrency, duration);
         }),
         httplib_tally);
    log.Show(WithMachineCpu([&] {
           return Drive("civetweb", civetweb_server.port(), concurrency, duration);
         }),
         civetweb_tally);
  }
  std::cout << "over " << rounds << " round(s):\n";
  for (PhaseTally* tally : {&httplib_tally, &civetweb_tally}) {
    std::cout << "  " << Describe(tally->total) << "\n";
  }
  // Not a target: which library costs less a request.
  PrintRatio("cpp-httplib / civetweb", httplib_tally.total.Rate(), civetweb_tally.total.Rate(), 0);
  return log.failed ? 1 : 0;
}

}  // namespace duban::load
