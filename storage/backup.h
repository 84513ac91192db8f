// Backups of a live store with RocksDB's backup engine: incremental (files
// already in the backup directory are shared), checksummed, and verified
// by restoring them.
//
//   ASSIGN_OR_RETURN(BackupInfo backup, CreateBackup(*database, "/srv/backups/duban"));
//   ...
//   RETURN_IF_ERROR(RestoreLatestBackup("/srv/backups/duban", "/var/lib/duban"));
#ifndef DUBAN_STORAGE_BACKUP_H_
#define DUBAN_STORAGE_BACKUP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/audit_verifier.h"
#include "storage/database.h"

namespace duban::storage {

struct BackupInfo {
  uint32_t id = 0;
  uint64_t size_bytes = 0;
  absl::Time create_time;
  // The audit chain at the end of the backed-up log: a restore of this
  // backup verifies to the same head.
  ChainPoint audit_head;
};

// Adds a backup of `database` to `directory` (created when missing). The
// backup is then restored into a scratch directory beside it, its files'
// checksums checked, and its audit trail verified; a backup that does not
// verify is deleted and DATA_LOSS returned. INVALID_ARGUMENT when the
// directory is not an absolute path.
absl::StatusOr<BackupInfo> CreateBackup(Database& database, const std::string& directory);

// Restores the latest backup in `backup_directory` into `data_directory`,
// which must not exist or be empty (FAILED_PRECONDITION otherwise).
absl::Status RestoreLatestBackup(const std::string& backup_directory,
                                 const std::string& data_directory);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_BACKUP_H_
