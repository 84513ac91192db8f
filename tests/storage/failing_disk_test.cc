// A disk that fails a WAL sync (EIO): the store refuses every later write
// UNAVAILABLE, with a reason, without touching RocksDB again (Debian's
// librocksdb would abort on an assertion); reads go on; closing does not
// abort; reopened on a repaired disk, it recovers as after a crash with
// everything acknowledged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "rocksdb/env.h"
#include "tests/crash/power_loss_file_system.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

// EIO (fatal to RocksDB) and ENOSPC (which RocksDB would recover from by
// itself, back into the failed log writer).
class FailingDiskTest : public StoreFixture, public ::testing::WithParamInterface<bool> {
 protected:
  FailingDiskTest()
      : fs_(std::make_shared<duban::testing::PowerLossFileSystem>(rocksdb::FileSystem::Default())),
        env_holder_(rocksdb::NewCompositeEnv(fs_)) {
    env_ = env_holder_.get();
  }
  ~FailingDiskTest() override { CloseStores(); }

  std::shared_ptr<duban::testing::PowerLossFileSystem> fs_;
  std::unique_ptr<rocksdb::Env> env_holder_;
};

TEST_P(FailingDiskTest, AFailedWalSyncStopsWritesWhileReadsGoOn) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket first, CreateTicket({.lead = "units/nongye"}));
  ASSERT_TRUE(Sign(TicketId(first)).ok());
  // Nothing in the memtables: what lets RocksDB's recovery go straight
  // back to the failed log.
  for (int f = 0; f <= static_cast<int>(Family::kDraws); ++f) {
    ASSERT_TRUE(database_->db()->Flush(rocksdb::FlushOptions(),
                                       database_->family(static_cast<Family>(f))).ok());
  }
  fs_->FailWalSyncs(true, /*disk_full=*/GetParam());

  const absl::StatusOr<v1::Ticket> failed = CreateTicket({.lead = "units/ziran"});
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_THAT(std::string(failed.status().message()), HasSubstr("may or may not be stored"));
  EXPECT_FALSE(database_->write_guard().writable());
  EXPECT_THAT(std::string(database_->write_guard().failure().message()),
              HasSubstr(GetParam() ? "No space left" : "Input/output error"));

  // Later writes are refused before they reach RocksDB, even once the disk
  // answers again: only a reopen on a repaired disk lifts it.
  fs_->FailWalSyncs(false);
  const absl::StatusOr<v1::Ticket> refused = Report(TicketId(first), "half");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("restart duband"));
  EXPECT_GE(database_->write_guard().errors(), 2);

  // Reads go on.
  ASSERT_OK_AND_ASSIGN(v1::Ticket read, tickets_->Get(TicketId(first)));
  EXPECT_EQ(read.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_TRUE(tickets_->List(TicketQuery(), 10, "").ok());

  CloseStores();
  OpenStores();
  ASSERT_OK_AND_ASSIGN(v1::Ticket recovered, tickets_->Get(TicketId(first)));
  EXPECT_EQ(recovered.stage(), v1::STAGE_IMPLEMENT) << "every acknowledged step is there";
  EXPECT_TRUE(database_->write_guard().writable());
  EXPECT_TRUE(CreateTicket({.lead = "units/ziran"}).ok()) << "writes go on after the reopen";
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// Writers in flight when the sync fails, and more arriving after: none
// aborts the process, each ends acknowledged or UNAVAILABLE, and what was
// acknowledged survives the reopen.
TEST_P(FailingDiskTest, ConcurrentWritersAtTheFailureEndCleanly) {
  constexpr int kWriters = 4;
  std::atomic<int> acknowledged{0};
  std::atomic<bool> armed{false};
  std::vector<std::vector<uint64_t>> made(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 200; ++i) {
        absl::StatusOr<v1::Ticket> ticket = CreateTicket({.lead = "units/nongye"});
        if (!ticket.ok()) {
          EXPECT_EQ(ticket.status().code(), absl::StatusCode::kUnavailable) << ticket.status();
          continue;
        }
        made[w].push_back(TicketId(*ticket));
        if (++acknowledged == 40) {
          armed = true;
          fs_->FailWalSyncs(true, /*disk_full=*/GetParam());
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  ASSERT_TRUE(armed.load());
  EXPECT_FALSE(database_->write_guard().writable());
  CloseStores();
  fs_->FailWalSyncs(false);
  OpenStores();
  for (const std::vector<uint64_t>& ids : made) {
    for (uint64_t id : ids) EXPECT_TRUE(tickets_->Get(id).ok()) << "tickets/" << id;
  }
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

INSTANTIATE_TEST_SUITE_P(Errors, FailingDiskTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "DiskFull" : "InputOutputError";
                         });

}  // namespace
}  // namespace duban::storage
