#include "tests/crash/power_loss_file_system.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <utility>

namespace duban::testing {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

IOStatus PowerIsOff() { return IOStatus::IOError("power cut (simulated)"); }

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string WithoutTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// Cuts the file at `path` back to `size` bytes, through a writable file:
// not every FileSystem implements FileSystem::Truncate.
IOStatus CutBack(rocksdb::FileSystem* fs, const std::string& path, uint64_t size) {
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus status = fs->ReopenWritableFile(path, rocksdb::FileOptions(), &file, nullptr);
  if (status.ok()) status = file->Truncate(size, IOOptions(), nullptr);
  if (status.ok()) status = file->Close(IOOptions(), nullptr);
  return status;
}

// Info logs (LOG, LOG.old.*) hold diagnostics only; they are not tracked.
bool IsInfoLog(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return path.compare(slash == std::string::npos ? 0 : slash + 1, 3, "LOG") == 0;
}

// A writable file whose syncs the file system records instead of making.
class TrackedWritableFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  TrackedWritableFile(std::unique_ptr<rocksdb::FSWritableFile> target, PowerLossFileSystem* fs,
                      std::string path, uint64_t size)
      : FSWritableFileOwnerWrapper(std::move(target)),
        fs_(fs),
        path_(std::move(path)),
        size_(size) {}

  IOStatus Append(const Slice& data, const IOOptions& options, IODebugContext* dbg) override {
    IOStatus status = fs_->CheckPower();
    if (status.ok()) status = target()->Append(data, options, dbg);
    if (status.ok()) size_ += data.size();
    return status;
  }
  IOStatus Append(const Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo& verification,
                  IODebugContext* dbg) override {
    IOStatus status = fs_->CheckPower();
    if (status.ok()) status = target()->Append(data, options, verification, dbg);
    if (status.ok()) size_ += data.size();
    return status;
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            IODebugContext* dbg) override {
    IOStatus status = fs_->CheckPower();
    if (status.ok()) status = target()->PositionedAppend(data, offset, options, dbg);
    if (status.ok()) Grow(offset + data.size());
    return status;
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            const rocksdb::DataVerificationInfo& verification,
                            IODebugContext* dbg) override {
    IOStatus status = fs_->CheckPower();
    if (status.ok()) status = target()->PositionedAppend(data, offset, options, verification, dbg);
    if (status.ok()) Grow(offset + data.size());
    return status;
  }
  IOStatus Truncate(uint64_t size, const IOOptions& options, IODebugContext* dbg) override {
    IOStatus status = fs_->CheckPower();
    if (status.ok()) status = target()->Truncate(size, options, dbg);
    if (status.ok()) size_ = size;
    return status;
  }
  IOStatus Flush(const IOOptions& options, IODebugContext* dbg) override {
    IOStatus status = fs_->CheckPower();
    return status.ok() ? target()->Flush(options, dbg) : status;
  }
  IOStatus Sync(const IOOptions&, IODebugContext*) override {
    return fs_->RecordSync(path_, size_.load());
  }
  IOStatus Fsync(const IOOptions&, IODebugContext*) override {
    return fs_->RecordSync(path_, size_.load());
  }
  // Writes back a range without its metadata: nothing becomes durable.
  IOStatus RangeSync(uint64_t, uint64_t, const IOOptions&, IODebugContext*) override {
    return fs_->CheckPower();
  }
  bool IsSyncThreadSafe() const override { return true; }
  // Closes the real file even without power, so the store can let go of it.
  IOStatus Close(const IOOptions& options, IODebugContext* dbg) override {
    const IOStatus closed = target()->Close(options, dbg);
    const IOStatus power = fs_->CheckPower();
    return power.ok() ? closed : power;
  }

 private:
  void Grow(uint64_t end) {
    uint64_t size = size_.load();
    while (end > size && !size_.compare_exchange_weak(size, end)) {
    }
  }

  PowerLossFileSystem* const fs_;
  const std::string path_;
  std::atomic<uint64_t> size_;
};

