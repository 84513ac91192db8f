// Backups and restores cut short, as a kill would cut them: a restore
// never leaves an empty or half-copied store where the county's store
// should be, a start on what it left refuses and says how to retry, the
// retry succeeds; a backup whose verification did not finish is never
// restored.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "storage/audit_verifier.h"
#include "storage/backup.h"
#include "storage/data_directory.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/process.h"

#ifndef CUT_SHORT_PATH
#error "CUT_SHORT_PATH: the cut_short binary (tests/storage/CMakeLists.txt)"
#endif

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

class RestoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
    ASSERT_TRUE(Sign(2).ok());
    backups_ = scratch_.path() + "/backups";
    target_ = scratch_.path() + "/restored";
  }

  absl::StatusOr<ChainPoint> HeadOf(const std::string& path) {
    absl::StatusOr<std::unique_ptr<Database>> database = Database::Open({.path = path});
    if (!database.ok()) return database.status();
    absl::StatusOr<AuditReport> report = VerifyAudit(**database, std::nullopt);
    if (!report.ok()) return report.status();
    if (!report->ok) return absl::DataLossError(report->problem);
    return report->head;
  }

  // Runs cut_short with `args`; it must stop where it was told to.
  static void CutShort(std::vector<std::string> args) {
    args.insert(args.begin(), CUT_SHORT_PATH);
    const duban::testing::CommandResult result = duban::testing::RunCommand(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  std::string backups_;
  std::string target_;
};

TEST_F(RestoreTest, ARestoreKilledAtAnyStepIsRefusedThenRetried) {
  ASSERT_OK_AND_ASSIGN(BackupInfo backup, CreateBackup(*database_, backups_));
  // Killed before CURRENT is in place: every file but it already moved
  // ("moving"), or none.
  for (const char* step : {"copied", "verified", "moving"}) {
    SCOPED_TRACE(step);
    std::filesystem::remove_all(target_);
    ASSERT_NO_FATAL_FAILURE(CutShort({"restore", backups_, target_, step}));
    // No store where the county's should be: a start refuses, saying how.
    EXPECT_FALSE(std::filesystem::exists(target_ + "/CURRENT"));
    absl::StatusOr<std::unique_ptr<Database>> opened = Database::Open({.path = target_});
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition) << opened.status();
    EXPECT_THAT(std::string(opened.status().message()), HasSubstr("--restore_from"));
    EXPECT_FALSE(std::filesystem::exists(target_ + "/CURRENT")) << "the refusal made no store";
    // The same restore again succeeds, to the backup's audit head.
    ASSERT_OK_AND_ASSIGN(Restored restored, RestoreLatestBackup(backups_, target_));
    EXPECT_FALSE(restored.earlier);
    EXPECT_EQ(restored.backup_id, backup.id);
    EXPECT_FALSE(std::filesystem::exists(RestoringPath(target_)));
    ASSERT_OK_AND_ASSIGN(ChainPoint head, HeadOf(target_));
    EXPECT_EQ(head.sha256, backup.audit_head.sha256);
  }

  // Killed once the store is in place: a restart with the same
  // --restore_from serves it as it is, and clears what the restore left.
  std::filesystem::remove_all(target_);
  ASSERT_NO_FATAL_FAILURE(CutShort({"restore", backups_, target_, "placed"}));
  EXPECT_TRUE(std::filesystem::exists(RestoringPath(target_)));
  ASSERT_OK_AND_ASSIGN(Restored again, RestoreLatestBackup(backups_, target_));
  EXPECT_TRUE(again.earlier);
  EXPECT_FALSE(std::filesystem::exists(RestoringPath(target_)));
  ASSERT_OK_AND_ASSIGN(ChainPoint head, HeadOf(target_));
  EXPECT_EQ(head.sha256, backup.audit_head.sha256);
  // From another backup directory it is still refused: the store has data.
  EXPECT_EQ(RestoreLatestBackup(scratch_.path() + "/elsewhere", target_).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// Killed in the middle of copying: the staging directory holds part of the
// files. The same as any other cut: refused, then retried from scratch.
TEST_F(RestoreTest, HalfCopiedFilesAreThrownAwayByTheRetry) {
  ASSERT_OK_AND_ASSIGN(BackupInfo backup, CreateBackup(*database_, backups_));
  std::filesystem::create_directories(RestoringPath(target_));
  std::ofstream(RestoringPath(target_) + "/000012.sst") << "half a table";
  EXPECT_EQ(Database::Open({.path = target_}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(RestoreLatestBackup(backups_, target_).ok());
  ASSERT_OK_AND_ASSIGN(ChainPoint head, HeadOf(target_));
  EXPECT_EQ(head.sha256, backup.audit_head.sha256);
}

// What an older release left of an interrupted restore: tables without
// CURRENT in the store's own directory. Never served as a fresh store.
TEST_F(RestoreTest, FilesWithoutAStoreAreRefused) {
  std::filesystem::create_directories(target_);
  std::ofstream(target_ + "/000007.sst") << "a table";
  absl::StatusOr<std::unique_ptr<Database>> opened = Database::Open({.path = target_});
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(opened.status().message()), HasSubstr("no CURRENT"));
  EXPECT_FALSE(std::filesystem::exists(target_ + "/CURRENT"));
  // Neither is a restore made over them.
  EXPECT_EQ(RestoreLatestBackup(backups_, target_).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// A first start cut short before CURRENT leaves only what RocksDB makes
// first (and a volume's lost+found): the store is made anew, not refused.
TEST_F(RestoreTest, WhatAFirstStartCutShortLeftIsMadeIntoAStore) {
  std::filesystem::create_directories(target_ + "/lost+found");
  for (const char* name : {"LOCK", "LOG", "IDENTITY", "MANIFEST-000001",
                           "OPTIONS-000005", "000001.dbtmp"}) {
    std::ofstream(target_ + "/" + name) << "";
  }
  absl::StatusOr<std::unique_ptr<Database>> opened = Database::Open({.path = target_});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_TRUE(std::filesystem::exists(target_ + "/CURRENT"));
}

// A backup killed during its verification is never the one restored; the
// next backup clears it away.
TEST_F(RestoreTest, ABackupWhoseVerificationWasCutShortIsNeverRestored) {
  ASSERT_OK_AND_ASSIGN(BackupInfo first, CreateBackup(*database_, backups_));
  ASSERT_TRUE(CreateTicket({.lead = "units/ziran"}).ok());
  CloseStores();
  ASSERT_NO_FATAL_FAILURE(CutShort({"backup", path_, backups_}));
  OpenStores();
  ASSERT_OK_AND_ASSIGN(Restored restored, RestoreLatestBackup(backups_, target_));
  EXPECT_EQ(restored.backup_id, first.id);
  ASSERT_OK_AND_ASSIGN(ChainPoint head, HeadOf(target_));
  EXPECT_EQ(head.sha256, first.audit_head.sha256);

  ASSERT_OK_AND_ASSIGN(BackupInfo next, CreateBackup(*database_, backups_));
  EXPECT_GT(next.id, first.id);
  const std::string second_target = scratch_.path() + "/restored-2";
  ASSERT_OK_AND_ASSIGN(Restored latest, RestoreLatestBackup(backups_, second_target));
  EXPECT_EQ(latest.backup_id, next.id);
  ASSERT_OK_AND_ASSIGN(ChainPoint latest_head, HeadOf(second_target));
  EXPECT_EQ(latest_head.sha256, next.audit_head.sha256);
}

}  // namespace
}  // namespace duban::storage
