// RunOpenLoop: an in-process phase of duban-load at a fixed arrival rate —
// `op` started `rate` times a second for `duration`, on `threads` worker
// threads, each call timed from when it was due (so time spent waiting for
// a free worker counts, as it would for a caller), all of it summed into
// one PhaseResult named `name`.
//
//   PhaseResult writes = RunOpenLoop("raw synced RocksDB @ 2000/s", 32, 2000,
//                                    absl::Seconds(5), [&](int) { return WriteOneBatch(); });
//
// `op(thread)` is called from up to `threads` threads at once, so at most
// `threads` calls are in flight (a backlog waits, and its wait counts); it
// returns OK, or the failure to count under its status code name. Every
// call due within `duration` runs, so an overloaded phase lasts longer.
// `rate` must be above 0.
#ifndef DUBAN_TESTS_BENCH_LOAD_OPEN_LOOP_H_
#define DUBAN_TESTS_BENCH_LOAD_OPEN_LOOP_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/bench/load/phase_result.h"

namespace duban::load {

PhaseResult RunOpenLoop(const std::string& name, int threads, double rate,
                        absl::Duration duration,
                        const std::function<absl::Status(int thread)>& op);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_OPEN_LOOP_H_
