#include "tests/bench/load/rocksdb_baseline.h"

#include <atomic>
#include <cmath>
#include <vector>

#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "storage/ticket_keys.h"
#include "tests/bench/load/closed_loop.h"
#include "tests/bench/load/open_loop.h"

namespace duban::load {
namespace {

// `size` bytes starting with the big-endian `id`, so keys are unique and
// arrive in order, as ticket ids do.
std::string KeyOf(uint64_t id, int part, size_t size) {
  std::string key = storage::TicketKey(id);
  key.push_back(static_cast<char>(part));
  key.resize(std::max(size, key.size()), 'k');
  return key;
}

}  // namespace

absl::StatusOr<PhaseResult> RunSyncedBatches(const std::string& path, const WriteShape& shape,
                                             int threads, absl::Duration duration, double rate) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> database,
                   storage::Database::Open({.path = path}));
  std::atomic<uint64_t> next_id{1};
  // Each thread's operations so far. Fractional key counts (2.3 index
  // entries a ticket) are met on average: operation i writes
  // round((i+1)·k) − round(i·k) keys.
  std::vector<uint64_t> ops(static_cast<size_t>(threads), 0);
  auto write = [&](int thread) {
    uint64_t& op = ops[static_cast<size_t>(thread)];
    const uint64_t id = next_id.fetch_add(1);
    rocksdb::WriteBatch batch;
    for (const FamilyWrites& f : shape.families) {
      const int keys = static_cast<int>(std::llround(static_cast<double>(op + 1) * f.keys) -
                                        std::llround(static_cast<double>(op) * f.keys));
      const std::string value(static_cast<size_t>(f.value_bytes), 'v');
      for (int k = 0; k < keys; ++k) {
        batch.Put(database->family(f.family), KeyOf(id, k, static_cast<size_t>(f.key_bytes)),
                  value);
      }
    }
    ++op;
    rocksdb::WriteOptions synced;
    synced.sync = true;
    return storage::FromRocks(database->db()->Write(synced, &batch), "write");
  };
  if (rate > 0) {
    return RunOpenLoop(absl::StrFormat("raw synced RocksDB @ %.0f/s", rate), threads, rate,
                       duration, write);
  }
  return RunClosedLoop("raw synced RocksDB", threads, duration, write);
}

}  // namespace duban::load
