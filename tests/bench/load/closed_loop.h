// RunClosedLoop: the in-process phases of duban-load — `threads` threads
// each calling `op` back to back until `duration` has passed, every call
// timed, all of it summed into one PhaseResult named `name`.
//
//   PhaseResult writes = RunClosedLoop("raw synced RocksDB", 32, absl::Seconds(5),
//                                      [&](int thread) { return WriteOneBatch(thread); });
//
// `op(thread)` is called from all `threads` threads at once (`thread` in
// [0, threads) says which); it returns OK, or the failure to count under
// its status code name.
#ifndef DUBAN_TESTS_BENCH_LOAD_CLOSED_LOOP_H_
#define DUBAN_TESTS_BENCH_LOAD_CLOSED_LOOP_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/bench/load/phase_result.h"

namespace duban::load {

PhaseResult RunClosedLoop(const std::string& name, int threads, absl::Duration duration,
                          const std::function<absl::Status(int thread)>& op);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_CLOSED_LOOP_H_
