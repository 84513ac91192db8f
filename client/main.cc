// duban: the command-line client of duband.
//
//   duban [--server HOST:PORT] [--token TOKEN] [--ca PEM [--cert PEM --key PEM]]
//         [-o table|json|csv] NOUN VERB [ARGS...]
//   DUBAN_SERVER=127.0.0.1:7420 DUBAN_TOKEN=leader duban ticket list --overdue
#include <cstdlib>
#include <optional>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/text_file.h"
#include "client/commands.h"
#include "client/saved_session.h"
#include "client/session.h"

namespace duban::cli {
namespace {

std::vector<Command> AllCommands() {
  std::vector<Command> commands = TicketCommands();
  for (auto more : {DirectoryCommands, EscalationCommands, AccountabilityCommands,
                    PerformanceCommands, DrawCommands, ReportCommands, AuditCommands,
                    ReplicationCommands, AuthCommands}) {
    for (Command& command : more()) commands.push_back(std::move(command));
  }
  return commands;
}

void PrintHelp(std::ostream& out) {
  out << "duban: the client of the duban supervision workflow server (督办)\n\n"
         "usage: duban [--server HOST:PORT] [--token TOKEN] [--ca PEM [--cert PEM --key PEM]]\n"
         "             [-o table|json|csv]\n"
         "             NOUN [VERB] [ARGS]\n\n"
         "  --server   server address (env DUBAN_SERVER, default 127.0.0.1:7420)\n"
         "  --token    bearer token (env DUBAN_TOKEN; else the session of duban login)\n"
         "  -o         output: table (default), json (the protobuf JSON of the reply) or csv\n"
         "             (tables as comma-separated rows with a header; details as field,value)\n"
         "  --time-zone  zone for showing times and reading dates (default Asia/Shanghai)\n"
         "  --ca       PEM CA bundle of the server's certificate: connect with TLS\n"
         "  --cert, --key  PEM client certificate and key for mutual TLS (the certificate's\n"
         "             common name is the principal; --token, if given, still decides)\n\n"
         "Ticket ids are 42 or tickets/42; units are nongye or units/nongye; indicators\n"
         "liangshi or indicators/liangshi; ledger entries 3 or ledgerEntries/3; draws 1 or\n"
         "draws/1. Times are 2025-10-09 (end of that day), 2025-10-09 17:00 or\n"
         "2025-10-09T17:00:00+08:00. Points are decimals with up to two places (2, 0.5).\n\n"
         "commands:\n";
  for (const Command& command : AllCommands()) {
    out << "  duban " << command.noun << (command.verb.empty() ? "" : " ") << command.verb << " "
        << command.usage << "\n"
        << "      " << command.summary << "\n";
  }
  out << "\nOn error the exit code is 1 (the server refused: the gRPC code and message are\n"
         "on stderr) or 2 (the command line is wrong).\n";
}

struct Globals {
  SessionOptions options;
  std::vector<std::string> rest;
  bool help = false;
};

// Takes the global flags out of `argv`, wherever they are.
absl::StatusOr<Globals> ParseGlobals(int argc, char** argv) {
  Globals globals;
  if (const char* server = std::getenv("DUBAN_SERVER"); server != nullptr && *server != '\0') {
    globals.options.server = server;
  }
  if (const char* token = std::getenv("DUBAN_TOKEN"); token != nullptr) {
    globals.options.token = token;
  }
  std::string zone_name = "Asia/Shanghai";
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    std::string value;
    auto take = [&](const std::string& flag) -> absl::StatusOr<std::string> {
      if (word.rfind(flag + "=", 0) == 0) return word.substr(flag.size() + 1);
      if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat(flag, " needs a value"));
      return std::string(argv[++i]);
    };
    auto is = [&](const std::string& flag) {
      return word == flag || word.rfind(flag + "=", 0) == 0;
    };
    if (is("--server")) {
      auto taken = take("--server");
      if (!taken.ok()) return taken.status();
      globals.options.server = *taken;
    } else if (is("--token")) {
      auto taken = take("--token");
      if (!taken.ok()) return taken.status();
      globals.options.token = *taken;
    } else if (is("-o") || is("--output")) {
      auto taken = take(is("-o") ? "-o" : "--output");
      if (!taken.ok()) return taken.status();
      if (*taken == "json") {
        globals.options.format = OutputFormat::kJson;
      } else if (*taken == "table") {
        globals.options.format = OutputFormat::kTable;
      } else if (*taken == "csv") {
        globals.options.format = OutputFormat::kCsv;
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("-o must be table, json or csv, not ", *taken));
      }
    } else if (is("--ca") || is("--cert") || is("--key")) {
      const std::string flag = word.substr(0, word.find('='));
      auto taken = take(flag);
      if (!taken.ok()) return taken.status();
      absl::StatusOr<std::string> pem = ReadTextFile(*taken);
      if (!pem.ok()) return absl::InvalidArgumentError(absl::StrCat(flag, ": ", pem.status().message()));
      (flag == "--ca" ? globals.options.tls_ca
                      : flag == "--cert" ? globals.options.tls_cert : globals.options.tls_key) = *pem;
    } else if (is("--time-zone")) {
      auto taken = take("--time-zone");
      if (!taken.ok()) return taken.status();
      zone_name = *taken;
    } else if (word == "-h" || word == "--help" || word == "help") {
      globals.help = true;
    } else {
      globals.rest.push_back(word);
    }
  }
  if (globals.options.tls_cert.empty() != globals.options.tls_key.empty()) {
    return absl::InvalidArgumentError("--cert and --key go together");
  }
  // Without --token or DUBAN_TOKEN: the session `duban login` saved.
  if (globals.options.token.empty()) {
    absl::StatusOr<std::optional<SavedSession>> saved = ReadSavedSession();
    if (!saved.ok()) return saved.status();
    // Only to the server that issued it.
    if (*saved && (*saved)->server == globals.options.server) {
      globals.options.token = (*saved)->token;
    }
  }
  if (!absl::LoadTimeZone(zone_name, &globals.options.zone)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone ", zone_name));
  }
  return globals;
}

