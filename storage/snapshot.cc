#include "storage/snapshot.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/utilities/checkpoint.h"
#include "storage/data_directory.h"

namespace duban::storage {
namespace {

constexpr char kSnapshotPrefix[] = ".snapshot-";
constexpr char kStagingName[] = ".replicating";
// In the staging directory once every file was received and checked.
constexpr char kVerifiedMarker[] = "VERIFIED";

std::string StagingPath(const std::string& data_directory) {
  return absl::StrCat(data_directory, "/", kStagingName);
}

absl::Status FromErrno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

absl::Status Sync(const std::string& directory) {
  return SyncDirectory(*rocksdb::FileSystem::Default(), directory);
}

// Moves the checked files of the staging directory into `data_directory`
// in place of what is there, CURRENT last.
absl::Status InstallStaged(const std::string& data_directory) {
  const std::string staging = StagingPath(data_directory);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(data_directory, error)) {
    const std::string name = entry.path().filename().string();
    if (name == kStagingName || name == "lost+found") continue;
    std::filesystem::remove_all(entry.path(), error);
    if (error) return absl::InternalError(absl::StrCat("remove ", name, ": ", error.message()));
  }
  if (error) return absl::InternalError(absl::StrCat("list ", data_directory, ": ", error.message()));
  RETURN_IF_ERROR(Sync(data_directory));
  for (const auto& entry : std::filesystem::directory_iterator(staging, error)) {
    const std::string name = entry.path().filename().string();
    if (name == "CURRENT" || name == kVerifiedMarker) continue;
    std::filesystem::rename(entry.path(), absl::StrCat(data_directory, "/", name), error);
    if (error) return absl::InternalError(absl::StrCat("move ", name, ": ", error.message()));
  }
  if (error) return absl::InternalError(absl::StrCat("list ", staging, ": ", error.message()));
  RETURN_IF_ERROR(Sync(data_directory));
  std::filesystem::rename(staging + "/CURRENT", data_directory + "/CURRENT", error);
  if (error) return absl::InternalError(absl::StrCat("move CURRENT: ", error.message()));
  RETURN_IF_ERROR(Sync(data_directory));
  std::filesystem::remove_all(staging, error);
  if (error) return absl::InternalError(absl::StrCat("remove ", staging, ": ", error.message()));
  return Sync(data_directory);
}

bool IsPlainName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name != kVerifiedMarker &&
         name.find('/') == std::string::npos && name[0] != '.';
}

}  // namespace

absl::StatusOr<std::unique_ptr<StoreSnapshot>> StoreSnapshot::Create(
    Database& database, const std::string& data_directory) {
  static std::atomic<int> counter{0};
  std::unique_ptr<StoreSnapshot> snapshot(new StoreSnapshot());
  snapshot->directory_ =
      absl::StrCat(data_directory, "/", kSnapshotPrefix, getpid(), "-", counter++);
  rocksdb::Checkpoint* raw = nullptr;
  RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(database.db(), &raw), "checkpoint"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  RETURN_IF_ERROR(FromRocks(checkpoint->CreateCheckpoint(snapshot->directory_),
                            absl::StrCat("make a checkpoint in ", snapshot->directory_)));
  std::error_code error;
  bool has_current = false;
  for (const auto& entry : std::filesystem::directory_iterator(snapshot->directory_, error)) {
    const std::string name = entry.path().filename().string();
    if (name == "CURRENT") {
      has_current = true;
    } else {
      snapshot->files_.push_back(name);
    }
  }
  if (error || !has_current) {
    return absl::InternalError(absl::StrCat("list ", snapshot->directory_, ": ", error.message()));
  }
  snapshot->files_.push_back("CURRENT");
  return snapshot;
}

void StoreSnapshot::RemoveLeftOver(const std::string& data_directory) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(data_directory, error)) {
    if (absl::StartsWith(entry.path().filename().string(), kSnapshotPrefix)) {
      std::filesystem::remove_all(entry.path(), error);
    }
  }
}

StoreSnapshot::~StoreSnapshot() {
  std::error_code error;
  std::filesystem::remove_all(directory_, error);
}

