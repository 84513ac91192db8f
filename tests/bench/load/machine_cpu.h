// MachineBusy: the CPU time the whole machine has spent busy since boot —
// every process and the kernel, all cores (/proc/stat: user, nice, system,
// irq, softirq, steal; not idle or iowait). Two readings around a phase say
// what its operations cost the machine, load generator included — and
// anything else running then, so measure on an otherwise idle machine.
//
//   PhaseResult phase = WithMachineCpu([&] { return Drive(drive, calls, "create"); });
//   Describe(phase);   // "... machine 182 µs/op"
#ifndef DUBAN_TESTS_BENCH_LOAD_MACHINE_CPU_H_
#define DUBAN_TESTS_BENCH_LOAD_MACHINE_CPU_H_

#include <type_traits>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/bench/load/phase_result.h"

namespace duban::load {

// Zero when /proc/stat cannot be read.
absl::Duration MachineBusy();

// Runs `phase` — returning a PhaseResult or an absl::StatusOr of one — and
// sets the result's machine_busy to the machine's busy time during it.
template <typename Phase>
auto WithMachineCpu(Phase phase) -> decltype(phase()) {
  const absl::Duration before = MachineBusy();
  auto result = phase();
  const absl::Duration busy = MachineBusy() - before;
  if constexpr (std::is_same_v<decltype(result), PhaseResult>) {
    result.machine_busy = busy;
  } else if (result.ok()) {
    result->machine_busy = busy;
  }
  return result;
}

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_MACHINE_CPU_H_
