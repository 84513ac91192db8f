// How base/process_memory.h sets glibc's malloc: large blocks mapped on
// their own, no more arenas than cores however many threads allocate, and
// freed pages given back on demand.
// ctest runs each test in a process of its own, so each sees malloc as
// duband's main does: set before any other thread has allocated.
#include "base/process_memory.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/glibc_malloc.h"

namespace duban {
namespace {

// The arenas malloc has now, the main one included (malloc_info's heaps).
int MallocArenas() {
  char* text = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  malloc_info(0, out);
  std::fclose(out);
  const std::string info(text, size);
  std::free(text);
  int arenas = 0;
  for (size_t at = info.find("<heap nr="); at != std::string::npos;
       at = info.find("<heap nr=", at + 1)) {
    ++arenas;
  }
  return arenas;
}

// Runs `count` threads that each allocate while all the others are alive,
// which is when glibc gives a thread an arena of its own.
void AllocateFromThreadsAtOnce(int count) {
  std::latch all_allocated(count);
  std::vector<std::thread> threads;
  for (int t = 0; t < count; ++t) {
    threads.emplace_back([&all_allocated] {
      void* block = std::malloc(1024);
      all_allocated.arrive_and_wait();
      std::free(block);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

int Cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

TEST(OneMallocArenaPerCoreTest, ManyThreadsAllocatingAtOnceShareAsManyArenasAsCores) {
  if (!kGlibcMalloc) GTEST_SKIP() << "a sanitizer's malloc, not glibc's";
  const int before = MallocArenas();
  ASSERT_GE(before, 1) << "malloc_info lists the main arena";
  OneMallocArenaPerCore();
  AllocateFromThreadsAtOnce(8 * Cores());
  // Without the setting glibc gives threads that allocate at once arenas of
  // their own, up to eight a core; on a two-core machine this then counts 3.
  EXPECT_LE(MallocArenas(), std::max(before, Cores()));
}

TEST(ReturnLargeBlocksWhenFreedTest, ABlockOf128KiBIsMappedAndUnmappedOnItsOwn) {
  if (!kGlibcMalloc) GTEST_SKIP() << "a sanitizer's malloc, not glibc's";
  ReturnLargeBlocksWhenFreed();
  // glibc raises its threshold to the size of a mapped block once one is
  // freed; the setting keeps it where it is.
  std::free(std::malloc(1 << 20));
  const size_t mapped_before = mallinfo2().hblkhd;
  void* block = std::malloc(200 * 1024);
  ASSERT_NE(block, nullptr);
  EXPECT_GE(mallinfo2().hblkhd, mapped_before + 200 * 1024);
  std::free(block);
  EXPECT_EQ(mallinfo2().hblkhd, mapped_before);
}

TEST(ReturnFreedMemoryTest, PagesOfFreedBlocksBetweenLiveOnesLeaveTheResidentMemory) {
  if (!kGlibcMalloc) GTEST_SKIP() << "a sanitizer's malloc, not glibc's";
  FreedButResident heap(80 << 20);
  const uint64_t before = ResidentBytes();
  ASSERT_GT(before, heap.freed_bytes()) << "the freed blocks' pages are still resident";
  ReturnFreedMemory();
  // Runs of fifteen freed blocks are 60,000 bytes: all but their first and
  // last page go back, about nine tenths.
  EXPECT_LE(ResidentBytes() + heap.freed_bytes() / 2, before);
}

}  // namespace
}  // namespace duban
