#include "base/process_memory.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>

namespace duban {

uint64_t ResidentBytes() {
  // statm: total program size, then resident pages, ...
  std::ifstream statm("/proc/self/statm");
  uint64_t size_pages = 0;
  uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

void ReturnLargeBlocksWhenFreed() {
  // Setting it also turns off glibc's raising of it and of the trim
  // threshold.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}

void OneMallocArenaPerCore() {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  mallopt(M_ARENA_MAX, cores);
}

void ReturnFreedMemory() { malloc_trim(0); }

}  // namespace duban
