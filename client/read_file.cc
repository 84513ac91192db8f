#include "client/read_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace duban::cli {

absl::Status ReadJsonFile(const std::string& path, google::protobuf::Message& message) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &message);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a ",
                                                   message.GetDescriptor()->full_name(), ": ",
                                                   std::string(parsed.message())));
  }
  return absl::OkStatus();
}

}  // namespace duban::cli
