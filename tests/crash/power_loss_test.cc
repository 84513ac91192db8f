// power_loss_test: power cuts under load, on the real stores. Each run opens
// a store on a PowerLossFileSystem and lets eight StoreWriters, an
// escalation sweeper and a thread that flushes and compacts RocksDB work on
// it at once. After a random number of acknowledged steps the power is cut
// (every later write and sync fails), the store is closed, the files are cut
// back to what was synced (names never made durable removed) and the store
// is reopened on what survived. The steps the cut interrupted are re-done
// with their request keys; then every acknowledged step must be there,
// event for event, and the store must be consistent (indexes, log,
// referrals, ledger, audit chain) with no create applied twice and no ladder
// level fired twice in one stage cycle. Each run cuts the power twice, the
// second time on the store recovered from the first.
//
// DUBAN_POWER_LOSS_RUNS sets the number of runs (default 20); see
// tests/crash/crash_options.h and docs/crash-safety.md.
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "tests/crash/crash_options.h"
#include "tests/crash/power_loss_file_system.h"
#include "tests/crash/store_after_crash.h"
#include "tests/crash/store_writer.h"
#include "tests/support/scratch_dir.h"

namespace duban::testing {
namespace {

constexpr int kDefaultRuns = 20;
constexpr int kWriters = 8;
constexpr int kCutsPerRun = 2;
// The power is cut once this many steps (uniformly at random) have been
// acknowledged since the store was opened.
constexpr int kMinStepsBeforeCut = 10;
constexpr int kMaxStepsBeforeCut = 400;

// What the threads of one stretch between opening and power cut share.
struct Stretch {
  std::mutex mutex;
  std::condition_variable changed;
  int64_t acks = 0;         // GUARDED_BY(mutex)
  int writers_running = 0;  // GUARDED_BY(mutex)
  std::atomic<bool> stop{false};

  void Acknowledged() {
    std::lock_guard<std::mutex> lock(mutex);
    ++acks;
    changed.notify_all();
  }
  void WriterDone() {
    std::lock_guard<std::mutex> lock(mutex);
    --writers_running;
    changed.notify_all();
  }
  // Waits until `ready` (under the lock) or stop; false on stop.
  bool WaitFor(const std::function<bool()>& ready) {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return stop.load() || ready(); });
    return !stop.load();
  }
};

// Fires what is due whenever a step moved the clock on, as the server's
// scheduler does.
void SweepUntilStopped(CrashStores& stores, const StepClock& clock, PowerLossFileSystem& fs,
                       Stretch& stretch, std::vector<std::string>& failures) {
  int64_t seen = 0;
  while (stretch.WaitFor([&] { return stretch.acks != seen; })) {
    {
      std::lock_guard<std::mutex> lock(stretch.mutex);
      seen = stretch.acks;
    }
    const absl::Time as_of = clock.Now();
    absl::StatusOr<std::vector<uint64_t>> due = stores.tickets().DueForEscalation(as_of, 100);
    absl::Status status = due.status();
    if (status.ok() && !due->empty()) {
      // Many tickets to a write, as the server's sweeps fire them.
      const LoopContext context = stores.ContextFor(SweeperCaller(), as_of);
      status = stores.tickets()
                   .UpdateMany(*due, as_of, storage::WriteOptions{},
                               [&](const v1::Ticket& current) {
                                 return Escalate(current, as_of, context);
                               })
                   .status();
    }
    if (!status.ok()) {
      if (fs.powered()) failures.push_back("sweep: " + status.ToString());
      return;
    }
  }
}

// Every column family of the open store, as RocksDB lists those in its
// directory. RocksDB opens a store only with all of them, and
// storage::Database opens them in the order of storage::Family, so a family
// added there is flushed here too. Empty, with a failure added, when the
// list cannot be read or does not match what the store opened.
std::vector<rocksdb::ColumnFamilyHandle*> EveryFamily(const storage::Database& database,
                                                      std::vector<std::string>& failures) {
  std::vector<std::string> names;
  const rocksdb::Status listed = rocksdb::DB::ListColumnFamilies(database.db()->GetDBOptions(),
                                                                 database.db()->GetName(), &names);
  if (!listed.ok() || names.empty()) {
    failures.push_back("listing the column families: " + listed.ToString() + ", " +
                       std::to_string(names.size()) + " listed");
    return {};
  }
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  std::set<std::string> opened;
  for (size_t i = 0; i < names.size(); ++i) {
    families.push_back(database.family(static_cast<storage::Family>(i)));
    opened.insert(families.back()->GetName());
  }
  if (opened != std::set<std::string>(names.begin(), names.end())) {
    failures.push_back("the store lists column families " + absl::StrJoin(names, ", ") +
                       " but opened " + absl::StrJoin(opened, ", "));
    return {};
  }
  return families;
}

