#include "server/runtime/flag_sources.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/text_file.h"

namespace duban {
namespace {

constexpr int kMaxFlagFileDepth = 10;

// "--tls-cert=x" → "--tls_cert=x"; other words unchanged.
std::string Underscored(std::string word) {
  if (word.size() < 3 || !absl::StartsWith(word, "--")) return word;
  const size_t end = std::min(word.find('='), word.size());
  std::replace(word.begin() + 2, word.begin() + static_cast<std::ptrdiff_t>(end), '-', '_');
  return word;
}

absl::Status Expand(const std::vector<std::string>& args, int depth,
                    std::vector<std::string>& out) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      return absl::OkStatus();
    }
    const std::string word = Underscored(args[i]);
    std::string path;
    if (absl::StartsWith(word, "--flagfile=")) {
      path = word.substr(std::strlen("--flagfile="));
    } else if (word == "--flagfile" && i + 1 < args.size()) {
      path = args[++i];
    } else {
      out.push_back(word);
      continue;
    }
    if (depth == kMaxFlagFileDepth) {
      return absl::InvalidArgumentError(
          absl::StrCat("--flagfile: ", path, " nests flag files more than 10 deep"));
    }
    absl::StatusOr<std::vector<std::string>> lines = ReadFlagFile(path);
    if (!lines.ok()) return lines.status();
    if (absl::Status status = Expand(*lines, depth + 1, out); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ReadFlagFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) {
    return absl::NotFoundError(absl::StrCat("--flagfile: ", text.status().message()));
  }
  std::vector<std::string> flags;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    if (!absl::StartsWith(line, "--") || line.size() == 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--flagfile: ", path, " line ", number, " is not a flag (--name=value): ", line));
    }
    flags.emplace_back(line);
  }
  return flags;
}

absl::StatusOr<std::vector<std::string>> ExpandFlagArgs(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  if (absl::Status status = Expand(args, 0, out); !status.ok()) return status;
  return out;
}

std::string EnvironmentName(absl::string_view prefix, absl::string_view flag) {
  return absl::StrCat(prefix, "_", absl::AsciiStrToUpper(flag));
}

absl::Status ApplyEnvironment(absl::string_view prefix, const std::vector<std::string>& flags) {
  for (const std::string& name : flags) {
    const std::string variable = EnvironmentName(prefix, name);
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) {
      return absl::InternalError(absl::StrCat("no flag --", name, " for ", variable));
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(variable, "=", value, ": ", error));
    }
  }
  return absl::OkStatus();
}

}  // namespace duban
