// Replication at the storage layer (docs/replication.md): a checkpoint
// installed as a replica's store, the primary's batches read back from its
// write-ahead log and applied there with the same sequence numbers, and
// what a replica, a fenced primary and the snapshot installer refuse.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "storage/database.h"
#include "storage/replication_state.h"
#include "storage/snapshot.h"
#include "storage/wal_tail.h"
#include "tests/support/scratch_dir.h"

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class ReplicationStoreTest : public ::testing::Test {
 protected:
  duban::testing::ScratchDir scratch_;
  std::string primary_dir_ = scratch_.path() + "/primary";
  std::string replica_dir_ = scratch_.path() + "/replica";

  static std::unique_ptr<Database> Open(StoreOptions options) {
    absl::StatusOr<std::unique_ptr<Database>> database = Database::Open(options);
    EXPECT_TRUE(database.ok()) << database.status();
    return database.ok() ? *std::move(database) : nullptr;
  }
  std::unique_ptr<Database> OpenReplica() {
    return Open({.path = replica_dir_, .replica = true, .primary = "10.0.0.1:7420"});
  }

  // Writes `count` audited records, one batch each, from `first` on.
  static void WriteRecords(Database& database, int first, int count) {
    for (int i = first; i < first + count; ++i) {
      AuditedBatch batch;
      batch.PutRecord(AuditKind::kTicket, database.family(Family::kTickets),
                      absl::StrCat("t", i), absl::StrCat("ticket ", i));
      ASSERT_TRUE(database.Write(batch, WriteOptions{}).ok());
    }
  }

  // Sends a checkpoint of `primary` to `directory` as the replica's
  // installer receives it: every file in one chunk.
  static absl::Status CopySnapshot(Database& primary, const std::string& primary_dir,
                                   const std::string& directory) {
    absl::StatusOr<std::unique_ptr<StoreSnapshot>> snapshot =
        StoreSnapshot::Create(primary, primary_dir);
    if (!snapshot.ok()) return snapshot.status();
    absl::StatusOr<SnapshotInstaller> installer = SnapshotInstaller::Begin(directory);
    if (!installer.ok()) return installer.status();
    for (const std::string& file : (*snapshot)->files()) {
      const std::string bytes = ReadWhole(absl::StrCat((*snapshot)->directory(), "/", file));
      if (absl::Status s = installer->Append(file, 0, bytes); !s.ok()) return s;
      if (absl::Status s = installer->EndFile(file, static_cast<int64_t>(bytes.size()),
                                              Sha256Raw(bytes));
          !s.ok()) {
        return s;
      }
    }
    return installer->Install(static_cast<int64_t>((*snapshot)->files().size()));
  }

  // Applies to `replica` every batch `primary` wrote after the replica's
  // newest.
  static void CatchUp(Database& primary, Database& replica) {
    WalTail tail(&primary, replica.latest_sequence() + 1);
    while (replica.latest_sequence() < primary.latest_sequence()) {
      absl::StatusOr<std::optional<WalTail::Batch>> batch = tail.Next(absl::Seconds(5));
      ASSERT_TRUE(batch.ok()) << batch.status();
      ASSERT_TRUE(batch->has_value());
      absl::StatusOr<AppliedBatch> applied =
          replica.ApplyReplicated((*batch)->sequence, (*batch)->data);
      ASSERT_TRUE(applied.ok()) << applied.status();
    }
  }

  static std::string Get(Database& database, const std::string& key) {
    std::string value;
    rocksdb::Status read =
        database.db()->Get(rocksdb::ReadOptions(), database.family(Family::kTickets), key, &value);
    return read.ok() ? value : read.ToString();
  }
};

TEST_F(ReplicationStoreTest, ReplicaKeepsThePrimarysSequenceAndLog) {
  std::unique_ptr<Database> primary = Open({.path = primary_dir_});
  WriteRecords(*primary, 0, 5);
  ASSERT_TRUE(CopySnapshot(*primary, primary_dir_, replica_dir_).ok());
  std::unique_ptr<Database> replica = OpenReplica();
  ASSERT_NE(replica, nullptr);
  EXPECT_EQ(replica->latest_sequence(), primary->latest_sequence());
  EXPECT_EQ(replica->replication_state().store_id(), primary->replication_state().store_id());
  EXPECT_EQ(Get(*replica, "t4"), "ticket 4");

  WriteRecords(*primary, 5, 5);
  CatchUp(*primary, *replica);
  EXPECT_EQ(replica->latest_sequence(), primary->latest_sequence());
  EXPECT_EQ(Get(*replica, "t9"), "ticket 9");
  // The audit log's entries came with the batches; readers may pass them.
  EXPECT_EQ(replica->log().watermark(), primary->log().watermark());
  absl::StatusOr<std::vector<LogEntry>> entries = replica->log().Read(0, 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), primary->log().Read(0, 100)->size());
  // The checkpoint's leftovers are gone from the primary's directory.
  for (const auto& entry : std::filesystem::directory_iterator(primary_dir_)) {
    EXPECT_FALSE(entry.is_directory()) << entry.path();
  }
}

