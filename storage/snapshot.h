// Whole-store copies for replicas (docs/replication.md).
//
// On the primary, StoreSnapshot is a RocksDB checkpoint of the live store —
// consistent, its sequence numbers and column families the store's — in
// `<data>/.snapshot-N`, hard links where it can, removed when the snapshot
// is destroyed.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<StoreSnapshot> snapshot, StoreSnapshot::Create(db, dir));
//   for (const std::string& file : snapshot->files()) send(snapshot->directory() + "/" + file);
//
// On the replica, SnapshotInstaller stages the files it receives in
// `<data>/.replicating`, checks each against its size and SHA-256, and
// installs them as the data directory's store: the old store's files go,
// the new ones move in, CURRENT last (as a restore does: backup.h). Cut
// short while receiving, the staged files are thrown away and the old
// store stays (FinishInterruptedInstall); cut short while installing —
// once every file was received and checked — the install is finished.
//
//   ASSIGN_OR_RETURN(SnapshotInstaller installer, SnapshotInstaller::Begin(dir));
//   RETURN_IF_ERROR(installer.Append("000012.sst", 0, bytes));
//   RETURN_IF_ERROR(installer.EndFile("000012.sst", size, sha256));
//   RETURN_IF_ERROR(installer.Install(file_count));
//
// Neither is thread-safe.
#ifndef DUBAN_STORAGE_SNAPSHOT_H_
#define DUBAN_STORAGE_SNAPSHOT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/sha256.h"
#include "storage/database.h"

namespace duban::storage {

class StoreSnapshot {
 public:
  // A checkpoint of `database`, whose directory is `data_directory`.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<StoreSnapshot>> Create(
      Database& database, const std::string& data_directory);
  // Removes the checkpoints a process that stopped left in `data_directory`.
  static void RemoveLeftOver(const std::string& data_directory);

  StoreSnapshot(const StoreSnapshot&) = delete;
  StoreSnapshot& operator=(const StoreSnapshot&) = delete;
  ~StoreSnapshot();

  const std::string& directory() const { return directory_; }
  // The files' names in directory(), CURRENT last.
  const std::vector<std::string>& files() const { return files_; }

 private:
  StoreSnapshot() = default;
  std::string directory_;
  std::vector<std::string> files_;
};

class SnapshotInstaller {
 public:
  // Empties (or makes) the staging directory of `data_directory`.
  [[nodiscard]] static absl::StatusOr<SnapshotInstaller> Begin(const std::string& data_directory);
  // Before a replica opens `data_directory`: finishes an install that was
  // cut short after its files were checked, or throws away one cut short
  // before.
  [[nodiscard]] static absl::Status FinishInterruptedInstall(const std::string& data_directory);

  SnapshotInstaller(SnapshotInstaller&&) = default;
  SnapshotInstaller& operator=(SnapshotInstaller&&) = default;
  // Closes the files still open; what was staged stays until the next Begin.
  ~SnapshotInstaller();

  // Writes `data` at `offset` of `file` (chunks come in order).
  // INVALID_ARGUMENT for a name that is not a plain file name, or a chunk
  // out of order.
  [[nodiscard]] absl::Status Append(const std::string& file, int64_t offset,
                                    absl::string_view data);
  // Ends `file`: DATA_LOSS unless it has `size` bytes whose SHA-256 is
  // `sha256`. Syncs it.
  [[nodiscard]] absl::Status EndFile(const std::string& file, int64_t size,
                                     absl::string_view sha256);
  // With every one of `file_count` files ended: installs them as the store.
  [[nodiscard]] absl::Status Install(int64_t file_count);

 private:
  struct OpenFile {
    int fd = -1;
    int64_t size = 0;
    std::unique_ptr<Sha256Stream> hash;
  };
  explicit SnapshotInstaller(std::string data_directory)
      : data_directory_(std::move(data_directory)) {}
  std::string data_directory_;
  std::map<std::string, OpenFile> open_;
  int64_t ended_ = 0;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_SNAPSHOT_H_
