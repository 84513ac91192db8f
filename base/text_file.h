// Reading a whole file named on a command line or in a flag.
#ifndef DUBAN_BASE_TEXT_FILE_H_
#define DUBAN_BASE_TEXT_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace duban {

// The file's bytes; INVALID_ARGUMENT naming the path when it cannot be read.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

}  // namespace duban

#endif  // DUBAN_BASE_TEXT_FILE_H_
