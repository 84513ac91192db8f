// duband: the duban server.
//
//   duband --dev                       # demo county on ./var/duban, 127.0.0.1:7420
//   duband --listen 0.0.0.0:7420 --data /var/lib/duban --principals principals.json
//          --tls-cert server.pem --tls-key server.key --tls-client-ca clients.pem
//          --audit-key audit.pem
//
// Flags may be spelled with hyphens or underscores (--tls-cert, --tls_cert).
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

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
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain of the server; serve TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle for client certificates (mutual TLS): a client certificate must "
          "chain to it, and its subject CN names the principal of calls without a token");
ABSL_FLAG(bool, tls_require_client_cert, false,
          "with --tls_client_ca: refuse clients without a certificate");
ABSL_FLAG(std::string, tls_crl_dir, "",
          "directory of hashed CRL files (openssl rehash) checked against client certificates");
ABSL_FLAG(bool, insecure, false,
          "serve plaintext on a non-loopback --listen address (without it, duband refuses to)");
ABSL_FLAG(std::string, audit_key, "",
          "Ed25519 private key (PEM; openssl genpkey -algorithm ed25519) that signs audit "
          "checkpoints (duban audit checkpoint)");
ABSL_FLAG(std::string, restore_from, "",
          "restore the latest backup in this directory (duban admin backup) into --data, which "
          "must be empty or missing, then serve it");
ABSL_FLAG(int, max_message_bytes, 1 << 20, "largest request message accepted");
ABSL_FLAG(int, max_concurrent_streams, 100, "concurrent calls per client connection");
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

// "--tls-cert=x" → "--tls_cert=x": flag names may use hyphens. The
// strings live in `storage`; the result points into it.
std::vector<char*> WithUnderscoredFlags(int argc, char** argv, std::vector<std::string>& storage) {
  storage.assign(argv, argv + argc);
  for (std::string& word : storage) {
    if (word == "--") break;
    if (word.size() < 3 || word.compare(0, 2, "--") != 0) continue;
    const size_t end = std::min(word.find('='), word.size());
    std::replace(word.begin() + 2, word.begin() + static_cast<std::ptrdiff_t>(end), '-', '_');
  }
  std::vector<char*> words;
  for (std::string& word : storage) words.push_back(word.data());
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("duban: the duban supervision workflow server");
  std::vector<std::string> storage;
  std::vector<char*> words = WithUnderscoredFlags(argc, argv, storage);
  absl::ParseCommandLine(static_cast<int>(words.size()), words.data());

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
  options.tls = {.cert = absl::GetFlag(FLAGS_tls_cert),
                 .key = absl::GetFlag(FLAGS_tls_key),
                 .client_ca = absl::GetFlag(FLAGS_tls_client_ca),
                 .require_client_cert = absl::GetFlag(FLAGS_tls_require_client_cert),
                 .crl_dir = absl::GetFlag(FLAGS_tls_crl_dir)};
  options.insecure = absl::GetFlag(FLAGS_insecure);
  options.audit_key_file = absl::GetFlag(FLAGS_audit_key);
  options.restore_from = absl::GetFlag(FLAGS_restore_from);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);

  absl::StatusOr<std::unique_ptr<duban::DubanServer>> server = duban::DubanServer::Start(options);
  if (!server.ok()) {
    Log(absl::StrCat("cannot start: ", server.status().ToString()));
    return 1;
  }
  if (!options.restore_from.empty()) {
    Log(absl::StrCat("restored ", options.data_dir, " from the latest backup in ",
                     options.restore_from));
  }
  Log(absl::StrCat("listening on ", (*server)->address(), options.tls.enabled() ? " (TLS)" : "",
                   " with data in ", options.data_dir,
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