// A directory whose fsyncs make the names in it durable.
class TrackedDirectory : public rocksdb::FSDirectoryWrapper {
 public:
  TrackedDirectory(std::unique_ptr<rocksdb::FSDirectory> target, PowerLossFileSystem* fs,
                   std::string path)
      : FSDirectoryWrapper(std::move(target)), fs_(fs), path_(std::move(path)) {}

  IOStatus Fsync(const IOOptions&, IODebugContext*) override {
    return fs_->RecordDirectorySync(path_);
  }
  IOStatus FsyncWithDirOptions(const IOOptions&, IODebugContext*,
                               const rocksdb::DirFsyncOptions&) override {
    return fs_->RecordDirectorySync(path_);
  }

 private:
  PowerLossFileSystem* const fs_;
  const std::string path_;
};

}  // namespace

PowerLossFileSystem::PowerLossFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base)
    : FileSystemWrapper(base) {}

void PowerLossFileSystem::CutPower() {
  std::lock_guard<std::mutex> lock(mutex_);
  powered_ = false;
}

void PowerLossFileSystem::CutPowerBeforeSync(int n) {
  std::lock_guard<std::mutex> lock(mutex_);
  syncs_until_cut_ = n;
}

bool PowerLossFileSystem::PowerForSyncLocked() {
  if (powered_ && syncs_until_cut_ > 0 && --syncs_until_cut_ == 0) powered_ = false;
  return powered_;
}

bool PowerLossFileSystem::powered() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return powered_;
}

IOStatus PowerLossFileSystem::CheckPower() const { return powered() ? IOStatus::OK() : PowerIsOff(); }

void PowerLossFileSystem::FailWalSyncs(bool fail, bool disk_full) {
  std::lock_guard<std::mutex> lock(mutex_);
  fail_wal_syncs_ = fail;
  disk_full_ = disk_full;
}

IOStatus PowerLossFileSystem::RecordSync(const std::string& path, uint64_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!PowerForSyncLocked()) return PowerIsOff();
  if (fail_wal_syncs_ && path.size() > 4 && path.compare(path.size() - 4, 4, ".log") == 0) {
    if (disk_full_) {
      return IOStatus::NoSpace("fsync " + path + ": No space left on device (simulated)");
    }
    return IOStatus::IOError("fsync " + path + ": Input/output error (simulated failing disk)");
  }
  auto found = files_.find(path);
  if (found != files_.end()) found->second.synced = std::max(found->second.synced, size);
  return IOStatus::OK();
}

IOStatus PowerLossFileSystem::RecordDirectorySync(const std::string& directory) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!PowerForSyncLocked()) return PowerIsOff();
  std::erase_if(new_directories_,
                [&](const std::string& made) { return DirectoryOf(made) == directory; });
  for (auto it = files_.begin(); it != files_.end();) {
    if (DirectoryOf(it->first) != directory) {
      ++it;
    } else if (!it->second.exists) {
      it = files_.erase(it);  // the rename away is durable now
    } else {
      it->second.name_durable = true;
      it->second.held_before.reset();
      ++it;
    }
  }
  return IOStatus::OK();
}

std::optional<std::string> PowerLossFileSystem::DurableContentLocked(const std::string& path) {
  auto found = files_.find(path);
  if (found != files_.end() && !found->second.name_durable) return found->second.held_before;
  if (!target()->FileExists(path, IOOptions(), nullptr).ok()) return std::nullopt;
  std::string content;
  if (!rocksdb::ReadFileToString(target(), path, &content).ok()) return std::nullopt;
  if (found != files_.end()) content.resize(std::min<uint64_t>(content.size(), found->second.synced));
  return content;
}

IOStatus PowerLossFileSystem::NewWritableFile(const std::string& path,
                                              const rocksdb::FileOptions& options,
                                              std::unique_ptr<rocksdb::FSWritableFile>* result,
                                              IODebugContext* dbg) {
  if (IsInfoLog(path)) return FileSystemWrapper::NewWritableFile(path, options, result, dbg);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!powered_) return PowerIsOff();
  std::optional<std::string> before = DurableContentLocked(path);
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus status = target()->NewWritableFile(path, options, &file, dbg);
  if (!status.ok()) return status;
  files_[path] = FileState{.synced = 0, .name_durable = false, .held_before = std::move(before)};
  *result = std::make_unique<TrackedWritableFile>(std::move(file), this, path, 0);
  return status;
}

