// Reading a protobuf JSON file named on the command line (read_file.h).
#include "client/read_file.h"

#include "absl/strings/str_cat.h"
#include "base/text_file.h"
#include "google/protobuf/util/json_util.h"

namespace duban::cli {

absl::Status ReadJsonFile(const std::string& path, google::protobuf::Message& message) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  auto parsed = google::protobuf::util::JsonStringToMessage(*text, &message);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a ",
                                                   message.GetDescriptor()->full_name(), ": ",
                                                   std::string(parsed.message())));
  }
  return absl::OkStatus();
}

}  // namespace duban::cli
