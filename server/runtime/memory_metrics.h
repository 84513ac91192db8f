// MemoryMetrics: the gauges Prometheus reads of where duband's memory is,
// at scrape time (the figures of AdminService.GetServerStats):
//
//   duban_memory_budget_bytes           duband --memory_budget
//   duban_process_resident_bytes        the process's resident memory (RSS)
//   duban_block_cache_capacity_bytes    the shared block cache's limit
//   duban_block_cache_usage_bytes       everything charged to it
//   duban_block_cache_pinned_bytes      of that, in use or pinned (memtables too)
//   duban_memtable_bytes                all memtables (charged to the cache)
//   duban_memtable_limit_bytes          near it the largest is flushed
//   duban_table_readers_bytes           open table files' readers
//
// Thread-safe.
#ifndef DUBAN_SERVER_RUNTIME_MEMORY_METRICS_H_
#define DUBAN_SERVER_RUNTIME_MEMORY_METRICS_H_

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "storage/database.h"

namespace duban {

class MemoryMetrics final : public prometheus::Collectable {
 public:
  // `database` is not owned and must outlive this.
  explicit MemoryMetrics(const storage::Database* database) : database_(*database) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const storage::Database& database_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_MEMORY_METRICS_H_
