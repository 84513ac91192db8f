// Command-line arguments of one `duban NOUN VERB` command: positionals and
// `--flag value` / `--flag=value` / `--switch` options, checked against the
// flags the command declares.
//
//   ASSIGN_OR_RETURN(Args args, Args::Parse(words, {{"title", kValue}, {"overdue", kSwitch}}));
//   std::string title = args.Get("title");
#ifndef DUBAN_CLIENT_CLI_ARGS_H_
#define DUBAN_CLIENT_CLI_ARGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace duban::cli {

enum class FlagKind {
  kValue,     // --name VALUE, once
  kRepeated,  // --name VALUE, any number of times
  kSwitch,    // --name, no value
};

struct FlagSpec {
  std::string name;
  FlagKind kind;
};

class Args {
 public:
  // INVALID_ARGUMENT naming the flag for an unknown flag, a missing value, or
  // a flag given twice that may be given once.
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& words,
                                    const std::vector<FlagSpec>& flags);

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool Has(absl::string_view flag) const;
  // The value of `flag`, or "" when absent.
  std::string Get(absl::string_view flag) const;
  // All values of a repeated flag; comma-separated values are split.
  std::vector<std::string> GetAll(absl::string_view flag) const;

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_CLI_ARGS_H_
