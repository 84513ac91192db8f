// PowerLossFileSystem: a rocksdb::FileSystem over the real one that keeps
// track of what would survive a power cut, and can simulate one.
//
//   auto fs = std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default());
//   std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
//   ... open a store with env.get() and write to it ...
//   fs->CutPower();               // every later write, sync, rename, delete fails
//                                 // (or CutPowerBeforeSync(n): at the nth sync)
//   ... close the store ...
//   fs->RestoreDurableState();    // the files as the disk would hold them
//   ... reopen the store and check it ...
//
// What survives a power cut, file by file:
// - bytes appended to a file, up to its size at the last Sync or Fsync
//   that returned OK; RangeSync and Close make nothing durable
//   (sync_file_range writes back no metadata, close syncs nothing);
// - a file's name once its directory was fsynced after the file was
//   created or renamed into place. Until then a power cut removes the name,
//   or gives it back what it durably held before (the file a rename
//   replaced); and the source name of a rename comes back if it was
//   durable. A deletion is durable at once (a deleted file never returns:
//   RocksDB would delete it again as obsolete);
// - a directory's name once its parent was fsynced after the directory was
//   created. Until then a power cut removes the directory with everything
//   in it.
// Files this file system never saw created (those on disk when it started,
// or when power last came back) are durable as they are. Info logs (LOG,
// LOG.old.*) are not tracked. Random-access writes and recycled log files
// are refused (NotSupported): the store uses neither.
//
// Syncs are recorded, not made: the real files stay in the page cache,
// which keeps the test fast; the durable state is this model's.
//
// Thread-safe. The file system must outlive every file it hands out.
#ifndef DUBAN_TESTS_CRASH_POWER_LOSS_FILE_SYSTEM_H_
#define DUBAN_TESTS_CRASH_POWER_LOSS_FILE_SYSTEM_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "rocksdb/file_system.h"

namespace duban::testing {

class PowerLossFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit PowerLossFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base);
  PowerLossFileSystem(const PowerLossFileSystem&) = delete;
  PowerLossFileSystem& operator=(const PowerLossFileSystem&) = delete;

  const char* Name() const override { return "PowerLossFileSystem"; }

  // From now on every write, sync, create, rename and delete fails with an
  // IOError (reads still work). What was durable at this instant is what
  // RestoreDurableState leaves.
  void CutPower();
  // Cuts the power just before the `n`th file or directory sync from now,
  // which then fails: the bytes appended since that file's last sync are
  // lost, with the write (or table, or manifest edit) they belong to.
  void CutPowerBeforeSync(int n);
  bool powered() const;
  // While set, every sync of a write-ahead log (*.log) fails, as a failing
  // disk's does — with EIO, or with ENOSPC when `disk_full` (which RocksDB
  // takes for an error it may recover from) — and makes nothing durable;
  // the power stays on and every other file works.
  void FailWalSyncs(bool fail, bool disk_full = false);
  // What RestoreDurableState threw away.
  struct Dropped {
    int files_cut_back = 0;
    uint64_t bytes_cut = 0;
    int names_removed = 0;
    int names_put_back = 0;
    Dropped& operator+=(const Dropped& other);
    std::string ToString() const;
  };
  // Rewrites the files to what survived the cut: drops unsynced bytes,
  // removes names never made durable and puts back what they replaced.
  // Call once every file of the store is closed. Power is back on
  // afterwards and everything on disk counts as durable. `dropped` (may be
  // null) is set to what was thrown away.
  rocksdb::IOStatus RestoreDurableState(Dropped* dropped = nullptr);

  rocksdb::IOStatus NewWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& path,
                                       const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& path, const std::string& old_path,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewRandomRWFile(const std::string& path, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSRandomRWFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewDirectory(const std::string& path, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* result,
                                 rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus LinkFile(const std::string& from, const std::string& to,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& path, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus Truncate(const std::string& path, size_t size,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDir(const std::string& path, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDirIfMissing(const std::string& path, const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteDir(const std::string& path, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override;

  // For the files and directories handed out.
  rocksdb::IOStatus CheckPower() const;
  rocksdb::IOStatus RecordSync(const std::string& path, uint64_t size);
  rocksdb::IOStatus RecordDirectorySync(const std::string& directory);

 private:
  struct FileState {
    // Bytes that survive a power cut (if the name does).
    uint64_t synced = 0;
    // Whether the name survives a power cut.
    bool name_durable = true;
    // While the name is not durable: what it durably held before (nullopt:
    // nothing, so a power cut removes it).
    std::optional<std::string> held_before;
    // False for a name renamed away, kept so that a power cut can bring it
    // back.
    bool exists = true;
  };

  // Counts a sync against CutPowerBeforeSync; whether the power is on.
  bool PowerForSyncLocked();
  // What `path` holds durably now; nullopt if nothing.
  std::optional<std::string> DurableContentLocked(const std::string& path);
  // Starts tracking `path` as a name just made, not yet durable.
  void TrackNewNameLocked(const std::string& path, uint64_t synced);

  mutable std::mutex mutex_;
  bool powered_ = true;                     // GUARDED_BY(mutex_)
  int syncs_until_cut_ = 0;                 // GUARDED_BY(mutex_); 0: none armed
  bool fail_wal_syncs_ = false;             // GUARDED_BY(mutex_)
  bool disk_full_ = false;                  // GUARDED_BY(mutex_)
  std::map<std::string, FileState> files_;  // GUARDED_BY(mutex_)
  // Directories created while this file system ran whose names are not
  // durable yet.
  std::set<std::string> new_directories_;  // GUARDED_BY(mutex_)
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_CRASH_POWER_LOSS_FILE_SYSTEM_H_
