// ScratchDir: a fresh directory under $TMPDIR (or /tmp), removed with
// everything in it when the ScratchDir goes away.
//
//   ScratchDir dir;
//   auto db = storage::Database::Open({.path = dir.path() + "/db"});
#ifndef DUBAN_TESTS_SUPPORT_SCRATCH_DIR_H_
#define DUBAN_TESTS_SUPPORT_SCRATCH_DIR_H_

#include <string>

namespace duban::testing {

class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_SCRATCH_DIR_H_
