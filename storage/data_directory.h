// The store's directory on disk: created so that it survives a power cut
// (its parent directory synced after it is made), and refused when it
// holds what a store must not be opened on — a restore cut short, or files
// that are no RocksDB store.
//
//   RETURN_IF_ERROR(PrepareDataDirectory(*env->GetFileSystem(), "/var/lib/duban"));
//
// A restore stages its files in RestoringPath(dir), inside the directory,
// and moves them into place only when they are complete and verified,
// CURRENT last (backup.h); until CURRENT is there, the store is not opened.
#ifndef DUBAN_STORAGE_DATA_DIRECTORY_H_
#define DUBAN_STORAGE_DATA_DIRECTORY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/file_system.h"

namespace duban::storage {

// Where a restore into `data_directory` stages its files: its `.restoring`.
std::string RestoringPath(absl::string_view data_directory);

// Makes `path` ready to be opened as a store. A directory with CURRENT is
// a store; one with nothing but what RocksDB makes before CURRENT (a first
// start cut short) or a file system's lost+found is made into a new one.
// FAILED_PRECONDITION, saying how to go on, when a restore into it was cut
// short or when it holds other files but no CURRENT. When it is missing,
// creates it and syncs its parent, so that the name survives a power cut.
[[nodiscard]] absl::Status PrepareDataDirectory(rocksdb::FileSystem& fs, const std::string& path);

// Syncs the directory `path` itself (the names it holds).
[[nodiscard]] absl::Status SyncDirectory(rocksdb::FileSystem& fs, const std::string& path);

// The directory `path` is in ("." for a relative name without one).
std::string ParentOf(const std::string& path);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_DATA_DIRECTORY_H_
