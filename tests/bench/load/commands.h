// The subcommands of duban-load; each returns the process exit code
// (0: measured without a single error; 1: an error or nothing measured).
#ifndef DUBAN_TESTS_BENCH_LOAD_COMMANDS_H_
#define DUBAN_TESTS_BENCH_LOAD_COMMANDS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace duban::load {

// Prints "duban-load COMMAND: STATUS" on stderr; returns exit code 1.
int CommandFailed(absl::string_view command, const absl::Status& status);

// One workload against a running duband (--server), optionally with the
// two baselines side by side (--baseline).
int RunCommand();
// Starts duband itself; baselines and server workloads alternately; ratios.
int CompareCommand();
// Builds a store of --tickets tickets at --data.
int SeedCommand();
// List pages, sweeps, start-up, RSS and disk on seeded stores.
int ScaleCommand();
// CreateTicket throughput and p99 for each --max_threads × --concurrency.
int ThreadsCommand();
// CreateTicket's threadings (synchronous pool with and without a commit
// thread, callback API), in-process, beside raw RocksDB.
int ThreadingCommand();
// GetTicket over the HTTP gateway beside GetTicket over gRPC, same duband.
int GatewayCommand();
// CreateTicket on a duband alone and on one with a synchronous replica.
int ReplicationCommand();
// The mixed workload in an open loop for a long time: memory against the
// budget, per sample and as a verdict.
int SoakCommand();
// cpp-httplib against civetweb, the same trivial handler, in-process.
int HttpLibrariesCommand();

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_COMMANDS_H_
