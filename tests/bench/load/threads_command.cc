// duban-load threads: CreateTicket throughput and p99 for every
// --threads_list (duband --max_threads) × --concurrency_list, each against
// a fresh store, with raw synced RocksDB at the same concurrency beside it.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/duband_process.h"
#include "tests/bench/load/load_flags.h"
#include "tests/bench/load/rocksdb_baseline.h"
#include "tests/bench/load/work_dir.h"
#include "tests/bench/load/workloads.h"

namespace duban::load {
namespace {

std::vector<int> Numbers(const std::string& list) {
  std::vector<int> numbers;
  for (absl::string_view word : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    int number = 0;
    if (absl::SimpleAtoi(word, &number)) numbers.push_back(number);
  }
  return numbers;
}

}  // namespace

int ThreadsCommand() {
  const std::string duband = absl::GetFlag(FLAGS_duband);
  if (duband.empty()) return CommandFailed("threads", absl::InvalidArgumentError("--duband is required"));
  absl::StatusOr<WorkDir> work = WorkDir::Make();
  if (!work.ok()) return CommandFailed("threads", work.status());
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const std::vector<int> thread_counts = Numbers(absl::GetFlag(FLAGS_threads_list));
  const std::vector<int> concurrencies = Numbers(absl::GetFlag(FLAGS_concurrency_list));

  absl::StatusOr<WriteShape> shape = MeasureCreateShape(work->Fresh("shape"), 100);
  if (!shape.ok()) return CommandFailed("threads", shape.status());
  bool failed = false;
  std::vector<std::string> rows;
  for (int concurrency : concurrencies) {
    absl::StatusOr<PhaseResult> raw =
        RunSyncedBatches(work->Fresh("raw"), *shape, concurrency, duration);
    if (!raw.ok()) return CommandFailed("threads", raw.status());
    std::cout << "concurrency " << concurrency << ": " << Describe(*raw) << std::endl;
    rows.push_back(absl::StrFormat("| raw synced RocksDB | %d | %.0f | %s | %d |", concurrency,
                                   raw->Rate(), Millis(raw->Quantile(0.99)), raw->error_count()));
  }
  for (int threads : thread_counts) {
    absl::StatusOr<std::unique_ptr<DubandProcess>> server = DubandProcess::Start(
        duband, work->Fresh("duband"), {absl::StrCat("--max_threads=", threads)});
    if (!server.ok()) return CommandFailed("threads", server.status());
    WorkloadOptions workload{.token = absl::GetFlag(FLAGS_token),
                             .run_id = absl::StrCat("threads-", absl::ToUnixMicros(absl::Now()))};
    absl::StatusOr<CallSource> create = MakeWorkload("create", (*server)->address(), workload);
    if (!create.ok()) return CommandFailed("threads", create.status());
    DriveOptions drive{.target = (*server)->address(),
                       .channels = absl::GetFlag(FLAGS_channels),
                       .duration = std::min(duration, absl::Seconds(1))};
    Drive(drive, *create, "warm-up");
    drive.duration = duration;
    for (int concurrency : concurrencies) {
      drive.concurrency = concurrency;
      PhaseResult result =
          Drive(drive, *create, absl::StrCat("create t", threads, " c", concurrency));
      std::cout << Describe(result) << std::endl;
      failed = failed || result.error_count() > 0 || result.ops == 0;
      rows.push_back(absl::StrFormat("| duband --max_threads=%d | %d | %.0f | %s | %d |", threads,
                                     concurrency, result.Rate(), Millis(result.Quantile(0.99)),
                                     result.error_count()));
    }
    if (absl::Status stopped = (*server)->Stop(); !stopped.ok()) return CommandFailed("threads", stopped);
  }
  std::cout
      << "\n| CreateTicket via | concurrency | ops/s | p99 | errors |\n|---|---|---|---|---|\n";
  for (const std::string& row : rows) std::cout << row << "\n";
  return failed ? 1 : 0;
}

}  // namespace duban::load
