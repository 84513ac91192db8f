// ServerStatsOf: where the server's memory is and how large its store is,
// as AdminService.GetServerStats answers and MemoryMetrics exports
// (docs/performance.md, "Memory").
#ifndef DUBAN_SERVER_RUNTIME_SERVER_STATS_H_
#define DUBAN_SERVER_RUNTIME_SERVER_STATS_H_

#include "duban/v1/admin_service.pb.h"
#include "storage/database.h"

namespace duban {

// Reads RocksDB's counters and the process's RSS; cheap, thread-safe.
v1::ServerStats ServerStatsOf(const storage::Database& database);

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_SERVER_STATS_H_
