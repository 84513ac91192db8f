// PhaseResult: what one measured phase of duban-load did — how many
// operations succeeded in how long, their latencies, and the failures by
// status code — and the one-line summary every subcommand prints.
//
//   PhaseResult result = Drive(options, calls, "create");
//   std::cout << Describe(result) << "\n";   // "create  1234.5 ops/s  p50 ..."
//
// Not thread-safe: each thread fills its own and Merge joins them.
#ifndef DUBAN_TESTS_BENCH_LOAD_PHASE_RESULT_H_
#define DUBAN_TESTS_BENCH_LOAD_PHASE_RESULT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace duban::load {

struct PhaseResult {
  std::string name;
  // Successful operations and their latencies in microseconds.
  int64_t ops = 0;
  std::vector<int64_t> latencies_us;
  // Wall time of the phase.
  absl::Duration elapsed;
  // CPU time the whole machine spent busy during the phase, when measured
  // (machine_cpu.h); zero otherwise.
  absl::Duration machine_busy;
  // Failed operations by status code name ("ABORTED"), with one message
  // of each code to say why.
  std::map<std::string, int64_t> errors;
  std::map<std::string, std::string> error_samples;

  void RecordOk(int64_t latency_us);
  void RecordError(const std::string& code, const std::string& message);
  // Adds `other`'s operations (not its elapsed time).
  void Merge(const PhaseResult& other);

  int64_t error_count() const;
  // Successful operations per second of wall time.
  double Rate() const;
  // Machine CPU time per successful operation, in µs; 0 when not measured.
  double MachineMicrosPerOp() const;
  // The latency (µs) at quantile `q` in [0, 1]; 0 when nothing succeeded.
  // Sorts latencies_us.
  int64_t Quantile(double q);
};

// The phases of one kind over several rounds, as one: operations merged,
// elapsed times added.
struct PhaseTally {
  PhaseResult total;
  void Add(const PhaseResult& phase) {
    total.name = phase.name;
    total.Merge(phase);
    total.elapsed += phase.elapsed;
    total.machine_busy += phase.machine_busy;
  }
};

// "create            4321.0 ops/s  p50 1.20 ms  p90 ...  errors: none".
std::string Describe(PhaseResult& result);

// The phases of a measuring command's rounds: each printed as it ends and
// added to its tally; `failed` once any had an error or nothing succeeded.
struct RoundLog {
  bool failed = false;
  void Show(PhaseResult phase, PhaseTally& tally);
};

// Prints "RATIO <what> = 812.0 / 1015.0 ops/s = 0.80 (target >= 0.70: met)";
// without the target when `target` is 0 (a comparison, not a goal).
void PrintRatio(const std::string& what, double numerator, double denominator, double target);

// Microseconds as "1.23 ms".
std::string Millis(int64_t micros);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_PHASE_RESULT_H_
