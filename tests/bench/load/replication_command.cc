// duban-load replication: what a synchronous replica costs. Starts two
// dubands on scratch stores of this machine — one alone, one with
// --sync_replicas 1 and a replica following it — and measures CreateTicket
// on each in alternating rounds (the same concurrency, the same duration),
// then prints the ratio of the two rates and each one's p99. Both primaries
// and the replica share the machine's cores and disk, as a county's two
// servers do not: the ratio is a bound, not a forecast (docs/performance.md).
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/duband_process.h"
#include "tests/bench/load/load_flags.h"
#include "tests/bench/load/machine_cpu.h"
#include "tests/bench/load/phase_result.h"
#include "tests/bench/load/rpc_driver.h"
#include "tests/bench/load/work_dir.h"
#include "tests/bench/load/workloads.h"

namespace duban::load {

int ReplicationCommand() {
  const std::string duband = absl::GetFlag(FLAGS_duband);
  if (duband.empty()) {
    return CommandFailed("replication", absl::InvalidArgumentError("--duband is required"));
  }
  absl::StatusOr<WorkDir> work = WorkDir::Make();
  if (!work.ok()) return CommandFailed("replication", work.status());
  const std::string threads = absl::StrCat("--max_threads=", absl::GetFlag(FLAGS_max_threads));
  absl::StatusOr<std::unique_ptr<DubandProcess>> alone =
      DubandProcess::Start(duband, work->Fresh("alone"), {threads});
  if (!alone.ok()) return CommandFailed("replication", alone.status());
  absl::StatusOr<std::unique_ptr<DubandProcess>> primary = DubandProcess::Start(
      duband, work->Fresh("primary"), {threads, "--sync_replicas=1", "--sync_timeout=10s"});
  if (!primary.ok()) return CommandFailed("replication", primary.status());
  absl::StatusOr<std::unique_ptr<DubandProcess>> replica = DubandProcess::Start(
      duband, work->Fresh("replica"), {threads, absl::StrCat("--replica_of=", (*primary)->address())});
  if (!replica.ok()) return CommandFailed("replication", replica.status());
  std::cout << absl::StrFormat(
      "duband alone %s; duband %s with --sync_replicas=1 and its replica %s; concurrency %d, "
      "%s a phase\n",
      (*alone)->address(), (*primary)->address(), (*replica)->address(),
      absl::GetFlag(FLAGS_concurrency), absl::FormatDuration(absl::GetFlag(FLAGS_duration)));

  DriveOptions without{.target = (*alone)->address(),
                       .channels = absl::GetFlag(FLAGS_channels),
                       .concurrency = absl::GetFlag(FLAGS_concurrency),
                       .duration = absl::GetFlag(FLAGS_duration)};
  DriveOptions with = without;
  with.target = (*primary)->address();
  const WorkloadOptions workload{
      .token = absl::GetFlag(FLAGS_token),
      .run_id = absl::StrCat("replication-", absl::ToUnixMicros(absl::Now()))};
  absl::StatusOr<CallSource> create_alone = MakeWorkload("create", without.target, workload);
  if (!create_alone.ok()) return CommandFailed("replication", create_alone.status());
  absl::StatusOr<CallSource> create_synced = MakeWorkload("create", with.target, workload);
  if (!create_synced.ok()) return CommandFailed("replication", create_synced.status());

  PhaseTally alone_tally, synced_tally;
  RoundLog log;
  const int rounds = absl::GetFlag(FLAGS_rounds);
  for (int round = 1; round <= rounds; ++round) {
    std::cout << "round " << round << " of " << rounds << "\n";
    log.Show(WithMachineCpu([&] { return Drive(without, *create_alone, "CreateTicket alone"); }),
             alone_tally);
    log.Show(WithMachineCpu([&] {
               return Drive(with, *create_synced, "CreateTicket with 1 sync replica");
             }),
             synced_tally);
  }
  std::cout << "over " << rounds << " round(s):\n";
  for (PhaseTally* tally : {&alone_tally, &synced_tally}) {
    std::cout << "  " << Describe(tally->total) << "\n";
  }
  PrintRatio("CreateTicket with 1 sync replica / alone", synced_tally.total.Rate(),
             alone_tally.total.Rate(), 0);
  std::cout << absl::StrFormat("  (p99: %s with the replica, %s alone)\n",
                               Millis(synced_tally.total.Quantile(0.99)),
                               Millis(alone_tally.total.Quantile(0.99)));
  for (DubandProcess* server : {replica->get(), primary->get(), alone->get()}) {
    if (absl::Status stopped = server->Stop(); !stopped.ok()) {
      return CommandFailed("replication", stopped);
    }
  }
  if (log.failed) std::cout << "FAILED: a phase had errors or measured nothing\n";
  return log.failed ? 1 : 0;
}

}  // namespace duban::load
