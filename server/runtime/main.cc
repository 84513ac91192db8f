// duband: the duban server.
//
//   duband --dev                       # demo county on ./var/duban, 127.0.0.1:7420
//   duband --listen 0.0.0.0:7420 --data /var/lib/duban --principals principals.json
//          --tls-cert server.pem --tls-key server.key --tls-client-ca clients.pem
//          --audit-key audit.pem --metrics-listen 0.0.0.0:9464
//   duband --flagfile /etc/duban/duband.flags
//
// Every flag may also come from a flag file or the environment
// (server/runtime/flag_sources.h).
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/time/time.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "server/edge/transport_security.h"
#include "absl/strings/strip.h"
#include "base/byte_size.h"
#include "base/process_memory.h"
#include "base/text_file.h"
#include "server/runtime/duban_server.h"
#include "server/runtime/flag_sources.h"
#include "server/runtime/json_log.h"
#include "server/runtime/server_supervisor.h"
#include "storage/memory_budget.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7420",
          "host:port to serve gRPC on; port 0 picks a free port");
ABSL_FLAG(std::string, data, "./var/duban", "directory of the RocksDB store");
ABSL_FLAG(std::string, principals, "",
          "JSON file of principals (duban.v1.PrincipalsFile) to create or update at start-up");
ABSL_FLAG(bool, dev, false,
          "seed the demo county (tokens equal principal ids) on an empty store; loopback only");
ABSL_FLAG(std::string, time_zone, "Asia/Shanghai", "time zone of the working-day calendar");
ABSL_FLAG(int, max_threads, 128,
          "upper bound on threads serving calls; a call arriving when all are busy is refused "
          "RESOURCE_EXHAUSTED, so keep it above the calls expected in flight");
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
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port to serve Prometheus metrics on (GET /metrics over HTTP); empty: none");
ABSL_FLAG(std::string, health_listen, "",
          "host:port of a plaintext gRPC port serving only grpc.health.v1.Health, for probes "
          "that cannot speak TLS (Kubernetes); empty: none");
ABSL_FLAG(std::string, http_listen, "",
          "host:port of the HTTP gateway: the API in the Connect protocol (JSON over HTTP, "
          "docs/http.md) and the web console; TLS as --listen. Empty: none, except with --dev: "
          "127.0.0.1:7480 (port 0 when --listen's port is 0); off: none");
ABSL_FLAG(std::string, console_dir, "",
          "directory of the built web console, served by the HTTP gateway at /");
ABSL_FLAG(std::vector<std::string>, cors_origins, {},
          "comma-separated origins (https://portal.example.gov.cn) whose pages may call the "
          "HTTP gateway from another origin; empty: none");
ABSL_FLAG(int, max_http_streams, 32,
          "streams (WatchEvents) open on the HTTP gateway at once; one more is refused 429");
ABSL_FLAG(absl::Duration, session_idle, absl::Hours(2),
          "a login session unused this long ends");
ABSL_FLAG(absl::Duration, session_lifetime, absl::Hours(12),
          "a login session ends this long after the login, used or not");
ABSL_FLAG(std::string, log_level, "info",
          "least level logged on stderr, one JSON object per line: debug (every call), info "
          "(refused calls, start and stop), warning or error");
ABSL_FLAG(std::string, escalation, "on",
          "on: the built-in scheduler fires escalations when due; off: only sweeps requested "
          "through the API (duban escalate, e.g. from cron) fire them");

ABSL_FLAG(std::string, replica_of, "",
          "host:port of the primary to follow as a read-only replica (docs/replication.md); "
          "empty: this server is a primary");
ABSL_FLAG(std::string, replication_token_file, "",
          "file holding the bearer token of a REPLICA principal, presented to the primary "
          "(--replica_of) and to --fence_with peers; with --dev, empty means the demo "
          "county's \"replica\"");
ABSL_FLAG(std::string, replication_ca, "",
          "PEM CA bundle the primary's and peers' TLS certificates must chain to; empty: "
          "plaintext, to loopback addresses only unless --insecure");
ABSL_FLAG(int, sync_replicas, 0,
          "semi-synchronous replication: a change is answered only once this many replicas "
          "have written it durably, or --sync_timeout passed (then the primary is degraded and "
          "answers without waiting until they catch up)");
ABSL_FLAG(absl::Duration, sync_timeout, absl::Seconds(2),
          "how long an answer waits for --sync_replicas replicas");
ABSL_FLAG(absl::Duration, wal_ttl, absl::Hours(24),
          "keep the write-ahead log this long for replicas that fell behind (0: not at all; a "
          "replica further behind fetches a whole snapshot)");
ABSL_FLAG(int, wal_size_limit_mb, 1024,
          "and at most this many MiB of it (0: no size limit)");
