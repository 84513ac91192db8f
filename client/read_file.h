// Reading a JSON file given on the command line into a protobuf message.
#ifndef DUBAN_CLIENT_READ_FILE_H_
#define DUBAN_CLIENT_READ_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace duban::cli {

// INVALID_ARGUMENT naming the file when it cannot be read or is not the
// protobuf JSON of `message`'s type.
absl::Status ReadJsonFile(const std::string& path, google::protobuf::Message& message);

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_READ_FILE_H_
