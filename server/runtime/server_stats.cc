#include "server/runtime/server_stats.h"

#include "base/process_memory.h"

namespace duban {

v1::ServerStats ServerStatsOf(const storage::Database& database) {
  const storage::MemoryUsage memory = database.memory_usage();
  v1::ServerStats stats;
  stats.set_memory_budget_bytes(static_cast<int64_t>(memory.plan.budget_bytes));
  stats.set_resident_bytes(static_cast<int64_t>(ResidentBytes()));
  stats.set_block_cache_capacity_bytes(static_cast<int64_t>(memory.plan.cache_bytes));
  stats.set_block_cache_usage_bytes(static_cast<int64_t>(memory.cache_usage));
  stats.set_block_cache_pinned_bytes(static_cast<int64_t>(memory.cache_pinned));
  stats.set_memtable_bytes(static_cast<int64_t>(memory.memtables));
  stats.set_memtable_limit_bytes(static_cast<int64_t>(memory.plan.write_buffers_bytes));
  stats.set_table_readers_bytes(static_cast<int64_t>(memory.table_readers));
  stats.set_store_size_bytes(
      static_cast<int64_t>(database.SummedProperty("rocksdb.total-sst-files-size")));
  stats.set_sequence(static_cast<int64_t>(database.latest_sequence()));
  return stats;
}

}  // namespace duban