TEST_F(ReplicationStoreTest, ReplicaRefusesItsOwnWritesNamingThePrimary) {
  std::unique_ptr<Database> primary = Open({.path = primary_dir_});
  ASSERT_TRUE(CopySnapshot(*primary, primary_dir_, replica_dir_).ok());
  std::unique_ptr<Database> replica = OpenReplica();
  const uint64_t before = replica->latest_sequence();
  AuditedBatch batch;
  batch.PutRecord(AuditKind::kTicket, replica->family(Family::kTickets), "t1", "x");
  absl::Status refused = replica->Write(batch, WriteOptions{});
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("replica of 10.0.0.1:7420"));
  EXPECT_EQ(replica->latest_sequence(), before);
}

TEST_F(ReplicationStoreTest, GapsOldEpochsAndUnmarkedBatchesAreRefused) {
  std::unique_ptr<Database> primary = Open({.path = primary_dir_});
  WriteRecords(*primary, 0, 2);
  ASSERT_TRUE(CopySnapshot(*primary, primary_dir_, replica_dir_).ok());
  std::unique_ptr<Database> replica = OpenReplica();
  const uint64_t next = replica->latest_sequence() + 1;

  rocksdb::WriteBatch marked;
  marked.Put(replica->family(Family::kTickets), "t7", "x");
  marked.PutLogData(EpochMark(1));
  EXPECT_EQ(replica->ApplyReplicated(next + 1, marked.Data()).status().code(),
            absl::StatusCode::kOutOfRange);
  rocksdb::WriteBatch unmarked;
  unmarked.Put(replica->family(Family::kTickets), "t7", "x");
  EXPECT_EQ(replica->ApplyReplicated(next, unmarked.Data()).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(replica->latest_sequence(), next - 1);

  // The primary is promoted elsewhere (a new epoch), and the replica
  // follows it into that epoch...
  primary.reset();
  primary = Open({.path = primary_dir_, .begin_epoch = true});
  EXPECT_EQ(primary->replication_state().epoch(), 2);
  CatchUp(*primary, *replica);
  EXPECT_EQ(replica->replication_state().epoch(), 2);
  // ... after which a batch of epoch 1 (a demoted primary's) is refused.
  EXPECT_EQ(replica->ApplyReplicated(replica->latest_sequence() + 1, marked.Data()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ReplicationStoreTest, LogGoneAfterAFlushIsOutOfRangeUnlessKept) {
  for (const uint64_t ttl : {uint64_t{0}, uint64_t{3600}}) {
    SCOPED_TRACE(absl::StrCat("wal_ttl_seconds ", ttl));
    const std::string dir = absl::StrCat(primary_dir_, "-", ttl);
    std::unique_ptr<Database> primary = Open({.path = dir, .wal_ttl_seconds = ttl});
    const uint64_t early = primary->latest_sequence() + 1;
    WriteRecords(*primary, 0, 3);
    std::vector<rocksdb::ColumnFamilyHandle*> families;
    for (int f = 0; f <= static_cast<int>(Family::kAuth); ++f) {
      families.push_back(primary->family(static_cast<Family>(f)));
    }
    ASSERT_TRUE(primary->db()->Flush(rocksdb::FlushOptions(), families).ok());
    WriteRecords(*primary, 3, 3);
    WalTail tail(primary.get(), early);
    absl::StatusOr<std::optional<WalTail::Batch>> batch = tail.Next(absl::Seconds(1));
    if (ttl == 0) {
      EXPECT_EQ(batch.status().code(), absl::StatusCode::kOutOfRange) << batch.status();
    } else {
      ASSERT_TRUE(batch.ok()) << batch.status();
      ASSERT_TRUE(batch->has_value());
      EXPECT_EQ((*batch)->sequence, early);
    }
  }
}

TEST_F(ReplicationStoreTest, CheckFollowsTellsHistoriesApart) {
  v1::ReplicationState primary;
  primary.set_store_id("a");
  primary.set_epoch(1);
  EXPECT_TRUE(CheckFollows(primary, 100, "a", 1, 50).ok());
  EXPECT_TRUE(CheckFollows(primary, 100, "a", 1, 101).ok());
  EXPECT_THAT(CheckFollows(primary, 100, "b", 1, 50).message(), HasSubstr("another county"));
  EXPECT_THAT(CheckFollows(primary, 100, "a", 1, 102).message(), HasSubstr("diverged"));
  EXPECT_THAT(CheckFollows(primary, 100, "a", 2, 50).message(), HasSubstr("superseded"));
  const v1::ReplicationState promoted = NextEpoch(primary, 80);
  // A copy of epoch 1 that stopped before epoch 2 began follows on...
  EXPECT_TRUE(CheckFollows(promoted, 100, "a", 1, 80).ok());
  EXPECT_TRUE(CheckFollows(promoted, 100, "a", 2, 90).ok());
  // ... one that went on writing epoch 1 past that point does not.
  const absl::Status diverged = CheckFollows(promoted, 100, "a", 1, 85);
  EXPECT_EQ(diverged.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(diverged.message(), HasSubstr("epoch 2 began at sequence 80"));
}

TEST_F(ReplicationStoreTest, FencedPrimaryRefusesWritesAcrossReopen) {
  std::unique_ptr<Database> primary = Open({.path = primary_dir_});
  ASSERT_TRUE(primary->Fence(1).ok());  // not newer: nothing happens
  WriteRecords(*primary, 0, 1);
  ASSERT_TRUE(primary->Fence(3).ok());
  AuditedBatch batch;
  batch.PutRecord(AuditKind::kTicket, primary->family(Family::kTickets), "t9", "x");
  absl::Status refused = primary->Write(batch, WriteOptions{});
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("epoch 3"));
  primary.reset();
  primary = Open({.path = primary_dir_});
  EXPECT_EQ(primary->replication_state().fenced_by_epoch(), 3);
  AuditedBatch again;
  again.PutRecord(AuditKind::kTicket, primary->family(Family::kTickets), "t9", "x");
  EXPECT_EQ(primary->Write(again, WriteOptions{}).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(ReplicationStoreTest, InstallerChecksEveryFileAndFinishesAnInstallCutShort) {
  std::unique_ptr<Database> primary = Open({.path = primary_dir_});
  WriteRecords(*primary, 0, 3);
  {
    absl::StatusOr<SnapshotInstaller> installer = SnapshotInstaller::Begin(replica_dir_);
    ASSERT_TRUE(installer.ok());
    ASSERT_TRUE(installer->Append("000001.sst", 0, "abc").ok());
    EXPECT_EQ(installer->Append("000001.sst", 7, "d").code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(installer->Append("../escape", 0, "d").code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(installer->EndFile("000001.sst", 3, Sha256Raw("abd")).code(),
              absl::StatusCode::kDataLoss);
    EXPECT_EQ(installer->Install(1).code(), absl::StatusCode::kDataLoss);
  }
  // Cut short while receiving: thrown away; nothing was a store.
  ASSERT_TRUE(SnapshotInstaller::FinishInterruptedInstall(replica_dir_).ok());
  EXPECT_FALSE(std::filesystem::exists(replica_dir_ + "/.replicating"));
  EXPECT_FALSE(std::filesystem::exists(replica_dir_ + "/CURRENT"));

  // Cut short while installing, after every file was checked: finished.
  ASSERT_TRUE(CopySnapshot(*primary, primary_dir_, replica_dir_).ok());
  WriteRecords(*primary, 3, 2);
  absl::StatusOr<std::unique_ptr<StoreSnapshot>> snapshot =
      StoreSnapshot::Create(*primary, primary_dir_);
  ASSERT_TRUE(snapshot.ok());
  const std::string staging = replica_dir_ + "/.replicating";
  std::filesystem::create_directory(staging);
  for (const std::string& file : (*snapshot)->files()) {
    std::filesystem::copy_file(absl::StrCat((*snapshot)->directory(), "/", file),
                               absl::StrCat(staging, "/", file));
  }
  std::ofstream(staging + "/VERIFIED").close();
  // The old store's files half gone, as a kill in the middle leaves them.
  std::filesystem::remove(replica_dir_ + "/CURRENT");
  ASSERT_TRUE(SnapshotInstaller::FinishInterruptedInstall(replica_dir_).ok());
  std::unique_ptr<Database> replica = OpenReplica();
  ASSERT_NE(replica, nullptr);
  EXPECT_EQ(Get(*replica, "t4"), "ticket 4");
  EXPECT_EQ(replica->latest_sequence(), primary->latest_sequence());
}

}  // namespace
}  // namespace duban::storage