IOStatus PowerLossFileSystem::ReopenWritableFile(const std::string& path,
                                                 const rocksdb::FileOptions& options,
                                                 std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                 IODebugContext* dbg) {
  if (IsInfoLog(path)) return FileSystemWrapper::ReopenWritableFile(path, options, result, dbg);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!powered_) return PowerIsOff();
  uint64_t size = 0;
  if (!target()->GetFileSize(path, IOOptions(), &size, dbg).ok()) size = 0;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus status = target()->ReopenWritableFile(path, options, &file, dbg);
  if (!status.ok()) return status;
  if (!files_.contains(path)) {
    files_[path] = FileState{.synced = size};
  } else if (files_[path].synced > size) {
    files_[path].synced = size;
  }
  *result = std::make_unique<TrackedWritableFile>(std::move(file), this, path, size);
  return status;
}

IOStatus PowerLossFileSystem::ReuseWritableFile(const std::string&, const std::string&,
                                                const rocksdb::FileOptions&,
                                                std::unique_ptr<rocksdb::FSWritableFile>*,
                                                IODebugContext*) {
  return IOStatus::NotSupported("PowerLossFileSystem does not model recycled log files");
}

IOStatus PowerLossFileSystem::NewRandomRWFile(const std::string&, const rocksdb::FileOptions&,
                                              std::unique_ptr<rocksdb::FSRandomRWFile>*,
                                              IODebugContext*) {
  return IOStatus::NotSupported("PowerLossFileSystem does not model random writes");
}

IOStatus PowerLossFileSystem::NewDirectory(const std::string& path, const IOOptions& options,
                                           std::unique_ptr<rocksdb::FSDirectory>* result,
                                           IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSDirectory> directory;
  IOStatus status = target()->NewDirectory(path, options, &directory, dbg);
  if (!status.ok()) return status;
  *result =
      std::make_unique<TrackedDirectory>(std::move(directory), this, WithoutTrailingSlashes(path));
  return status;
}

IOStatus PowerLossFileSystem::RenameFile(const std::string& from, const std::string& to,
                                         const IOOptions& options, IODebugContext* dbg) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!powered_) return PowerIsOff();
  if (IsInfoLog(from) || IsInfoLog(to)) return target()->RenameFile(from, to, options, dbg);
  std::optional<std::string> from_before = DurableContentLocked(from);
  std::optional<std::string> to_before = DurableContentLocked(to);
  uint64_t synced = 0;  // of the file itself, which keeps its data under the new name
  if (auto found = files_.find(from); found != files_.end() && found->second.exists) {
    synced = found->second.synced;
  } else if (!target()->GetFileSize(from, options, &synced, dbg).ok()) {
    synced = 0;
  }
  IOStatus status = target()->RenameFile(from, to, options, dbg);
  if (!status.ok()) return status;
  files_[to] = FileState{.synced = synced, .name_durable = false, .held_before = std::move(to_before)};
  if (from_before) {
    files_[from] = FileState{.synced = 0,
                             .name_durable = false,
                             .held_before = std::move(from_before),
                             .exists = false};
  } else {
    files_.erase(from);
  }
  return status;
}

IOStatus PowerLossFileSystem::LinkFile(const std::string& from, const std::string& to,
                                       const IOOptions& options, IODebugContext* dbg) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!powered_) return PowerIsOff();
  std::optional<std::string> to_before = DurableContentLocked(to);
  uint64_t synced = 0;
  if (auto found = files_.find(from); found != files_.end() && found->second.exists) {
    synced = found->second.synced;
  } else if (!target()->GetFileSize(from, options, &synced, dbg).ok()) {
    synced = 0;
  }
  IOStatus status = target()->LinkFile(from, to, options, dbg);
  if (!status.ok()) return status;
  files_[to] = FileState{.synced = synced, .name_durable = false, .held_before = std::move(to_before)};
  return status;
}

IOStatus PowerLossFileSystem::DeleteFile(const std::string& path, const IOOptions& options,
                                         IODebugContext* dbg) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!powered_) return PowerIsOff();
  IOStatus status = target()->DeleteFile(path, options, dbg);
  if (status.ok()) files_.erase(path);
  return status;
}

