// duban-load run: one workload against a running duband, and with
// --baseline the two limits beside it at the same concurrency.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/empty_unary_server.h"
#include "tests/bench/load/load_flags.h"
#include "tests/bench/load/rocksdb_baseline.h"
#include "tests/bench/load/work_dir.h"
#include "tests/bench/load/workloads.h"

namespace duban::load {

int RunCommand() {
  DriveOptions drive{.target = absl::GetFlag(FLAGS_server),
                     .channels = absl::GetFlag(FLAGS_channels),
                     .concurrency = absl::GetFlag(FLAGS_concurrency),
                     .duration = absl::GetFlag(FLAGS_duration),
                     .rate = absl::GetFlag(FLAGS_rate)};
  WorkloadOptions workload{.token = absl::GetFlag(FLAGS_token),
                           .list_filter = absl::GetFlag(FLAGS_list_filter),
                           .pool = absl::GetFlag(FLAGS_pool),
                           .run_id = absl::StrCat("load-", absl::ToUnixMicros(absl::Now()))};
  const std::string name = absl::GetFlag(FLAGS_workload);
  absl::StatusOr<CallSource> calls = MakeWorkload(name, drive.target, workload);
  if (!calls.ok()) {
    std::cerr << "duban-load: " << calls.status() << "\n";
    return 1;
  }
  PhaseResult result = Drive(drive, *calls, name);
  std::cout << Describe(result) << std::endl;
  bool failed = result.error_count() > 0 || result.ops == 0;
  if (!absl::GetFlag(FLAGS_baseline)) return failed ? 1 : 0;

  absl::StatusOr<WorkDir> work = WorkDir::Make();
  if (!work.ok()) {
    std::cerr << "duban-load: " << work.status() << "\n";
    return 1;
  }
  absl::StatusOr<WriteShape> shape = MeasureCreateShape(work->Fresh("shape"), 100);
  if (!shape.ok()) {
    std::cerr << "duban-load: " << shape.status() << "\n";
    return 1;
  }
  std::cout << "one CreateTicket writes: " << shape->Describe() << "\n";
  absl::StatusOr<PhaseResult> raw =
      RunSyncedBatches(work->Fresh("raw"), *shape, drive.concurrency, drive.duration);
  if (!raw.ok()) {
    std::cerr << "duban-load: " << raw.status() << "\n";
    return 1;
  }
  std::cout << Describe(*raw) << std::endl;
  absl::StatusOr<std::unique_ptr<EmptyUnaryServer>> empty =
      EmptyUnaryServer::Start(absl::GetFlag(FLAGS_max_threads), ServerApi::kSync);
  if (!empty.ok()) {
    std::cerr << "duban-load: " << empty.status() << "\n";
    return 1;
  }
  DriveOptions empty_drive = drive;
  empty_drive.target = (*empty)->address();
  absl::StatusOr<CallSource> health = MakeWorkload("empty", empty_drive.target, workload);
  PhaseResult unary = Drive(empty_drive, *health, "empty unary");
  std::cout << Describe(unary) << std::endl;
  std::cout << absl::StrFormat("RATIO %s / raw synced RocksDB = %.2f;  %s / empty unary = %.2f\n",
                               name, result.Rate() / raw->Rate(), name,
                               result.Rate() / unary.Rate());
  failed = failed || raw->error_count() > 0 || unary.error_count() > 0;
  return failed ? 1 : 0;
}

}  // namespace duban::load
