// duband: the duban server.
//
//   duband --dev                       # demo county on ./var/duban, 127.0.0.1:7420
//   duband --listen 127.0.0.1:7420 --data /var/lib/duban --principals principals.json
#include <signal.h>

#include <cstdio>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "server/duban_server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7420",
          "host:port to serve gRPC on; port 0 picks a free port");
ABSL_FLAG(std::string, data, "./var/duban", "directory of the RocksDB store");
ABSL_FLAG(std::string, principals, "",
          "JSON file of principals (duban.v1.PrincipalsFile) to create or update at start-up");
ABSL_FLAG(bool, dev, false,
          "seed the demo county (tokens equal principal ids) on an empty store; loopback only");
ABSL_FLAG(std::string, time_zone, "Asia/Shanghai", "time zone of the working-day calendar");
ABSL_FLAG(int, max_threads, 64, "upper bound on threads serving calls");
ABSL_FLAG(double, time_scale, 1,
          "with --dev only: run the server's clock this many times faster than real time "
          "(86400: a working day passes in about a second), to train on the escalation ladder");
ABSL_FLAG(std::string, escalation, "on",
          "on: the built-in scheduler fires escalations when due; off: only sweeps requested "
          "through the API (duban escalate, e.g. from cron) fire them");

namespace {

void Log(const std::string& line) {
  std::fprintf(
      stderr, "%s duband: %s\n",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", absl::Now(), absl::LocalTimeZone()).c_str(),
      line.c_str());
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("duband: the duban supervision workflow server");
  absl::ParseCommandLine(argc, argv);

  // Signals are taken by a dedicated thread (below), never by a handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  duban::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data);
  options.principals_file = absl::GetFlag(FLAGS_principals);
  options.dev = absl::GetFlag(FLAGS_dev);
  options.time_zone = absl::GetFlag(FLAGS_time_zone);
  options.max_threads = absl::GetFlag(FLAGS_max_threads);
  options.time_scale = absl::GetFlag(FLAGS_time_scale);
  const std::string escalation = absl::GetFlag(FLAGS_escalation);
  if (escalation != "on" && escalation != "off") {
    Log("--escalation must be on or off");
    return 1;
  }
  options.escalation_scheduler = escalation == "on";

  absl::StatusOr<std::unique_ptr<duban::DubanServer>> server = duban::DubanServer::Start(options);
  if (!server.ok()) {
    Log(absl::StrCat("cannot start: ", server.status().ToString()));
    return 1;
  }
  Log(absl::StrCat("listening on ", (*server)->address(), " with data in ", options.data_dir,
                   options.dev ? " (dev: demo county, tokens equal principal ids)" : ""));

  std::thread signal_thread([&signals, &server] {
    int signal = 0;
    sigwait(&signals, &signal);
    Log(absl::StrCat("signal ", signal, ": draining and shutting down"));
    (*server)->Shutdown(absl::Seconds(10));
  });
  (*server)->Wait();
  signal_thread.join();
  Log("stopped");
  return 0;
}
