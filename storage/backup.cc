#include "storage/backup.h"

#include <filesystem>
#include <memory>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "rocksdb/utilities/backup_engine.h"
#include "server/domain/status_macros.h"

namespace duban::storage {
namespace {

bool IsEmptyOrMissing(const std::string& directory) {
  std::error_code error;
  if (!std::filesystem::exists(directory, error)) return true;
  return std::filesystem::is_directory(directory, error) &&
         std::filesystem::is_empty(directory, error);
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
                     Database::Open({.path = scratch, .block_cache_bytes = 1 << 20}));
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

}  // namespace

absl::StatusOr<BackupInfo> CreateBackup(Database& database, const std::string& directory) {
  if (directory.empty() || directory.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("directory must be an absolute path on the server, not \"", directory, "\""));
  }
  rocksdb::BackupEngine* opened = nullptr;
  RETURN_IF_ERROR(FromRocks(rocksdb::BackupEngine::Open(rocksdb::BackupEngineOptions(directory),
                                                     rocksdb::Env::Default(), &opened),
                         absl::StrCat("open the backup directory ", directory)));
  std::unique_ptr<rocksdb::BackupEngine> engine(opened);
  rocksdb::BackupID id = 0;
  RETURN_IF_ERROR(FromRocks(engine->CreateNewBackup(rocksdb::CreateBackupOptions(), database.db(), &id),
                         "create the backup"));
  absl::Status verified =
      FromRocks(engine->VerifyBackup(id, /*verify_with_checksum=*/true), "verify the backup");
  absl::StatusOr<ChainPoint> head =
      verified.ok() ? VerifyRestored(*engine, id, directory) : verified;
  if (!head.ok()) {
    engine->DeleteBackup(id).PermitUncheckedError();
    return absl::DataLossError(head.status().message());
  }
  rocksdb::BackupInfo info;
  RETURN_IF_ERROR(FromRocks(engine->GetBackupInfo(id, &info), "read the backup's info"));
  return BackupInfo{.id = id,
                    .size_bytes = info.size,
                    .create_time = absl::FromUnixSeconds(info.timestamp),
                    .audit_head = *std::move(head)};
}

absl::Status RestoreLatestBackup(const std::string& backup_directory,
                                 const std::string& data_directory) {
  if (!IsEmptyOrMissing(data_directory)) {
    return absl::FailedPreconditionError(
        absl::StrCat(data_directory, " is not empty: restore into a new directory"));
  }
  rocksdb::BackupEngineReadOnly* opened = nullptr;
  RETURN_IF_ERROR(
      FromRocks(rocksdb::BackupEngineReadOnly::Open(rocksdb::BackupEngineOptions(backup_directory),
                                                 rocksdb::Env::Default(), &opened),
             absl::StrCat("open the backup directory ", backup_directory)));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(opened);
  return FromRocks(engine->RestoreDBFromLatestBackup(rocksdb::RestoreOptions(), data_directory,
                                                  data_directory),
                absl::StrCat("restore from ", backup_directory));
}

}  // namespace duban::storage
