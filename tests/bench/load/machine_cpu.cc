#include "tests/bench/load/machine_cpu.h"

#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

namespace duban::load {

absl::Duration MachineBusy() {
  std::ifstream stat("/proc/stat");
  std::string label;
  int64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  if (!(stat >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) ||
      label != "cpu") {
    return absl::ZeroDuration();
  }
  const int64_t ticks = user + nice + system + irq + softirq + steal;
  return absl::Seconds(static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK)));
}

}  // namespace duban::load