// Flushes every column family now and then, and sometimes compacts the
// events, so that power also goes while tables and the manifest are written.
void FlushUntilStopped(CrashStores& stores, PowerLossFileSystem& fs, Stretch& stretch,
                       const std::vector<rocksdb::ColumnFamilyHandle*>& families, uint64_t seed,
                       std::vector<std::string>& failures) {
  if (families.empty()) return;  // EveryFamily said why
  std::mt19937_64 random(seed);
  storage::Database& database = stores.database();
  int64_t next = 5 + static_cast<int64_t>(random() % 60);
  while (stretch.WaitFor([&] { return stretch.acks >= next; })) {
    {
      std::lock_guard<std::mutex> lock(stretch.mutex);
      next = stretch.acks + 5 + static_cast<int64_t>(random() % 60);
    }
    rocksdb::Status status = database.db()->Flush(rocksdb::FlushOptions(), families);
    if (status.ok() && random() % 3 == 0) {
      status = database.db()->CompactRange(rocksdb::CompactRangeOptions(),
                                           database.family(storage::Family::kEvents), nullptr,
                                           nullptr);
    }
    if (!status.ok()) {
      if (fs.powered()) failures.push_back("flush: " + status.ToString());
      return;
    }
  }
}

// Runs the writers, the sweeper and the flusher on `stores` until
// `cut_after` steps are acknowledged; cuts the power — at once, or with
// `cut_at_sync` > 0 just before that many syncs later — stops them all and
// closes the stores.
void RunUntilPowerCut(CrashStores& stores, StepClock& clock, PowerLossFileSystem& fs,
                      std::vector<std::unique_ptr<StoreWriter>>& writers, int64_t cut_after,
                      int cut_at_sync, uint64_t seed, std::vector<std::string>& failures) {
  Stretch stretch;
  stretch.writers_running = static_cast<int>(writers.size());
  const std::function<bool()> powered = [&fs] { return fs.powered(); };
  std::vector<std::string> flush_failures;
  // Listed before anything writes, while the power is on.
  const std::vector<rocksdb::ColumnFamilyHandle*> families =
      EveryFamily(stores.database(), flush_failures);
  std::vector<std::thread> threads;
  for (const std::unique_ptr<StoreWriter>& writer : writers) {
    threads.emplace_back([&, writer = writer.get()] {
      writer->Run(stores, clock, powered, stretch.stop, /*retry_only=*/false,
                  [&] { stretch.Acknowledged(); });
      stretch.WriterDone();
    });
  }
  std::vector<std::string> sweep_failures;
  threads.emplace_back([&] { SweepUntilStopped(stores, clock, fs, stretch, sweep_failures); });
  threads.emplace_back(
      [&] { FlushUntilStopped(stores, fs, stretch, families, seed, flush_failures); });
  stretch.WaitFor([&] { return stretch.acks >= cut_after || stretch.writers_running == 0; });
  if (cut_at_sync > 0) {
    // Every writer stops at its first step after the cut.
    fs.CutPowerBeforeSync(cut_at_sync);
    stretch.WaitFor([&] { return stretch.writers_running == 0; });
  }
  fs.CutPower();
  {
    std::lock_guard<std::mutex> lock(stretch.mutex);
    stretch.stop = true;
  }
  stretch.changed.notify_all();
  for (std::thread& thread : threads) thread.join();
  stores.Close();
  failures.insert(failures.end(), sweep_failures.begin(), sweep_failures.end());
  failures.insert(failures.end(), flush_failures.begin(), flush_failures.end());
}

// What the runs did, for the summary line.
struct Totals {
  int cuts = 0;
  int64_t acks = 0;
  int redone = 0;
  std::map<v1::EscalationLevel, int> fired;
  PowerLossFileSystem::Dropped dropped;
};

// One run: a fresh store, kCutsPerRun power cuts, the checks after each.
void RunWithPowerCuts(uint64_t seed, std::mt19937_64& random, Totals& totals) {
  std::uniform_int_distribution<int64_t> steps_before_cut(kMinStepsBeforeCut, kMaxStepsBeforeCut);
  auto fs = std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  ScratchDir scratch;
  const std::string path = scratch.path() + "/db";
  CrashStores stores;
  // From the wall clock on: compaction drops request records a day old by
  // the wall clock (storage/request_log.h), so a clock in the past would
  // lose the records a re-done step needs to be answered, not re-applied.
  StepClock clock(absl::FromUnixMicros(absl::ToUnixMicros(absl::Now())));
  std::vector<std::unique_ptr<StoreWriter>> writers;
  for (int i = 0; i < kWriters; ++i) writers.push_back(std::make_unique<StoreWriter>(i, seed));
  std::vector<Ack> acks;
  const absl::Status opened = stores.Open(path, env.get());
  ASSERT_TRUE(opened.ok()) << opened;
  for (int cut = 1; cut <= kCutsPerRun && !::testing::Test::HasFailure(); ++cut) {
    SCOPED_TRACE(absl::StrCat("power cut ", cut));
    std::vector<std::string> failures;
    const int cut_at_sync = static_cast<int>(random() % 4);  // 0: at once
    RunUntilPowerCut(stores, clock, *fs, writers, steps_before_cut(random), cut_at_sync, seed,
                     failures);
    ++totals.cuts;
    PowerLossFileSystem::Dropped dropped;
    const rocksdb::IOStatus restored = fs->RestoreDurableState(&dropped);
    ASSERT_TRUE(restored.ok()) << restored.ToString();
    totals.dropped += dropped;
    const absl::Status reopened = stores.Open(path, env.get());
    ASSERT_TRUE(reopened.ok()) << reopened << " after the cut dropped " << dropped.ToString();
    std::atomic<bool> stop{false};
    for (const std::unique_ptr<StoreWriter>& writer : writers) {
      writer->Run(stores, clock, [] { return true; }, stop, /*retry_only=*/true, [] {});
      for (Ack& ack : writer->TakeAcks()) acks.push_back(std::move(ack));
      for (std::string& failure : writer->TakeFailures()) failures.push_back(std::move(failure));
    }
    for (const std::string& failure : failures) ADD_FAILURE() << failure;
    const std::map<v1::EscalationLevel, int> fired =
        ExpectStoreHolds(stores.database(), stores.tickets(), acks);
    if (::testing::Test::HasFailure()) {
      std::printf("power_loss_test: the failing cut dropped %s\n", dropped.ToString().c_str());
    } else if (cut == kCutsPerRun) {
      for (const auto& [level, count] : fired) totals.fired[level] += count;
    }
  }
  stores.Close();
  totals.acks += static_cast<int64_t>(acks.size());
  for (const std::unique_ptr<StoreWriter>& writer : writers) {
    totals.redone += writer->retries_answered();
  }
}

