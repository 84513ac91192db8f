#include "tests/bench/load/rocksdb_baseline.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include "server/domain/status_macros.h"
#include "storage/keys.h"

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
                                             int threads, absl::Duration duration) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> database,
                   storage::Database::Open({.path = path}));
  std::atomic<uint64_t> next_id{1};
  std::vector<PhaseResult> parts(static_cast<size_t>(threads));
  const auto begin = std::chrono::steady_clock::now();
  const auto end = begin + absl::ToChronoNanoseconds(duration);
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      rocksdb::WriteOptions synced;
      synced.sync = true;
      // Fractional key counts (2.3 index entries a ticket) are met on
      // average: operation i writes round((i+1)·k) − round(i·k) keys.
      uint64_t op = 0;
      while (std::chrono::steady_clock::now() < end) {
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
        const auto start = std::chrono::steady_clock::now();
        rocksdb::Status written = database->db()->Write(synced, &batch);
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
        if (written.ok()) {
          parts[static_cast<size_t>(t)].RecordOk(micros);
        } else {
          parts[static_cast<size_t>(t)].RecordError("ROCKSDB", written.ToString());
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  PhaseResult total;
  total.name = "raw synced RocksDB";
  total.elapsed = absl::FromChrono(std::chrono::steady_clock::now() - begin);
  for (const PhaseResult& part : parts) total.Merge(part);
  return total;
}

}  // namespace duban::load
