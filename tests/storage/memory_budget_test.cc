// The memory budget: how it is divided, what is refused, and that a store
// written well past its memtables' share keeps them within it, charged to
// the one cache that reads also fill.
#include "storage/memory_budget.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "storage/database.h"
#include "tests/support/scratch_dir.h"

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

TEST(MemoryBudgetTest, DividesTheBudget) {
  absl::StatusOr<MemoryPlan> plan = PlanMemory(256 * kMiB);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->budget_bytes, 256 * kMiB);
  EXPECT_EQ(plan->cache_bytes, 192 * kMiB) << "all but 64 MiB for the process";
  EXPECT_EQ(plan->write_buffers_bytes, 24 * kMiB) << "an eighth of the cache";
  EXPECT_EQ(plan->write_buffer_bytes, 6 * kMiB) << "a quarter of that";
  EXPECT_EQ(PlanMemory(8192 * kMiB)->write_buffer_bytes, 64 * kMiB) << "RocksDB's default at most";
  const MemoryPlan defaults;
  const MemoryPlan planned = *PlanMemory(kDefaultMemoryBudget);
  EXPECT_EQ(defaults.budget_bytes, 512 * kMiB) << "the default";
  EXPECT_EQ(defaults.cache_bytes, planned.cache_bytes);
  EXPECT_EQ(defaults.write_buffers_bytes, planned.write_buffers_bytes);
  EXPECT_EQ(defaults.write_buffer_bytes, planned.write_buffer_bytes);
}

TEST(MemoryBudgetTest, RefusesABudgetTooSmallNamingTheMinimum) {
  absl::StatusOr<MemoryPlan> plan = PlanMemory(127 * kMiB);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(plan.status().message(), HasSubstr("127 MiB is too small"));
  EXPECT_THAT(plan.status().message(), HasSubstr("at least 128 MiB"));
  EXPECT_TRUE(PlanMemory(128 * kMiB).ok());
}

// Where batch `i` writes: eight families in turn, so that without the
// shared limit their memtables together (8 × 2 × 2 MiB) would hold far more.
Family FamilyOf(int i) {
  constexpr Family kFamilies[] = {Family::kTickets,   Family::kEvents,    Family::kTicketIndex,
                                  Family::kDirectory, Family::kReferrals, Family::kLedger,
                                  Family::kDraws,     Family::kAuth};
  return kFamilies[i % 8];
}

// Incompressible, so the bytes written are the bytes held.
std::string RandomValue(std::mt19937_64& random, size_t size) {
  std::string value(size, '\0');
  for (char& c : value) c = static_cast<char>(random());
  return value;
}

TEST(MemoryBudgetTest, MemtablesStayWithinTheirShareOfTheCache) {
  duban::testing::ScratchDir scratch;
  const MemoryPlan plan = SmallestMemoryPlan();
  absl::StatusOr<std::unique_ptr<Database>> opened =
      Database::Open({.path = scratch.path() + "/store", .memory = plan});
  ASSERT_TRUE(opened.ok()) << opened.status();
  Database& database = **opened;

  // Three times the memtables' share.
  std::mt19937_64 random(7);
  uint64_t most_memtables = 0;
  const int batches = static_cast<int>(3 * plan.write_buffers_bytes / (64 * 1024));
  for (int i = 0; i < batches; ++i) {
    AuditedBatch batch;
    batch.PutRecord(AuditKind::kTicket, database.family(FamilyOf(i)), absl::StrCat("k", i),
                    RandomValue(random, 64 * 1024));
    ASSERT_TRUE(database.Write(batch, WriteOptions{}).ok());
    const MemoryUsage usage = database.memory_usage();
    most_memtables = std::max(most_memtables, usage.memtables);
    ASSERT_LE(usage.memtables, plan.write_buffers_bytes + plan.write_buffer_bytes)
        << "after batch " << i;
    ASSERT_GE(usage.cache_usage, usage.memtables) << "memtables are charged to the cache";
  }
  EXPECT_GE(most_memtables, plan.write_buffers_bytes / 2) << "the memtables did fill";
  EXPECT_GT(database.SummedProperty("rocksdb.total-sst-files-size"), 2 * plan.write_buffers_bytes)
      << "what did not fit was flushed";

  // Reading the flushed files brings their blocks into the same cache,
  // and their readers are counted.
  const MemoryUsage written = database.memory_usage();
  std::string value;
  for (int i = 0; i < batches; i += 7) {
    ASSERT_TRUE(database.db()
                    ->Get(rocksdb::ReadOptions(), database.family(FamilyOf(i)),
                          absl::StrCat("k", i), &value)
                    .ok());
  }
  const MemoryUsage read = database.memory_usage();
  EXPECT_GT(read.cache_usage, written.cache_usage);
  EXPECT_GT(read.cache_pinned, 0u);
  EXPECT_GT(read.table_readers, 0u);
  EXPECT_LE(read.cache_usage, plan.cache_bytes + plan.write_buffer_bytes);
  EXPECT_EQ(read.plan.budget_bytes, plan.budget_bytes);
}

}  // namespace
}  // namespace duban::storage
