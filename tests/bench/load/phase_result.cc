#include "tests/bench/load/phase_result.h"

#include <algorithm>
#include <cmath>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace duban::load {

void PhaseResult::RecordOk(int64_t latency_us) {
  ++ops;
  latencies_us.push_back(latency_us);
}

void PhaseResult::RecordError(const std::string& code, const std::string& message) {
  ++errors[code];
  error_samples.emplace(code, message);
}

void PhaseResult::Merge(const PhaseResult& other) {
  ops += other.ops;
  latencies_us.insert(latencies_us.end(), other.latencies_us.begin(), other.latencies_us.end());
  for (const auto& [code, count] : other.errors) errors[code] += count;
  for (const auto& sample : other.error_samples) error_samples.insert(sample);
}

int64_t PhaseResult::error_count() const {
  int64_t total = 0;
  for (const auto& [code, count] : errors) total += count;
  return total;
}

double PhaseResult::Rate() const {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<double>(ops) / seconds : 0;
}

double PhaseResult::MachineMicrosPerOp() const {
  if (ops == 0) return 0;
  return absl::ToDoubleMicroseconds(machine_busy) / static_cast<double>(ops);
}

int64_t PhaseResult::Quantile(double q) {
  if (latencies_us.empty()) return 0;
  std::sort(latencies_us.begin(), latencies_us.end());
  // Nearest rank: the smallest latency at least q of the operations had.
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(latencies_us.size())));
  return latencies_us[std::clamp<size_t>(rank, 1, latencies_us.size()) - 1];
}

std::string Millis(int64_t micros) {
  return absl::StrFormat("%.2f ms", static_cast<double>(micros) / 1000);
}

std::string Describe(PhaseResult& result) {
  std::string line =
      absl::StrFormat("%-22s %9.1f ops/s  %7d ops in %5.2f s  p50 %s  p90 %s  p99 %s  p99.9 %s",
                      result.name, result.Rate(), result.ops, absl::ToDoubleSeconds(result.elapsed),
                      Millis(result.Quantile(0.5)), Millis(result.Quantile(0.9)),
                      Millis(result.Quantile(0.99)), Millis(result.Quantile(0.999)));
  if (result.machine_busy > absl::ZeroDuration()) {
    absl::StrAppend(&line, absl::StrFormat("  machine %.0f µs/op", result.MachineMicrosPerOp()));
  }
  if (result.errors.empty()) return absl::StrCat(line, "  errors: none");
  absl::StrAppend(&line, "  ERRORS:");
  for (const auto& [code, count] : result.errors) {
    absl::StrAppend(&line, " ", code, "=", count, " (", result.error_samples[code], ")");
  }
  return line;
}

void RoundLog::Show(PhaseResult phase, PhaseTally& tally) {
  std::cout << "  " << Describe(phase) << std::endl;
  failed = failed || phase.error_count() > 0 || phase.ops == 0;
  tally.Add(phase);
}

void PrintRatio(const std::string& what, double numerator, double denominator, double target) {
  const double ratio = denominator > 0 ? numerator / denominator : 0;
  if (target <= 0) {
    std::cout << absl::StrFormat("RATIO %s = %.1f / %.1f ops/s = %.2f\n", what, numerator,
                                 denominator, ratio);
    return;
  }
  std::cout << absl::StrFormat("RATIO %s = %.1f / %.1f ops/s = %.2f (target >= %.2f: %s)\n", what,
                               numerator, denominator, ratio, target,
                               ratio >= target ? "met" : "MISSED");
}

}  // namespace duban::load
