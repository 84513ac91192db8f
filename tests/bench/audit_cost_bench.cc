// What the tamper-evident history costs a write: a ticket-sized synced
// WriteBatch (ticket, event, nine index entries) written raw, against the
// same records written through Database::Write, which hashes each record,
// chains the event to the one before it and adds the audit log entries.
// Same bytes, same threads, same run; the ratio is printed at the end.
//
//   build/release/tests/bench/audit_cost_bench [--benchmark_min_time=2]
#include <benchmark/benchmark.h>

#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storage/database.h"
#include "storage/ticket_keys.h"
#include "tests/support/scratch_dir.h"

namespace duban::storage {
namespace {

constexpr int kIndexEntries = 9;

// One store per benchmark run, shared by its threads.
struct Store {
  testing::ScratchDir scratch;
  std::unique_ptr<Database> database;
  std::atomic<uint64_t> next_id{1};
};
std::unique_ptr<Store> store;

void OpenStore(const benchmark::State&) {
  store = std::make_unique<Store>();
  store->database = *Database::Open({.path = store->scratch.path() + "/db"});
}
void CloseStore(const benchmark::State&) { store.reset(); }

// A ticket's bytes, an event's and the index keys' of ticket `id`.
const std::string kTicketBytes(420, 't');
const std::string kEventBytes(260, 'e');

std::string IndexKey(uint64_t id, int i) {
  return std::string(1, static_cast<char>('a' + i)) + TicketKey(id);
}

void RawSyncedBatch(benchmark::State& state) {
  Database& database = *store->database;
  rocksdb::WriteOptions synced;
  synced.sync = true;
  for (auto _ : state) {
    const uint64_t id = store->next_id++;
    rocksdb::WriteBatch batch;
    batch.Put(database.family(Family::kTickets), TicketKey(id), kTicketBytes);
    batch.Put(database.family(Family::kEvents), EventKey(id, 1), kEventBytes);
    for (int i = 0; i < kIndexEntries; ++i) {
      batch.Put(database.family(Family::kTicketIndex), IndexKey(id, i), "");
    }
    // The bytes the audit log entries would add, so both write as much.
    batch.Put(database.family(Family::kLog), TicketKey(2 * id), std::string(50, 'l'));
    batch.Put(database.family(Family::kLog), TicketKey(2 * id + 1), std::string(42, 'l'));
    if (!database.db()->Write(synced, &batch).ok()) state.SkipWithError("write failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void AuditedWrite(benchmark::State& state) {
  Database& database = *store->database;
  for (auto _ : state) {
    const uint64_t id = store->next_id++;
    AuditedBatch batch;
    // As TicketStore does: the event carries its predecessor's hash.
    const std::string previous = Sha256Hex(kEventBytes);
    batch.PutRecord(AuditKind::kTicketEvent, database.family(Family::kEvents), EventKey(id, 1),
                    absl::StrCat(kEventBytes.substr(64), previous));
    batch.PutRecord(AuditKind::kTicket, database.family(Family::kTickets), TicketKey(id),
                    kTicketBytes);
    for (int i = 0; i < kIndexEntries; ++i) {
      batch.Put(database.family(Family::kTicketIndex), IndexKey(id, i), "");
    }
    if (!database.Write(batch, WriteOptions{}).ok()) state.SkipWithError("write failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void Sha256OfAnEvent(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Sha256Raw(kEventBytes));
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(RawSyncedBatch)
    ->Setup(OpenStore)
    ->Teardown(CloseStore)
    ->Threads(1)
    ->Threads(16)
    ->UseRealTime();
BENCHMARK(AuditedWrite)
    ->Setup(OpenStore)
    ->Teardown(CloseStore)
    ->Threads(1)
    ->Threads(16)
    ->UseRealTime();
BENCHMARK(Sha256OfAnEvent);

// Keeps each run's rate to print the ratios after the table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      auto rate = run.counters.find("items_per_second");
      if (rate != run.counters.end()) rates_[run.benchmark_name()] = rate->second;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const char* threads : {"threads:1", "threads:16"}) {
      const double raw = rates_[absl::StrCat("RawSyncedBatch/real_time/", threads)];
      const double audited = rates_[absl::StrCat("AuditedWrite/real_time/", threads)];
      if (raw > 0) {
        std::cout << absl::StrFormat("audited / raw synced writes, %s: %.0f / %.0f per s = %.2f\n",
                                     threads, audited, raw, audited / raw);
      }
    }
  }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace
}  // namespace duban::storage

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  duban::storage::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
