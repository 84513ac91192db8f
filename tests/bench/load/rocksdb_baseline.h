// The first limit duband sits on: synced RocksDB writes. RunSyncedBatches
// writes, from `threads` threads for `duration`, WriteBatches of the shape
// one CreateTicket writes (write_shape.h) — same column families, same key
// count, same bytes — with WriteOptions.sync = true, into a fresh store
// with duband's own options (storage::Database) at `path`. With a `rate`
// above 0 the writes arrive at that rate instead, in an open loop
// (open_loop.h), on the same threads.
//
//   PhaseResult raw = RunSyncedBatches(dir, shape, 32, absl::Seconds(10));
#ifndef DUBAN_TESTS_BENCH_LOAD_ROCKSDB_BASELINE_H_
#define DUBAN_TESTS_BENCH_LOAD_ROCKSDB_BASELINE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/bench/load/phase_result.h"
#include "tests/bench/load/write_shape.h"

namespace duban::load {

absl::StatusOr<PhaseResult> RunSyncedBatches(const std::string& path, const WriteShape& shape,
                                             int threads, absl::Duration duration,
                                             double rate = 0);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_ROCKSDB_BASELINE_H_
