// cut_short: a backup or a restore that stops — _exit, as a kill would
// stop it — at a chosen step, for the tests of what such a stop leaves
// (restore_test.cc).
//
//   cut_short restore BACKUP_DIR DATA_DIR copied|verified|moving|placed
//   cut_short backup DATA_DIR BACKUP_DIR        (stops before verifying)
//
// Exits 0 at the step; 1 if it was never reached (the error on stderr);
// 2 for a wrong command line.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "storage/backup.h"
#include "storage/database.h"

namespace {

int Restore(const std::string& backups, const std::string& data, const std::string& step) {
  using duban::storage::RestoreStep;
  RestoreStep stop_at;
  if (step == "copied") {
    stop_at = RestoreStep::kCopied;
  } else if (step == "verified") {
    stop_at = RestoreStep::kVerified;
  } else if (step == "moving") {
    stop_at = RestoreStep::kMoving;
  } else if (step == "placed") {
    stop_at = RestoreStep::kPlaced;
  } else {
    return 2;
  }
  absl::StatusOr<duban::storage::Restored> restored = duban::storage::RestoreLatestBackup(
      backups, data, [stop_at](RestoreStep at) {
        if (at == stop_at) _exit(0);
      });
  std::fprintf(stderr, "cut_short: the restore ended: %s\n", restored.status().ToString().c_str());
  return 1;
}

int Backup(const std::string& data, const std::string& backups) {
  absl::StatusOr<std::unique_ptr<duban::storage::Database>> database =
      duban::storage::Database::Open({.path = data});
  if (!database.ok()) {
    std::fprintf(stderr, "cut_short: %s\n", database.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<duban::storage::BackupInfo> backup =
      duban::storage::CreateBackup(**database, backups, [] { _exit(0); });
  std::fprintf(stderr, "cut_short: the backup ended: %s\n", backup.status().ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "restore" && argc == 5) return Restore(argv[2], argv[3], argv[4]);
  if (command == "backup" && argc == 4) return Backup(argv[2], argv[3]);
  std::fprintf(stderr, "usage: cut_short restore BACKUPS DATA STEP | backup DATA BACKUPS\n");
  return 2;
}
