// The commands of `duban NOUN VERB ...`, each with its flags, its usage line
// and the function that runs it.
#ifndef DUBAN_CLIENT_COMMANDS_H_
#define DUBAN_CLIENT_COMMANDS_H_

#include <string>
#include <vector>

#include "client/cli_args.h"
#include "client/session.h"

namespace duban::cli {

struct Command {
  std::string noun;
  // Empty for a command that is a noun alone (`duban escalate`).
  std::string verb;
  // What follows `duban NOUN VERB`, e.g. "ID --comment TEXT [--percent N]".
  std::string usage;
  std::string summary;
  std::vector<FlagSpec> flags;
  // Returns the exit code.
  int (*run)(Session& session, const Args& args);
};

// `duban ticket ...`.
std::vector<Command> TicketCommands();
// `duban unit ...` and `duban principal ...`.
std::vector<Command> DirectoryCommands();
// `duban escalate`, `duban policy ...`, `duban events watch`, `duban calendar ...`.
std::vector<Command> EscalationCommands();
// `duban referral ...` and `duban record ...`.
std::vector<Command> AccountabilityCommands();
// `duban indicator ...`, `duban ledger ...` and `duban score ...`.
std::vector<Command> PerformanceCommands();
// `duban draw` and `duban draws ...`.
std::vector<Command> DrawCommands();
// `duban report`.
std::vector<Command> ReportCommands();
// `duban audit ...` and `duban admin backup`.
std::vector<Command> AuditCommands();
// `duban admin replication` and `duban admin promote`.
std::vector<Command> ReplicationCommands();
// `duban login`, `duban logout`, `duban principal set-password`, `duban
// session ...` and `duban audit events --security`.
std::vector<Command> AuthCommands();

// The one positional argument of a command, or a usage error.
absl::StatusOr<std::string> OnePositional(const Args& args, absl::string_view what);

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_COMMANDS_H_