absl::StatusOr<SnapshotInstaller> SnapshotInstaller::Begin(const std::string& data_directory) {
  RETURN_IF_ERROR(PrepareDataDirectory(*rocksdb::FileSystem::Default(), data_directory));
  const std::string staging = StagingPath(data_directory);
  std::error_code error;
  std::filesystem::remove_all(staging, error);
  std::filesystem::create_directory(staging, error);
  if (error) return absl::InternalError(absl::StrCat("make ", staging, ": ", error.message()));
  return SnapshotInstaller(data_directory);
}

absl::Status SnapshotInstaller::FinishInterruptedInstall(const std::string& data_directory) {
  const std::string staging = StagingPath(data_directory);
  std::error_code error;
  if (!std::filesystem::exists(staging, error)) return absl::OkStatus();
  if (std::filesystem::exists(absl::StrCat(staging, "/", kVerifiedMarker), error)) {
    return InstallStaged(data_directory);
  }
  std::filesystem::remove_all(staging, error);
  if (error) return absl::InternalError(absl::StrCat("remove ", staging, ": ", error.message()));
  return Sync(data_directory);
}

SnapshotInstaller::~SnapshotInstaller() {
  for (auto& [name, file] : open_) ::close(file.fd);
}

absl::Status SnapshotInstaller::Append(const std::string& file, int64_t offset,
                                       absl::string_view data) {
  if (!IsPlainName(file)) {
    return absl::InvalidArgumentError(absl::StrCat("snapshot file name \"", file, "\""));
  }
  auto it = open_.find(file);
  if (it == open_.end()) {
    if (offset != 0) {
      return absl::InvalidArgumentError(absl::StrCat("snapshot file ", file, " begins at ", offset));
    }
    const std::string path = absl::StrCat(StagingPath(data_directory_), "/", file);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return FromErrno(absl::StrCat("create ", path));
    it = open_.emplace(file, OpenFile{.fd = fd, .hash = std::make_unique<Sha256Stream>()}).first;
  }
  OpenFile& open = it->second;
  if (offset != open.size) {
    return absl::InvalidArgumentError(
        absl::StrCat("snapshot file ", file, ": chunk at ", offset, ", expected ", open.size));
  }
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(open.fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FromErrno(absl::StrCat("write ", file));
    written += static_cast<size_t>(n);
  }
  open.hash->Add(data);
  open.size += static_cast<int64_t>(data.size());
  return absl::OkStatus();
}

absl::Status SnapshotInstaller::EndFile(const std::string& file, int64_t size,
                                        absl::string_view sha256) {
  // An empty file has no chunk with data; it begins here.
  if (!open_.contains(file)) RETURN_IF_ERROR(Append(file, 0, ""));
  OpenFile open = std::move(open_.at(file));
  open_.erase(file);
  const std::string hash = open.hash->Finish();
  const bool synced = ::fsync(open.fd) == 0;
  ::close(open.fd);
  if (!synced) return FromErrno(absl::StrCat("sync ", file));
  if (open.size != size || hash != sha256) {
    return absl::DataLossError(absl::StrCat("snapshot file ", file, " arrived with ", open.size,
                                            " bytes and another checksum than the primary's (",
                                            size, " bytes)"));
  }
  ++ended_;
  return absl::OkStatus();
}

absl::Status SnapshotInstaller::Install(int64_t file_count) {
  if (ended_ != file_count || !open_.empty()) {
    return absl::DataLossError(absl::StrCat("the snapshot ended with ", ended_, " of ",
                                            file_count, " files complete"));
  }
  const std::string staging = StagingPath(data_directory_);
  RETURN_IF_ERROR(Sync(staging));
  RETURN_IF_ERROR(FromRocks(
      rocksdb::WriteStringToFile(rocksdb::Env::Default(), "", absl::StrCat(staging, "/", kVerifiedMarker),
                                 /*should_sync=*/true),
      "mark the snapshot checked"));
  RETURN_IF_ERROR(Sync(staging));
  return InstallStaged(data_directory_);
}

}  // namespace duban::storage