ABSL_FLAG(duban::ByteSize, memory_budget, duban::ByteSize{duban::storage::kDefaultMemoryBudget},
          "the process's memory budget (e.g. 256MiB, 1GiB): one block cache for the whole store, "
          "memtables charged to it, 64MiB kept for the rest of the process; at least 128MiB");
ABSL_FLAG(std::vector<std::string>, fence_with, {},
          "comma-separated host:port of the county's other servers: a primary starting up asks "
          "them whether a newer epoch began there (a replica was promoted) and if so takes no "
          "writes");

namespace {

constexpr char kUsage[] =
    "the duban supervision workflow server\n\n"
    "Every flag may be given on the command line (--tls-cert or --tls_cert), in a flag file\n"
    "(--flagfile=FILE: one --name=value per line, # comments) or in the environment as\n"
    "DUBAND_<NAME> (DUBAND_TLS_CERT). The command line wins over the environment, and a\n"
    "later flag over an earlier one.";

// The flags this file defines, by name.
std::vector<std::string> DubandFlags() {
  std::vector<std::string> names;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (absl::EndsWith(flag->Filename(), "server/runtime/main.cc")) names.emplace_back(name);
  }
  return names;
}

// Parses the flags from the environment, flag files and the command line.
absl::Status ParseFlags(int argc, char** argv) {
  if (absl::Status status = duban::ApplyEnvironment("DUBAND", DubandFlags()); !status.ok()) {
    return status;
  }
  absl::StatusOr<std::vector<std::string>> args =
      duban::ExpandFlagArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.ok()) return args.status();
  std::vector<char*> words = {argv[0]};
  for (std::string& arg : *args) words.push_back(arg.data());
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(words.size()), words.data());
  if (positional.size() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument \"", positional[1], "\": flags only"));
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  // Memtables flushed give their memory back, and the block cache's churn
  // stays in few heaps (docs/performance.md, "Memory").
  duban::ReturnLargeBlocksWhenFreed();
  duban::OneMallocArenaPerCore();
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles
  // (gRPC's locks included: about 2 % of a busy server's CPU); a release
  // build does not.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(kUsage);
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "server/runtime/main.cc");
  };
  usage.contains_helpshort_flags = usage.contains_help_flags;
  absl::SetFlagsUsageConfig(usage);
  duban::JsonLog startup_log(stderr, duban::LogLevel::kInfo);
  if (absl::Status parsed = ParseFlags(argc, argv); !parsed.ok()) {
    startup_log.Write(duban::LogLevel::kError, std::string(parsed.message()));
    return 1;
  }
  absl::StatusOr<duban::LogLevel> level = duban::ParseLogLevel(absl::GetFlag(FLAGS_log_level));
  if (!level.ok()) {
    startup_log.Write(duban::LogLevel::kError, std::string(level.status().message()));
    return 1;
  }
  auto log = std::make_shared<duban::JsonLog>(stderr, *level);
  const auto Log = [&log](const std::string& message, duban::LogFields fields = {}) {
    log->Write(duban::LogLevel::kInfo, message, fields);
  };

  // Signals are taken by a dedicated thread (below), never by a handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
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
    log->Write(duban::LogLevel::kError, "--escalation must be on or off");
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
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.health_listen = absl::GetFlag(FLAGS_health_listen);
  options.http_listen = absl::GetFlag(FLAGS_http_listen);
  if (options.http_listen == "off") {
    options.http_listen.clear();
  } else if (options.http_listen.empty() && options.dev) {
    options.http_listen = absl::StrCat(duban::HostOf(options.listen), ":",
                                       absl::EndsWith(options.listen, ":0") ? "0" : "7480");
  }
  options.console_dir = absl::GetFlag(FLAGS_console_dir);
  options.cors_origins = absl::GetFlag(FLAGS_cors_origins);
  options.max_http_streams = absl::GetFlag(FLAGS_max_http_streams);
  options.session_idle = absl::GetFlag(FLAGS_session_idle);
  options.session_lifetime = absl::GetFlag(FLAGS_session_lifetime);
  if (options.session_idle <= absl::ZeroDuration() ||
      options.session_lifetime < options.session_idle) {
    log->Write(duban::LogLevel::kError,
               "--session_idle must be positive and --session_lifetime at least as long");
    return 1;
  }
  options.log = log;
  options.replica_of = absl::GetFlag(FLAGS_replica_of);
  options.sync_replicas = absl::GetFlag(FLAGS_sync_replicas);
  options.sync_timeout = absl::GetFlag(FLAGS_sync_timeout);
  options.wal_ttl_seconds =
      static_cast<uint64_t>(absl::ToInt64Seconds(absl::GetFlag(FLAGS_wal_ttl)));
  options.wal_size_limit_mb = static_cast<uint64_t>(absl::GetFlag(FLAGS_wal_size_limit_mb));
  options.fence_with = absl::GetFlag(FLAGS_fence_with);
  absl::StatusOr<duban::storage::MemoryPlan> memory =
      duban::storage::PlanMemory(absl::GetFlag(FLAGS_memory_budget).bytes);
  if (!memory.ok()) {
    log->Write(duban::LogLevel::kError,
               absl::StrCat("--memory_budget: ", memory.status().message()));
    return 1;
  }
  options.memory = *memory;
  Log(absl::StrCat("memory budget ", duban::FormatByteSize({memory->budget_bytes}),
                   ": block cache ", duban::FormatByteSize({memory->cache_bytes}),
                   " with memtables up to ", duban::FormatByteSize({memory->write_buffers_bytes})),
      {{"memory_budget_bytes", static_cast<int64_t>(memory->budget_bytes)}});
  if (options.sync_replicas < 0 || options.sync_timeout <= absl::ZeroDuration() ||
      absl::GetFlag(FLAGS_wal_ttl) < absl::ZeroDuration() ||
      absl::GetFlag(FLAGS_wal_size_limit_mb) < 0) {
    log->Write(duban::LogLevel::kError,
               "--sync_replicas, --wal_ttl and --wal_size_limit_mb must not be negative, and "
               "--sync_timeout must be positive");
    return 1;
  }
  options.peer_credentials.insecure = options.insecure;
  if (const std::string token_file = absl::GetFlag(FLAGS_replication_token_file);
      !token_file.empty()) {
    absl::StatusOr<std::string> token = duban::ReadTextFile(token_file);
    if (!token.ok()) {
      log->Write(duban::LogLevel::kError,
                 absl::StrCat("--replication_token_file: ", token.status().message()));
      return 1;
    }
    options.peer_credentials.token = std::string(absl::StripAsciiWhitespace(*token));
  } else if (options.dev) {
    options.peer_credentials.token = "replica";
  }
  if (const std::string ca = absl::GetFlag(FLAGS_replication_ca); !ca.empty()) {
    absl::StatusOr<std::string> pem = duban::ReadTextFile(ca);
    if (!pem.ok()) {
      log->Write(duban::LogLevel::kError, absl::StrCat("--replication_ca: ", pem.status().message()));
      return 1;
    }
    options.peer_credentials.ca_pem = *pem;
  }

  duban::ServerSupervisor supervisor(options);
  std::thread signal_thread([&signals, &supervisor, &Log] {
    int signal = 0;
    sigwait(&signals, &signal);
    if (signal == SIGUSR1) return;  // the server stopped by itself
    Log(absl::StrCat("signal ", signal, ": draining and shutting down"));
    supervisor.Shutdown(absl::Seconds(10));
  });
  const absl::Status ended = supervisor.Run([&](const duban::DubanServer& server) {
    const duban::ServerOptions& started = server.options();
    Log(absl::StrCat("listening on ", server.address(), started.tls.enabled() ? " (TLS)" : "",
                     " with data in ", started.data_dir,
                     started.replica_of.empty() ? ""
                                                : absl::StrCat(" as a replica of ", started.replica_of),
                     started.dev ? " (dev: demo county, tokens equal principal ids)" : ""),
        {{"address", server.address()}, {"data", started.data_dir}});
    if (server.http_port() != 0) {
      const std::string http_address =
          absl::StrCat(duban::HostOf(started.http_listen), ":", server.http_port());
      Log(absl::StrCat("HTTP gateway on ", started.tls.enabled() ? "https://" : "http://",
                       http_address, started.console_dir.empty() ? "" : " (with the console)"),
          {{"http_address", http_address}});
    }
    if (server.health_port() != 0) {
      Log(absl::StrCat("health checks on ", duban::HostOf(started.health_listen), ":",
                       server.health_port(), " (plaintext, grpc.health.v1 only)"),
          {{"health_port", int64_t{server.health_port()}}});
    }
    if (server.metrics_port() != 0) {
      Log(absl::StrCat("metrics on http://", duban::HostOf(started.metrics_listen), ":",
                       server.metrics_port(), "/metrics"),
          {{"metrics_port", int64_t{server.metrics_port()}}});
    }
  });
  // Ends the signal thread when the server stopped by itself.
  pthread_kill(signal_thread.native_handle(), SIGUSR1);
  signal_thread.join();
  if (!ended.ok()) {
    log->Write(duban::LogLevel::kError, absl::StrCat("cannot serve: ", ended.ToString()));
    return 1;
  }
  Log("stopped");
  return 0;
}
