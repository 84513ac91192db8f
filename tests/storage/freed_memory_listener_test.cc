// FreedMemoryListener: a store gives malloc's freed pages back to the
// kernel when a flush or a compaction completes.
#include "storage/freed_memory_listener.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/process_memory.h"
#include "storage/database.h"
#include "storage/memory_budget.h"
#include "tests/support/glibc_malloc.h"
#include "tests/support/scratch_dir.h"

namespace duban::storage {
namespace {

// Tells a fresh listener that a job completed (`completed`) while 80 MiB of
// small blocks lie freed between live ones: most of their pages leave the
// resident memory.
void ExpectFreedPagesBackWhen(const std::function<void(rocksdb::EventListener&)>& completed) {
  const std::shared_ptr<rocksdb::EventListener> listener = FreedMemoryListener();
  FreedButResident heap(80 << 20);
  const uint64_t before = ResidentBytes();
  completed(*listener);
  EXPECT_LE(ResidentBytes() + heap.freed_bytes() / 2, before);
}

TEST(FreedMemoryListenerTest, AFlushCompletedGivesFreedPagesBack) {
  if (!kGlibcMalloc) GTEST_SKIP() << "a sanitizer's malloc, not glibc's";
  ExpectFreedPagesBackWhen([](rocksdb::EventListener& listener) {
    listener.OnFlushCompleted(nullptr, rocksdb::FlushJobInfo());
  });
}

TEST(FreedMemoryListenerTest, ACompactionCompletedGivesFreedPagesBack) {
  if (!kGlibcMalloc) GTEST_SKIP() << "a sanitizer's malloc, not glibc's";
  ExpectFreedPagesBackWhen([](rocksdb::EventListener& listener) {
    listener.OnCompactionCompleted(nullptr, rocksdb::CompactionJobInfo());
  });
}

TEST(FreedMemoryListenerTest, EveryStoreListens) {
  testing::ScratchDir dir;
  absl::StatusOr<std::unique_ptr<Database>> database =
      Database::Open({.path = dir.path(), .memory = SmallestMemoryPlan()});
  ASSERT_TRUE(database.ok()) << database.status();
  const std::string name = FreedMemoryListener()->Name();
  const std::vector<std::shared_ptr<rocksdb::EventListener>> listeners =
      (*database)->db()->GetDBOptions().listeners;
  EXPECT_TRUE(std::any_of(listeners.begin(), listeners.end(),
                          [&](const auto& listener) { return listener->Name() == name; }));
}

}  // namespace
}  // namespace duban::storage
