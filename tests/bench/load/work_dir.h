// WorkDir: the scratch directory of one duban-load run — --work_dir, or a
// fresh directory under $TMPDIR (else /tmp), removed at the end unless
// --keep. Stores and duband logs go in subdirectories of it.
//
//   ASSIGN_OR_RETURN(WorkDir work, WorkDir::Make());
//   std::string raw_store = work.Fresh("raw");   // empty, on the same disk as the rest
#ifndef DUBAN_TESTS_BENCH_LOAD_WORK_DIR_H_
#define DUBAN_TESTS_BENCH_LOAD_WORK_DIR_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace duban::load {

class WorkDir {
 public:
  [[nodiscard]] static absl::StatusOr<WorkDir> Make();
  WorkDir(WorkDir&& other) noexcept;
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir();

  const std::string& path() const { return path_; }
  // `path()/name`, emptied if it existed.
  std::string Fresh(const std::string& name) const;

 private:
  WorkDir(std::string path, bool remove) : path_(std::move(path)), remove_(remove) {}
  std::string path_;
  bool remove_;
};

// Bytes of the regular files under `path`.
int64_t DirectoryBytes(const std::string& path);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_WORK_DIR_H_
