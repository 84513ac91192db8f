#include "tests/bench/load/open_loop.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <thread>
#include <vector>

#include "base/mutex.h"

namespace duban::load {
namespace {

using Clock = std::chrono::steady_clock;

// The due times of calls not yet taken by a worker, and whether the
// arrivals have ended.
struct Arrivals {
  Mutex mutex;
  CondVar changed;  // signalled when a due time is added or the arrivals end
  std::deque<Clock::time_point> due ABSL_GUARDED_BY(mutex);
  bool ended ABSL_GUARDED_BY(mutex) = false;
};

}  // namespace

PhaseResult RunOpenLoop(const std::string& name, int threads, double rate,
                        absl::Duration duration,
                        const std::function<absl::Status(int thread)>& op) {
  if (!(rate > 0) || threads < 1) {
    PhaseResult refused;
    refused.name = name;
    refused.RecordError("INVALID_ARGUMENT", "an open loop needs a rate above 0 and a thread");
    return refused;
  }
  Arrivals arrivals;
  std::vector<PhaseResult> parts(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      PhaseResult& part = parts[static_cast<size_t>(t)];
      for (;;) {
        Clock::time_point due;
        {
          MutexLock lock(&arrivals.mutex);
          while (!arrivals.ended && arrivals.due.empty()) arrivals.changed.Wait(&arrivals.mutex);
          if (arrivals.due.empty()) return;
          due = arrivals.due.front();
          arrivals.due.pop_front();
        }
        const absl::Status done = op(t);
        const auto micros =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - due).count();
        if (done.ok()) {
          part.RecordOk(micros);
        } else {
          part.RecordError(absl::StatusCodeToString(done.code()), std::string(done.message()));
        }
      }
    });
  }
  const Clock::time_point begin = Clock::now();
  const Clock::time_point end = begin + absl::ToChronoNanoseconds(duration);
  const auto interval =
      std::chrono::nanoseconds(std::max<int64_t>(1, static_cast<int64_t>(1e9 / rate)));
  for (Clock::time_point due = begin; due < end; due += interval) {
    std::this_thread::sleep_until(due);
    MutexLock lock(&arrivals.mutex);
    arrivals.due.push_back(due);
    arrivals.changed.Signal();
  }
  {
    MutexLock lock(&arrivals.mutex);
    arrivals.ended = true;
    arrivals.changed.SignalAll();
  }
  for (std::thread& worker : workers) worker.join();
  PhaseResult total;
  total.name = name;
  total.elapsed = absl::FromChrono(Clock::now() - begin);
  for (const PhaseResult& part : parts) total.Merge(part);
  return total;
}

}  // namespace duban::load
