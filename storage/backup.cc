#include "storage/backup.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/text_file.h"
#include "rocksdb/file_system.h"
#include "rocksdb/utilities/backup_engine.h"
#include "storage/data_directory.h"

namespace duban::storage {
namespace {

// Missing, or holding nothing (but a file system's lost+found).
bool IsEmptyOrMissing(const std::string& directory) {
  std::error_code error;
  if (!std::filesystem::exists(directory, error)) return true;
  if (!std::filesystem::is_directory(directory, error)) return false;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().filename() != "lost+found") return false;
  }
  return !error;
}

// Restores backup `id` into a scratch directory, checks its audit trail
// and returns its head; the scratch directory is removed either way.
absl::StatusOr<ChainPoint> VerifyRestored(const rocksdb::BackupEngine& engine,
                                          rocksdb::BackupID id, const std::string& directory) {
  const std::string scratch = absl::StrCat(directory, "/.verify-", id);
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
  absl::StatusOr<ChainPoint> head = [&]() -> absl::StatusOr<ChainPoint> {
    RETURN_IF_ERROR(FromRocks(engine.RestoreDBFromBackup(rocksdb::RestoreOptions(), id, scratch,
                                                      scratch),
                           "restore the backup to verify it"));
    ASSIGN_OR_RETURN(std::unique_ptr<Database> restored,
                     Database::Open({.path = scratch, .memory = ScratchMemoryPlan()}));
    ASSIGN_OR_RETURN(AuditReport report, VerifyAudit(*restored, std::nullopt));
    if (!report.ok) {
      return absl::DataLossError(absl::StrCat("the backup does not verify: ", report.entry, " ",
                                              report.problem));
    }
    return report.head;
  }();
  std::filesystem::remove_all(scratch, ignored);
  return head;
}

// A backup in progress leaves this file in the backup directory, holding
// the id of the newest backup before it: a backup with a higher id is not
// verified yet, and is never restored (if its verification was cut short,
// the next backup deletes it).
constexpr char kInProgressFile[] = "BACKUP_IN_PROGRESS";
// A restored store holds this file, naming the backup directory it came
// from; RocksDB leaves files it does not name alone.
constexpr char kRestoredFromFile[] = "RESTORED_FROM";

std::vector<rocksdb::BackupID> BackupIds(const rocksdb::BackupEngineReadOnlyBase& engine) {
  std::vector<rocksdb::BackupInfo> infos;
  engine.GetBackupInfo(&infos);
  std::vector<rocksdb::BackupID> ids;
  for (const rocksdb::BackupInfo& info : infos) ids.push_back(info.backup_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::StatusOr<std::optional<rocksdb::BackupID>> ReadInProgress(const std::string& directory) {
  const std::string path = absl::StrCat(directory, "/", kInProgressFile);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::nullopt;
  ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  rocksdb::BackupID id = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &id)) {
    return absl::DataLossError(absl::StrCat(path, " does not hold a backup id"));
  }
  return id;
}

absl::Status WriteInProgress(const std::string& directory, rocksdb::BackupID newest_before) {
  rocksdb::FileSystem& fs = *rocksdb::FileSystem::Default();
  const std::string path = absl::StrCat(directory, "/", kInProgressFile);
  RETURN_IF_ERROR(FromRocks(rocksdb::WriteStringToFile(rocksdb::Env::Default(),
                                                       absl::StrCat(newest_before, "\n"), path,
                                                       /*should_sync=*/true),
                            absl::StrCat("write ", path)));
  return SyncDirectory(fs, directory);
}

absl::Status ClearInProgress(const std::string& directory) {
  std::error_code error;
  std::filesystem::remove(absl::StrCat(directory, "/", kInProgressFile), error);
  if (error) return absl::InternalError(absl::StrCat("finish the backup: ", error.message()));
  return SyncDirectory(*rocksdb::FileSystem::Default(), directory);
}

