// duban-load threading: the choice of CreateTicket's threading, measured.
// CreateTicket served in this process with everything equal but the
// threading (create_server.h) — each handler in its own synced write on
// the synchronous pool; the same pool with one commit thread writing many
// creates to one write (duband's); the callback API with that commit
// thread — alternating with raw synced RocksDB in rounds; then each in an
// open loop at half the peak it reached, for its p99.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/create_server.h"
#include "tests/bench/load/load_flags.h"
#include "tests/bench/load/rocksdb_baseline.h"
#include "tests/bench/load/work_dir.h"
#include "tests/bench/load/workloads.h"

namespace duban::load {
namespace {

// One threading under test: its server, its calls and what they did.
struct Contender {
  std::string name;
  std::unique_ptr<CreateServer> server;
  DriveOptions drive;
  CallSource calls;
  PhaseTally tally;
};

}  // namespace

int ThreadingCommand() {
  absl::StatusOr<WorkDir> work = WorkDir::Make();
  if (!work.ok()) return CommandFailed("threading", work.status());
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int max_threads = absl::GetFlag(FLAGS_max_threads);
  absl::StatusOr<WriteShape> shape = MeasureCreateShape(work->Fresh("shape"), 100);
  if (!shape.ok()) return CommandFailed("threading", shape.status());
  WorkloadOptions workload{.token = absl::GetFlag(FLAGS_token),
                           .run_id = absl::StrCat("threading-", absl::ToUnixMicros(absl::Now()))};

  std::vector<Contender> contenders;
  for (auto [threading, name] :
       {std::pair{CreateThreading::kSyncEachWrites, "synchronous pool, each its own write"},
        std::pair{CreateThreading::kSyncCommitThread, "synchronous pool + commit thread"},
        std::pair{CreateThreading::kCallbackCommitThread, "callback API + commit thread"}}) {
    absl::StatusOr<std::unique_ptr<CreateServer>> server = CreateServer::Start(
        work->Fresh(absl::StrCat("store-", contenders.size())), threading, max_threads);
    if (!server.ok()) return CommandFailed("threading", server.status());
    DriveOptions drive{.target = (*server)->address(),
                       .channels = absl::GetFlag(FLAGS_channels),
                       .concurrency = concurrency,
                       .duration = absl::GetFlag(FLAGS_duration)};
    absl::StatusOr<CallSource> calls = MakeWorkload("create", drive.target, workload);
    if (!calls.ok()) return CommandFailed("threading", calls.status());
    contenders.push_back({name, *std::move(server), drive, *std::move(calls), {}});
  }
  std::cout << absl::StrFormat(
      "CreateTicket in-process, %d threads in each synchronous pool; concurrency %d, %d "
      "channels, %s a phase\n",
      max_threads, concurrency, absl::GetFlag(FLAGS_channels),
      absl::FormatDuration(absl::GetFlag(FLAGS_duration)));

  RoundLog log;
  for (Contender& contender : contenders) {
    DriveOptions warm = contender.drive;
    warm.duration = std::min(warm.duration, absl::Seconds(1));
    Drive(warm, contender.calls, "warm-up");
  }
  PhaseTally raw;
  const int rounds = absl::GetFlag(FLAGS_rounds);
  for (int round = 1; round <= rounds; ++round) {
    std::cout << "round " << round << " of " << rounds << "\n";
    absl::StatusOr<PhaseResult> batches =
        RunSyncedBatches(work->Fresh("raw"), *shape, concurrency, absl::GetFlag(FLAGS_duration));
    if (!batches.ok()) return CommandFailed("threading", batches.status());
    log.Show(*batches, raw);
    for (Contender& contender : contenders) {
      log.Show(Drive(contender.drive, contender.calls, "CreateTicket, " + contender.name),
           contender.tally);
    }
  }
  std::cout << "over " << rounds << " round(s):\n  " << Describe(raw.total) << "\n";
  for (Contender& contender : contenders) std::cout << "  " << Describe(contender.tally.total) << "\n";
  const double raw_rate = raw.total.Rate();
  const double baseline = contenders.front().tally.total.Rate();
  for (Contender& contender : contenders) {
    std::cout << absl::StrFormat(
        "THREADING %s: / raw synced RocksDB = %.2f; / each its own write = %.2f; %.1f creates a "
        "write\n",
        contender.name, contender.tally.total.Rate() / raw_rate,
        contender.tally.total.Rate() / baseline, contender.server->MeanGroupSize());
  }
  for (Contender& contender : contenders) {
    DriveOptions half = contender.drive;
    half.rate = contender.tally.total.Rate() / 2;
    PhaseResult open = Drive(half, contender.calls, "CreateTicket @ half, " + contender.name);
    std::cout << "  " << Describe(open) << std::endl;
    log.failed = log.failed || open.error_count() > 0 || open.ops == 0;
    std::cout << absl::StrFormat("P99 at half of peak, %s (%.1f ops/s offered) = %s\n",
                                 contender.name, half.rate, Millis(open.Quantile(0.99)));
  }
  if (log.failed) std::cout << "FAILED: a phase had errors or measured nothing\n";
  return log.failed ? 1 : 0;
}

}  // namespace duban::load
