#include "tests/bench/load/closed_loop.h"

#include <chrono>
#include <thread>
#include <vector>

namespace duban::load {

PhaseResult RunClosedLoop(const std::string& name, int threads, absl::Duration duration,
                          const std::function<absl::Status(int thread)>& op) {
  std::vector<PhaseResult> parts(static_cast<size_t>(threads));
  const auto begin = std::chrono::steady_clock::now();
  const auto end = begin + absl::ToChronoNanoseconds(duration);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      PhaseResult& part = parts[static_cast<size_t>(t)];
      while (std::chrono::steady_clock::now() < end) {
        const auto start = std::chrono::steady_clock::now();
        const absl::Status done = op(t);
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
        if (done.ok()) {
          part.RecordOk(micros);
        } else {
          part.RecordError(absl::StatusCodeToString(done.code()), std::string(done.message()));
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  PhaseResult total;
  total.name = name;
  total.elapsed = absl::FromChrono(std::chrono::steady_clock::now() - begin);
  for (const PhaseResult& part : parts) total.Merge(part);
  return total;
}

}  // namespace duban::load
