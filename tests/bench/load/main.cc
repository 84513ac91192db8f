// duban-load: load generator and scale measurements for duband
// (docs/performance.md says what each subcommand measures and how).
//
//   duban-load run --server 127.0.0.1:7420 --workload create --concurrency 32 --duration 10s
//   duban-load compare --duband build/load/server/duband --duration 5s
//   duban-load seed --data /tmp/county-1m --tickets 1000000
//   duban-load seed --data /tmp/county-years --tickets 1000000 --this_year 50000
//   duban-load scale --duband build/load/server/duband --data /tmp/county-1m
//                    --small_data /tmp/county-10k
//   duban-load threads --duband build/load/server/duband
//   duban-load threading --duration 5s --rounds 3
//   duban-load gateway --duband build/release/server/duband --duration 5s
//   duban-load http-libraries --duration 5s
//   duban-load replication --duband build/release/server/duband --duration 5s --rounds 3
//   duban-load soak --duband build/release/server/duband --rate 400 --duration 60m
//                   --budget 256MiB
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/load_flags.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7420", "run: the duband to drive");
ABSL_FLAG(std::string, token, "leader", "creates and reads as this principal (demo county)");
ABSL_FLAG(std::string, workload, "create", "run: create, get, list, transition, mixed or empty");
ABSL_FLAG(int, concurrency, 32, "calls in flight (closed loop) or writer threads");
ABSL_FLAG(int, channels, 4, "gRPC channels, each its own connection");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "length of each measured phase");
ABSL_FLAG(double, rate, 0, "run: calls per second, open loop; 0 for the closed loop");
ABSL_FLAG(bool, baseline, false,
          "run: also measure raw synced RocksDB and the empty unary call, same concurrency");
ABSL_FLAG(std::string, work_dir, "",
          "scratch directory for stores and logs; default a new one under $TMPDIR or /tmp");
ABSL_FLAG(bool, keep, false, "keep the scratch directory");
ABSL_FLAG(std::string, duband, "", "compare, scale, threads, gateway: the duband binary to start");
ABSL_FLAG(int, max_threads, 128, "duband --max_threads (and the empty unary server's bound)");
ABSL_FLAG(int, rounds, 2, "compare: rounds of baseline and server phases, alternating");
ABSL_FLAG(std::string, data, "", "seed: store to build; scale: the large seeded store");
ABSL_FLAG(std::string, small_data, "", "scale: the small seeded store to compare against");
ABSL_FLAG(int64_t, tickets, 1000000, "seed: how many tickets");
ABSL_FLAG(int64_t, due, 10000,
          "seed: how many of them have an escalation due (created 60 days ago)");
ABSL_FLAG(int64_t, this_year, 0,
          "seed: with N > 0, whole ticket lives: the last N tickets this year's (two in five "
          "closed), the others closed in the three years before (one in seven late through the "
          "whole ladder); --due is then ignored");
ABSL_FLAG(bool, compact, true, "seed: compact the store after the final flush");
ABSL_FLAG(std::string, list_filter, "unit=units/nongye", "the ListTickets filter of list pages");
ABSL_FLAG(std::string, threads_list, "8,32,64,128", "threads: duband --max_threads values");
ABSL_FLAG(std::string, concurrency_list, "16,32,64", "threads: concurrency values");
ABSL_FLAG(bool, fire, true, "scale: end with a real (firing) sweep of the due tickets");
ABSL_FLAG(duban::ByteSize, budget, duban::ByteSize{0},
          "soak: the started duband's --memory_budget (e.g. 256MiB); 0 for its default");
ABSL_FLAG(absl::Duration, sample_every, absl::Minutes(1), "soak: how often to sample");
ABSL_FLAG(absl::Duration, warmup, absl::Minutes(10),
          "soak: growth is measured over the samples after the first one at or after this");
ABSL_FLAG(double, max_growth, 5,
          "soak: the growth allowed after the warm-up of the memory outside the block cache, "
          "in percent");
ABSL_FLAG(int, pool, 256,
          "run, soak: tickets made at setup for the get, transition and mixed workloads to read "
          "and report on");
ABSL_FLAG(std::string, admin_token, "admin", "soak: asks the server for its stats as this");

namespace duban::load {

int CommandFailed(absl::string_view command, const absl::Status& status) {
  std::cerr << "duban-load " << command << ": " << status << "\n";
  return 1;
}

}  // namespace duban::load

int main(int argc, char** argv) {
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles
  // (gRPC's locks included: about 2 % of a busy server's CPU); a release
  // build does not.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(
      "duban-load run|compare|seed|scale|threads|threading|gateway|replication|soak|http-libraries [flags]: load and scale measurements of duband");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string command = args.size() > 1 ? args[1] : "";
  if (command == "run") return duban::load::RunCommand();
  if (command == "compare") return duban::load::CompareCommand();
  if (command == "seed") return duban::load::SeedCommand();
  if (command == "scale") return duban::load::ScaleCommand();
  if (command == "threads") return duban::load::ThreadsCommand();
  if (command == "threading") return duban::load::ThreadingCommand();
  if (command == "gateway") return duban::load::GatewayCommand();
  if (command == "replication") return duban::load::ReplicationCommand();
  if (command == "soak") return duban::load::SoakCommand();
  if (command == "http-libraries") return duban::load::HttpLibrariesCommand();
  std::fprintf(stderr, "usage: duban-load run|compare|seed|scale|threads|threading|gateway|replication|soak|http-libraries [flags] (--helpfull)\n");
  return 2;
}