// Removes everything in `directory` but a file system's lost+found.
absl::Status EmptyDirectory(const std::string& directory) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().filename() == "lost+found") continue;
    std::filesystem::remove_all(entry.path(), error);
    if (error) {
      return absl::InternalError(absl::StrCat("remove ", entry.path().string(), ": ",
                                              error.message()));
    }
  }
  if (error) return absl::InternalError(absl::StrCat("list ", directory, ": ", error.message()));
  return absl::OkStatus();
}

// The newest backup whose verification finished.
absl::StatusOr<rocksdb::BackupID> LatestVerifiedBackup(
    const rocksdb::BackupEngineReadOnlyBase& engine, const std::string& directory) {
  ASSIGN_OR_RETURN(std::optional<rocksdb::BackupID> unverified_after,
                   ReadInProgress(directory));
  std::vector<rocksdb::BackupID> ids = BackupIds(engine);
  while (!ids.empty() && unverified_after && ids.back() > *unverified_after) ids.pop_back();
  if (ids.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(directory, " holds no verified backup to restore"));
  }
  return ids.back();
}

}  // namespace

absl::StatusOr<BackupInfo> CreateBackup(Database& database, const std::string& directory,
                                        const std::function<void()>& before_verify) {
  if (directory.empty() || directory.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("directory must be an absolute path on the server, not \"", directory, "\""));
  }
  rocksdb::BackupEngine* opened = nullptr;
  RETURN_IF_ERROR(FromRocks(rocksdb::BackupEngine::Open(rocksdb::BackupEngineOptions(directory),
                                                     rocksdb::Env::Default(), &opened),
                         absl::StrCat("open the backup directory ", directory)));
  std::unique_ptr<rocksdb::BackupEngine> engine(opened);
  // Backups a backup cut short during its verification left behind.
  ASSIGN_OR_RETURN(std::optional<rocksdb::BackupID> unverified_after,
                   ReadInProgress(directory));
  if (unverified_after) {
    for (rocksdb::BackupID id : BackupIds(*engine)) {
      if (id > *unverified_after) engine->DeleteBackup(id).PermitUncheckedError();
    }
  }
  const std::vector<rocksdb::BackupID> before = BackupIds(*engine);
  RETURN_IF_ERROR(WriteInProgress(directory, before.empty() ? 0 : before.back()));
  rocksdb::BackupID id = 0;
  RETURN_IF_ERROR(FromRocks(engine->CreateNewBackup(rocksdb::CreateBackupOptions(), database.db(), &id),
                         "create the backup"));
  if (before_verify) before_verify();
  absl::Status verified =
      FromRocks(engine->VerifyBackup(id, /*verify_with_checksum=*/true), "verify the backup");
  absl::StatusOr<ChainPoint> head =
      verified.ok() ? VerifyRestored(*engine, id, directory) : verified;
  if (!head.ok()) {
    engine->DeleteBackup(id).PermitUncheckedError();
    RETURN_IF_ERROR(ClearInProgress(directory));
    return absl::DataLossError(head.status().message());
  }
  RETURN_IF_ERROR(ClearInProgress(directory));
  rocksdb::BackupInfo info;
  RETURN_IF_ERROR(FromRocks(engine->GetBackupInfo(id, &info), "read the backup's info"));
  return BackupInfo{.id = id,
                    .size_bytes = info.size,
                    .create_time = absl::FromUnixSeconds(info.timestamp),
                    .audit_head = *std::move(head)};
}

