#include "tests/bench/load/work_dir.h"

#include <stdlib.h>

#include <filesystem>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "tests/bench/load/load_flags.h"

namespace duban::load {

absl::StatusOr<WorkDir> WorkDir::Make() {
  const bool keep = absl::GetFlag(FLAGS_keep);
  std::string path = absl::GetFlag(FLAGS_work_dir);
  std::error_code error;
  if (!path.empty()) {
    std::filesystem::create_directories(path, error);
    if (error)
      return absl::InternalError(absl::StrCat("cannot create ", path, ": ", error.message()));
    return WorkDir(std::filesystem::absolute(path).string(), !keep);
  }
  const char* tmp = getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/duban-load-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create ", pattern));
  }
  return WorkDir(pattern, !keep);
}

WorkDir::WorkDir(WorkDir&& other) noexcept : path_(std::move(other.path_)), remove_(other.remove_) {
  other.remove_ = false;
}

WorkDir::~WorkDir() {
  if (!remove_ || path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string WorkDir::Fresh(const std::string& name) const {
  const std::string path = absl::StrCat(path_, "/", name);
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
  std::filesystem::remove(path + ".log", ignored);
  return path;
}

int64_t DirectoryBytes(const std::string& path) {
  int64_t total = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path, error)) {
    if (entry.is_regular_file(error)) total += static_cast<int64_t>(entry.file_size(error));
  }
  return total;
}

}  // namespace duban::load
