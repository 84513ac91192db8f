// duban-load threading: the choice of the server's threading, measured.
// CreateTicket served in this process with everything equal but the
// threading (create_server.h) — the synchronous pool duband uses, and the
// callback API with --commit_threads threads writing many creates to one
// synced write — alternating with raw synced RocksDB in rounds; then each
// in an open loop at half the peak it reached, for its p99.
#include <iostream>

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

int ThreadingCommand() {
  absl::StatusOr<WorkDir> work = WorkDir::Make();
  if (!work.ok()) return CommandFailed("threading", work.status());
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int max_threads = absl::GetFlag(FLAGS_max_threads);
  const int commit_threads = absl::GetFlag(FLAGS_commit_threads);
  absl::StatusOr<WriteShape> shape = MeasureCreateShape(work->Fresh("shape"), 100);
  if (!shape.ok()) return CommandFailed("threading", shape.status());

  absl::StatusOr<std::unique_ptr<CreateServer>> sync =
      CreateServer::Start(work->Fresh("sync"), ServerApi::kSync, max_threads, 0);
  if (!sync.ok()) return CommandFailed("threading", sync.status());
  absl::StatusOr<std::unique_ptr<CreateServer>> callback =
      CreateServer::Start(work->Fresh("callback"), ServerApi::kCallback, 0, commit_threads);
  if (!callback.ok()) return CommandFailed("threading", callback.status());
  std::cout << absl::StrFormat(
      "CreateTicket in-process: synchronous pool (%d threads) on %s, callback API with %d "
      "commit thread(s) on %s; concurrency %d, %d channels, %s a phase\n",
      max_threads, (*sync)->address(), commit_threads, (*callback)->address(), concurrency,
      absl::GetFlag(FLAGS_channels), absl::FormatDuration(absl::GetFlag(FLAGS_duration)));

  WorkloadOptions workload{.token = absl::GetFlag(FLAGS_token),
                           .run_id = absl::StrCat("threading-", absl::ToUnixMicros(absl::Now()))};
  DriveOptions sync_drive{.target = (*sync)->address(),
                          .channels = absl::GetFlag(FLAGS_channels),
                          .concurrency = concurrency,
                          .duration = absl::GetFlag(FLAGS_duration)};
  DriveOptions callback_drive = sync_drive;
  callback_drive.target = (*callback)->address();
  absl::StatusOr<CallSource> sync_creates = MakeWorkload("create", sync_drive.target, workload);
  if (!sync_creates.ok()) return CommandFailed("threading", sync_creates.status());
  absl::StatusOr<CallSource> callback_creates =
      MakeWorkload("create", callback_drive.target, workload);
  if (!callback_creates.ok()) return CommandFailed("threading", callback_creates.status());

  PhaseTally raw, on_sync, on_callback;
  bool failed = false;
  auto show = [&failed](PhaseResult phase, PhaseTally& tally) {
    std::cout << "  " << Describe(phase) << std::endl;
    failed = failed || phase.error_count() > 0 || phase.ops == 0;
    tally.Add(phase);
  };
  for (DriveOptions* drive : {&sync_drive, &callback_drive}) {
    DriveOptions warm = *drive;
    warm.duration = std::min(drive->duration, absl::Seconds(1));
    Drive(warm, drive == &sync_drive ? *sync_creates : *callback_creates, "warm-up");
  }
  const int rounds = absl::GetFlag(FLAGS_rounds);
  for (int round = 1; round <= rounds; ++round) {
    std::cout << "round " << round << " of " << rounds << "\n";
    absl::StatusOr<PhaseResult> batches =
        RunSyncedBatches(work->Fresh("raw"), *shape, concurrency, sync_drive.duration);
    if (!batches.ok()) return CommandFailed("threading", batches.status());
    show(*batches, raw);
    show(Drive(sync_drive, *sync_creates, "CreateTicket, synchronous pool"), on_sync);
    show(Drive(callback_drive, *callback_creates, "CreateTicket, callback + commit thread"),
         on_callback);
  }
  std::cout << "over " << rounds << " round(s):\n";
  for (PhaseTally* tally : {&raw, &on_sync, &on_callback}) {
    std::cout << "  " << Describe(tally->total) << "\n";
  }
  const double raw_rate = raw.total.Rate();
  std::cout << absl::StrFormat(
      "THREADING synchronous pool / raw synced RocksDB = %.2f; callback + commit thread / raw = "
      "%.2f; callback / synchronous = %.2f (%.1f creates a write)\n",
      on_sync.total.Rate() / raw_rate, on_callback.total.Rate() / raw_rate,
      on_callback.total.Rate() / on_sync.total.Rate(), (*callback)->MeanGroupSize());

  for (auto [drive, calls, tally, name] :
       {std::tuple{&sync_drive, &*sync_creates, &on_sync, "synchronous pool"},
        std::tuple{&callback_drive, &*callback_creates, &on_callback, "callback + commit thread"}}) {
    DriveOptions half = *drive;
    half.rate = tally->total.Rate() / 2;
    PhaseResult open = Drive(half, *calls, absl::StrCat("CreateTicket @ half, ", name));
    std::cout << "  " << Describe(open) << std::endl;
    failed = failed || open.error_count() > 0 || open.ops == 0;
    std::cout << absl::StrFormat("P99 at half of peak, %s (%.1f ops/s offered) = %s\n", name,
                                 half.rate, Millis(open.Quantile(0.99)));
  }
  if (failed) std::cout << "FAILED: a phase had errors or measured nothing\n";
  return failed ? 1 : 0;
}

}  // namespace duban::load
