// ResidentBytes: the memory this process holds in RAM now (Linux's RSS,
// /proc/self/statm), for the server's own metrics and `duban admin stats`.
#ifndef DUBAN_BASE_PROCESS_MEMORY_H_
#define DUBAN_BASE_PROCESS_MEMORY_H_

#include <cstdint>

namespace duban {

// 0 when /proc cannot be read.
uint64_t ResidentBytes();

}  // namespace duban

#endif  // DUBAN_BASE_PROCESS_MEMORY_H_
