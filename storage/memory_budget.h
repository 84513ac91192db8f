// MemoryPlan: how duband's memory budget (`duband --memory_budget`) is
// divided, so a server that runs for months stays within it
// (docs/performance.md, "Memory").
//
//   ASSIGN_OR_RETURN(MemoryPlan plan, PlanMemory(256 << 20));
//   Database::Open({.path = dir, .memory = plan});
//
// The budget is the whole process's. A fixed part, kProcessReserve, is
// left for what is not RocksDB's — code, gRPC's threads and buffers, the
// calls in flight. Everything else is one block cache shared by all column
// families, and RocksDB charges to it what it holds in memory for long:
//   - memtables, through a WriteBufferManager: past 7/8 of
//     `write_buffers_bytes` in mutable memtables, or past all of it with
//     those being flushed, the largest family's is flushed. Writes do not
//     wait for it (a stalled write would wait forever on a flush a failing
//     disk never finishes), so the limit can be passed for as long as a
//     flush takes;
//   - index and filter blocks (those of level-0 files pinned, so a fresh
//     flush is never read without its filter);
//   - table readers;
//   - data blocks, which take the rest and are evicted first.
// The cache's limit is not strict: a read never fails because the cache is
// full; the cache then goes over for as long as the blocks are in use.
#ifndef DUBAN_STORAGE_MEMORY_BUDGET_H_
#define DUBAN_STORAGE_MEMORY_BUDGET_H_

#include <cstddef>

#include "absl/status/statusor.h"

namespace duban::storage {

inline constexpr size_t kMiB = size_t{1} << 20;
// The part of the budget that is not RocksDB's.
inline constexpr size_t kProcessReserve = 64 * kMiB;
// The smallest budget duband runs in: the reserve and a 64 MiB cache.
inline constexpr size_t kMinimumMemoryBudget = 128 * kMiB;
// duband's default.
inline constexpr size_t kDefaultMemoryBudget = 512 * kMiB;

struct MemoryPlan {
  // The whole process's budget.
  size_t budget_bytes = kDefaultMemoryBudget;
  // The shared block cache, memtables included.
  size_t cache_bytes = kDefaultMemoryBudget - kProcessReserve;
  // All memtables together (an eighth of the cache).
  size_t write_buffers_bytes = (kDefaultMemoryBudget - kProcessReserve) / 8;
  // One column family's memtable, flushed when full (a quarter of them).
  size_t write_buffer_bytes = (kDefaultMemoryBudget - kProcessReserve) / 32;
};

// The plan for `budget_bytes`: INVALID_ARGUMENT naming the minimum when it
// is below kMinimumMemoryBudget.
absl::StatusOr<MemoryPlan> PlanMemory(size_t budget_bytes);

// The plan for kMinimumMemoryBudget (tests).
MemoryPlan SmallestMemoryPlan();

// For a store opened briefly beside the live one (a backup's check): an
// 8 MiB cache and 2 MiB of memtables, within the process's reserve.
MemoryPlan ScratchMemoryPlan();

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_MEMORY_BUDGET_H_
