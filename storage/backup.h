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
#include <functional>
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
// directory is not an absolute path. Until the verification has finished,
// the backup is marked in progress and is never picked by
// RestoreLatestBackup; one whose verification was cut short is deleted by
// the next CreateBackup.
// `before_verify`, if set, is called once the backup is written and before
// its verification starts (a test may stop there, as a kill would).
absl::StatusOr<BackupInfo> CreateBackup(Database& database, const std::string& directory,
                                        const std::function<void()>& before_verify = nullptr);

// The points of a restore after which a test may stop it, as a kill would:
// the files copied into the staging directory; their audit chain verified;
// every file but CURRENT moved into place; CURRENT moved into place.
enum class RestoreStep { kCopied, kVerified, kMoving, kPlaced };

struct Restored {
  // The backup restored.
  uint32_t backup_id = 0;
  // True when `data_directory` already held a store restored from the same
  // backup directory (a restart that kept --restore_from): nothing was done.
  bool earlier = false;
};

// Restores the latest verified backup in `backup_directory` into
// `data_directory`, which must be missing or empty (FAILED_PRECONDITION
// otherwise, unless it holds a store restored from the same backup
// directory: then nothing is done).
//
// The files are restored into a staging directory inside it
// (RestoringPath(data_directory)), checked there (the audit chain
// verifies), and only then moved into place — every file but CURRENT,
// then CURRENT, whose rename makes the store appear whole at once — with
// the directory synced after each step. A restore cut short leaves no
// CURRENT: Database::Open refuses while the staging directory is there,
// and the same restore started again throws away what the last one left
// and starts over. Staging inside the data directory, not beside it, keeps
// the restore within the one directory duband may write (a systemd
// StateDirectory, a mounted volume). `after_step`, if set, is called after
// each step.
absl::StatusOr<Restored> RestoreLatestBackup(
    const std::string& backup_directory, const std::string& data_directory,
    const std::function<void(RestoreStep)>& after_step = nullptr);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_BACKUP_H_