int Main(int argc, char** argv) {
  absl::StatusOr<Globals> globals = ParseGlobals(argc, argv);
  if (!globals.ok()) {
    std::cerr << "usage error: " << globals.status().message() << "\n";
    return kExitUsage;
  }
  if (globals->help || globals->rest.empty()) {
    PrintHelp(globals->help ? std::cout : std::cerr);
    return globals->help ? kExitOk : kExitUsage;
  }
  const std::string& noun = globals->rest[0];
  const std::string verb = globals->rest.size() > 1 ? globals->rest[1] : "";
  for (const Command& command : AllCommands()) {
    if (command.noun != noun || (!command.verb.empty() && command.verb != verb)) continue;
    Session session(globals->options, std::cout, std::cerr);
    const size_t skip = command.verb.empty() ? 1 : 2;
    std::vector<std::string> words(globals->rest.begin() + skip, globals->rest.end());
    absl::StatusOr<Args> args = Args::Parse(words, command.flags);
    if (!args.ok()) {
      session.Usage(args.status());
      std::cerr << "usage: duban " << noun << (command.verb.empty() ? "" : " ") << command.verb
                << " " << command.usage << "\n";
      return kExitUsage;
    }
    return command.run(session, *args);
  }
  std::cerr << "usage error: no command \"" << noun << " " << verb << "\" (see duban --help)\n";
  return kExitUsage;
}

}  // namespace

absl::StatusOr<std::string> OnePositional(const Args& args, absl::string_view what) {
  if (args.positionals().size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("expects one ", what, ", got ", args.positionals().size(), " arguments"));
  }
  return args.positionals().front();
}

}  // namespace duban::cli

int main(int argc, char** argv) { return duban::cli::Main(argc, argv); }