absl::StatusOr<Restored> RestoreLatestBackup(
    const std::string& backup_directory, const std::string& data_directory,
    const std::function<void(RestoreStep)>& after_step) {
  rocksdb::FileSystem& fs = *rocksdb::FileSystem::Default();
  const std::string staging = RestoringPath(data_directory);
  const std::string current = data_directory + "/CURRENT";
  std::error_code error;
  if (std::filesystem::exists(current, error)) {
    absl::StatusOr<std::string> restored_from =
        ReadTextFile(absl::StrCat(data_directory, "/", kRestoredFromFile));
    if (!restored_from.ok() ||
        absl::StripAsciiWhitespace(*restored_from) != backup_directory) {
      return absl::FailedPreconditionError(
          absl::StrCat(data_directory, " holds a store: restore into a new directory"));
    }
    // Restored before (a restart that kept --restore_from); a restore cut
    // short after the store was in place left its staging directory.
    std::filesystem::remove_all(staging, error);
    return Restored{.earlier = true};
  }
  if (std::filesystem::exists(staging, error)) {
    // A restore cut short: everything here is its (it starts only on an
    // empty directory); throw it away and start over.
    RETURN_IF_ERROR(EmptyDirectory(data_directory));
  } else if (!IsEmptyOrMissing(data_directory)) {
    return absl::FailedPreconditionError(
        absl::StrCat(data_directory, " is not empty: restore into a new directory"));
  }
  RETURN_IF_ERROR(PrepareDataDirectory(fs, data_directory));
  rocksdb::BackupEngineReadOnly* opened = nullptr;
  RETURN_IF_ERROR(
      FromRocks(rocksdb::BackupEngineReadOnly::Open(rocksdb::BackupEngineOptions(backup_directory),
                                                 rocksdb::Env::Default(), &opened),
             absl::StrCat("open the backup directory ", backup_directory)));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(opened);
  ASSIGN_OR_RETURN(rocksdb::BackupID id, LatestVerifiedBackup(*engine, backup_directory));

  RETURN_IF_ERROR(FromRocks(
      engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), id, staging, staging),
      absl::StrCat("restore backup ", id, " from ", backup_directory)));
  RETURN_IF_ERROR(SyncDirectory(fs, data_directory));
  if (after_step) after_step(RestoreStep::kCopied);
  {
    ASSIGN_OR_RETURN(std::unique_ptr<Database> restored,
                     Database::Open({.path = staging, .memory = ScratchMemoryPlan()}));
    ASSIGN_OR_RETURN(AuditReport report, VerifyAudit(*restored, std::nullopt));
    if (!report.ok) {
      return absl::DataLossError(absl::StrCat("the restored store does not verify: ", report.entry,
                                              " ", report.problem));
    }
  }
  if (after_step) after_step(RestoreStep::kVerified);

  // Into place: every file but CURRENT, then CURRENT, whose rename makes
  // the store appear whole at once.
  for (const auto& entry : std::filesystem::directory_iterator(staging, error)) {
    const std::string name = entry.path().filename().string();
    if (name == "CURRENT") continue;
    std::filesystem::rename(entry.path(), absl::StrCat(data_directory, "/", name), error);
    if (error) return absl::InternalError(absl::StrCat("move ", name, ": ", error.message()));
  }
  if (error) return absl::InternalError(absl::StrCat("list ", staging, ": ", error.message()));
  RETURN_IF_ERROR(FromRocks(
      rocksdb::WriteStringToFile(rocksdb::Env::Default(), absl::StrCat(backup_directory, "\n"),
                                 absl::StrCat(data_directory, "/", kRestoredFromFile),
                                 /*should_sync=*/true),
      "note where the store was restored from"));
  RETURN_IF_ERROR(SyncDirectory(fs, data_directory));
  if (after_step) after_step(RestoreStep::kMoving);
  std::filesystem::rename(staging + "/CURRENT", current, error);
  if (error) return absl::InternalError(absl::StrCat("move CURRENT: ", error.message()));
  RETURN_IF_ERROR(SyncDirectory(fs, data_directory));
  if (after_step) after_step(RestoreStep::kPlaced);
  std::filesystem::remove_all(staging, error);
  if (error) return absl::InternalError(absl::StrCat("remove ", staging, ": ", error.message()));
  RETURN_IF_ERROR(SyncDirectory(fs, data_directory));
  return Restored{.backup_id = id};
}

}  // namespace duban::storage