TEST(PowerLossTest, AcknowledgedStepsSurvivePowerCuts) {
  const uint64_t seed = CrashSeed();
  SCOPED_TRACE(SeedNote(seed));
  const int runs = EnvCount("DUBAN_POWER_LOSS_RUNS", kDefaultRuns);
  std::mt19937_64 random(seed);
  Totals totals;
  for (int run = 0; run < runs && !HasFailure(); ++run) {
    SCOPED_TRACE(absl::StrCat("run ", run));
    RunWithPowerCuts(seed + 1000 * static_cast<uint64_t>(run), random, totals);
  }
  // A short run may end before any deadline passes; the default one may not.
  if (runs >= kDefaultRuns && !HasFailure()) {
    EXPECT_GT(totals.fired[v1::ESCALATION_LEVEL_YELLOW], 0) << "the ladder never climbed";
  }
  std::printf(
      "power_loss_test: %d power cuts, %lld acknowledged steps, %d re-done after a cut; "
      "escalations: %d reminder, %d yellow, %d red, %d referral\n",
      totals.cuts, static_cast<long long>(totals.acks), totals.redone,
      totals.fired[v1::ESCALATION_LEVEL_REMINDER], totals.fired[v1::ESCALATION_LEVEL_YELLOW],
      totals.fired[v1::ESCALATION_LEVEL_RED], totals.fired[v1::ESCALATION_LEVEL_REFERRAL]);
  std::printf("power_loss_test: the cuts dropped %s\n", totals.dropped.ToString().c_str());
}

// A store that has just been made: its directory is created by duband and
// its name is durable only once its parent is synced. A power cut right
// after the first start must leave the store, with its first acknowledged
// write — not an empty directory, nor nothing.
TEST(PowerLossTest, ANewStoreSurvivesAPowerCutRightAfterItsFirstStart) {
  auto fs = std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  ScratchDir scratch;
  const std::string path = scratch.path() + "/county/store";
  ASSERT_TRUE(std::filesystem::create_directories(scratch.path() + "/county"));
  CrashStores stores;
  ASSERT_TRUE(stores.Open(path, env.get()).ok());
  const Caller leader{
      .principal = "principals/leader", .unit = "units/county", .roles = {v1::ROLE_LEADER}};
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2025, 3, 3, 9, 0, 0), absl::UTCTimeZone());
  v1::CreateTicketRequest request;
  request.mutable_ticket()->set_kind(v1::TICKET_KIND_TASK);
  request.mutable_ticket()->set_title("防返贫监测帮扶集中排查");
  request.mutable_ticket()->set_lead_unit("units/nongye");
  *request.mutable_ticket()->mutable_due_time() = ToTimestamp(now + absl::Hours(24 * 30));
  const LoopContext context = stores.ContextFor(leader, now);
  absl::StatusOr<v1::Ticket> created =
      stores.tickets().Create(storage::RequestKey{}, now, [&](uint64_t id) {
        return NewTicket(id, request, nullptr, context);
      });
  ASSERT_TRUE(created.ok()) << created.status();
  fs->CutPower();
  stores.Close();
  PowerLossFileSystem::Dropped dropped;
  ASSERT_TRUE(fs->RestoreDurableState(&dropped).ok());
  EXPECT_TRUE(std::filesystem::exists(path + "/CURRENT"))
      << "the store's directory did not survive: " << dropped.ToString();
  ASSERT_TRUE(stores.Open(path, env.get()).ok());
  absl::StatusOr<v1::Ticket> read = stores.tickets().Get(1);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->title(), "防返贫监测帮扶集中排查");
  ExpectStoreHolds(stores.database(), stores.tickets(), {});
  stores.Close();
}

}  // namespace
}  // namespace duban::testing
