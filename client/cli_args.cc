// Parsing the arguments of one `duban NOUN VERB` command against the flags
// it declares (cli_args.h).
#include "client/cli_args.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace duban::cli {

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& words,
                                 const std::vector<FlagSpec>& flags) {
  Args args;
  bool only_positionals = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (only_positionals || !absl::StartsWith(word, "--") || word.size() == 2) {
      if (word == "--" && !only_positionals) {
        only_positionals = true;
        continue;
      }
      args.positionals_.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    std::string value;
    bool has_inline_value = false;
    if (size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
      has_inline_value = true;
    }
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& candidate : flags) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    if (spec->kind == FlagKind::kSwitch) {
      if (has_inline_value) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
      }
    } else if (!has_inline_value) {
      if (i + 1 >= words.size()) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      }
      value = words[++i];
    }
    auto& values = args.values_[name];
    if (spec->kind != FlagKind::kRepeated && !values.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " is given twice"));
    }
    values.push_back(value);
  }
  return args;
}

bool Args::Has(absl::string_view flag) const { return values_.find(flag) != values_.end(); }

std::string Args::Get(absl::string_view flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? "" : it->second.front();
}

std::vector<std::string> Args::GetAll(absl::string_view flag) const {
  std::vector<std::string> all;
  auto it = values_.find(flag);
  if (it == values_.end()) return all;
  for (const std::string& value : it->second) {
    for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      all.emplace_back(part);
    }
  }
  return all;
}

}  // namespace duban::cli
