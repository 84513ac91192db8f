#include "tests/support/log_file.h"

namespace duban::testing {

std::string LogFile::Contents() const {
  std::fflush(file_);
  std::rewind(file_);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file_)) > 0) text.append(buffer, n);
  return text;
}

}  // namespace duban::testing
