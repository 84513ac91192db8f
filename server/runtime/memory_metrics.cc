#include "server/runtime/memory_metrics.h"

#include "server/runtime/metric_family.h"
#include "server/runtime/server_stats.h"

namespace duban {

std::vector<prometheus::MetricFamily> MemoryMetrics::Collect() const {
  const v1::ServerStats stats = ServerStatsOf(database_);
  struct Gauge {
    const char* name;
    const char* help;
    int64_t value;
  };
  const Gauge gauges[] = {
      {"duban_memory_budget_bytes", "duband --memory_budget: the process's whole budget.",
       stats.memory_budget_bytes()},
      {"duban_process_resident_bytes", "The process's resident memory (RSS).",
       stats.resident_bytes()},
      {"duban_block_cache_capacity_bytes",
       "The limit of the block cache every column family shares; memtables, index and filter "
       "blocks and table readers are charged to it.",
       stats.block_cache_capacity_bytes()},
      {"duban_block_cache_usage_bytes", "Everything charged to the block cache.",
       stats.block_cache_usage_bytes()},
      {"duban_block_cache_pinned_bytes",
       "What of the block cache's usage is in use or pinned and cannot be evicted, the "
       "memtables' and table readers' charges included.",
       stats.block_cache_pinned_bytes()},
      {"duban_memtable_bytes", "All memtables: mutable, waiting to be flushed, or flushed and still read.",
       stats.memtable_bytes()},
      {"duban_memtable_limit_bytes", "The memtables' limit: near it the largest is flushed.",
       stats.memtable_limit_bytes()},
      {"duban_table_readers_bytes", "RocksDB's estimate of what open table files' readers hold.",
       stats.table_readers_bytes()},
  };
  std::vector<prometheus::MetricFamily> families;
  for (const Gauge& gauge : gauges) {
    prometheus::MetricFamily family = GaugeFamily(gauge.name, gauge.help);
    AddValue(family, static_cast<double>(gauge.value));
    families.push_back(std::move(family));
  }
  return families;
}

}  // namespace duban
