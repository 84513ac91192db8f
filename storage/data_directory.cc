#include "storage/data_directory.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "storage/database.h"

namespace duban::storage {
namespace {

absl::Status FromIo(const rocksdb::IOStatus& status, absl::string_view what) {
  return FromRocks(rocksdb::Status(status), what);
}

// Files RocksDB makes when it creates a store, before CURRENT: a store
// whose first start was cut short holds nothing else, and is made anew.
bool IsStoreFileBeforeCurrent(absl::string_view name) {
  return name == "." || name == ".." || name == "lost+found" || name == "LOCK" ||
         name == "IDENTITY" || absl::StartsWith(name, "LOG") ||
         absl::StartsWith(name, "MANIFEST-") || absl::StartsWith(name, "OPTIONS-") ||
         absl::EndsWith(name, ".dbtmp");
}

std::string WithoutTrailingSlash(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

std::string RestoringPath(absl::string_view data_directory) {
  return absl::StrCat(WithoutTrailingSlash(std::string(data_directory)), "/.restoring");
}

std::string ParentOf(const std::string& path) {
  const std::string trimmed = WithoutTrailingSlash(path);
  const size_t slash = trimmed.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : trimmed.substr(0, slash);
}

absl::Status SyncDirectory(rocksdb::FileSystem& fs, const std::string& path) {
  std::unique_ptr<rocksdb::FSDirectory> directory;
  RETURN_IF_ERROR(FromIo(fs.NewDirectory(path, rocksdb::IOOptions(), &directory, nullptr),
                         absl::StrCat("open directory ", path)));
  return FromIo(directory->FsyncWithDirOptions(rocksdb::IOOptions(), nullptr,
                                               rocksdb::DirFsyncOptions()),
                absl::StrCat("sync directory ", path));
}

absl::Status PrepareDataDirectory(rocksdb::FileSystem& fs, const std::string& path) {
  const rocksdb::IOOptions io;
  if (!fs.FileExists(path, io, nullptr).ok()) {
    RETURN_IF_ERROR(FromIo(fs.CreateDirIfMissing(path, io, nullptr),
                           absl::StrCat("create ", path)));
    return SyncDirectory(fs, ParentOf(path));
  }
  std::vector<std::string> children;
  RETURN_IF_ERROR(FromIo(fs.GetChildren(path, io, &children, nullptr),
                         absl::StrCat("list ", path)));
  std::vector<std::string> strangers;
  bool staging = false;
  for (const std::string& child : children) {
    if (child == "CURRENT") return absl::OkStatus();  // a store
    if (child == ".restoring") {
      staging = true;
    } else if (!IsStoreFileBeforeCurrent(child)) {
      strangers.push_back(child);
    }
  }
  if (staging) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a restore into ", path, " was cut short (", RestoringPath(path),
        " holds its files): start duband again with the same --restore_from to retry it, or "
        "empty ", path, " to give it up"));
  }
  if (strangers.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      path, " holds files but no store (no CURRENT), such as ", strangers.front(),
      ": not opened as a new, empty store. It may be what an interrupted restore of an older "
      "release left; restore into an empty directory, or move the files away"));
}

}  // namespace duban::storage