IOStatus PowerLossFileSystem::Truncate(const std::string& path, size_t size,
                                       const IOOptions& options, IODebugContext* dbg) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!powered_) return PowerIsOff();
  IOStatus status = target()->Truncate(path, size, options, dbg);
  if (auto found = files_.find(path); status.ok() && found != files_.end()) {
    found->second.synced = std::min<uint64_t>(found->second.synced, size);
  }
  return status;
}

IOStatus PowerLossFileSystem::CreateDir(const std::string& path, const IOOptions& options,
                                        IODebugContext* dbg) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!powered_) return PowerIsOff();
  IOStatus status = target()->CreateDir(path, options, dbg);
  if (status.ok()) new_directories_.insert(WithoutTrailingSlashes(path));
  return status;
}

IOStatus PowerLossFileSystem::CreateDirIfMissing(const std::string& path, const IOOptions& options,
                                                 IODebugContext* dbg) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!powered_) return PowerIsOff();
  const bool existed = target()->FileExists(path, options, dbg).ok();
  IOStatus status = target()->CreateDirIfMissing(path, options, dbg);
  if (status.ok() && !existed) new_directories_.insert(WithoutTrailingSlashes(path));
  return status;
}

IOStatus PowerLossFileSystem::DeleteDir(const std::string& path, const IOOptions& options,
                                        IODebugContext* dbg) {
  IOStatus status = CheckPower();
  return status.ok() ? target()->DeleteDir(path, options, dbg) : status;
}

IOStatus PowerLossFileSystem::RestoreDurableState(Dropped* dropped) {
  std::lock_guard<std::mutex> lock(mutex_);
  Dropped cut;
  // A directory whose name never became durable is gone, with its files.
  const auto in_lost_directory = [this](const std::string& path) {
    for (const std::string& directory : new_directories_) {
      if (path.size() > directory.size() && path.compare(0, directory.size(), directory) == 0 &&
          path[directory.size()] == '/') {
        return true;
      }
    }
    return false;
  };
  for (const std::string& directory : new_directories_) {
    if (in_lost_directory(directory)) continue;
    std::error_code error;
    std::filesystem::remove_all(directory, error);
    if (error) return IOStatus::IOError("remove " + directory + ": " + error.message());
    ++cut.names_removed;
  }
  for (const auto& [path, state] : files_) {
    if (in_lost_directory(path)) continue;
    if (!state.name_durable) {
      if (state.held_before) {
        IOStatus status = rocksdb::WriteStringToFile(target(), *state.held_before, path);
        if (!status.ok()) return status;
        ++cut.names_put_back;
      } else if (target()->FileExists(path, IOOptions(), nullptr).ok()) {
        IOStatus status = target()->DeleteFile(path, IOOptions(), nullptr);
        if (!status.ok()) return status;
        ++cut.names_removed;
      }
      continue;
    }
    uint64_t size = 0;
    if (target()->GetFileSize(path, IOOptions(), &size, nullptr).ok() && size > state.synced) {
      IOStatus status = CutBack(target(), path, state.synced);
      if (!status.ok()) return status;
      ++cut.files_cut_back;
      cut.bytes_cut += size - state.synced;
    }
  }
  files_.clear();
  new_directories_.clear();
  powered_ = true;
  syncs_until_cut_ = 0;
  if (dropped != nullptr) *dropped = cut;
  return IOStatus::OK();
}

PowerLossFileSystem::Dropped& PowerLossFileSystem::Dropped::operator+=(const Dropped& other) {
  files_cut_back += other.files_cut_back;
  bytes_cut += other.bytes_cut;
  names_removed += other.names_removed;
  names_put_back += other.names_put_back;
  return *this;
}

std::string PowerLossFileSystem::Dropped::ToString() const {
  return std::to_string(bytes_cut) + " unsynced bytes cut from " + std::to_string(files_cut_back) +
         " files, " + std::to_string(names_removed) + " names never made durable removed, " +
         std::to_string(names_put_back) + " put back";
}

}  // namespace duban::testing
