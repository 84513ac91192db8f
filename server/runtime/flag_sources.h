// Where duband's flags come from, besides the command line: flag files and
// the environment.
//
//   duband --flagfile=/etc/duban/duband.flags --listen=0.0.0.0:7420
//   DUBAND_DATA=/var/lib/duban duband
//
// Precedence, lowest first: the environment, then the command line in
// order (a flag file's lines stand where the --flagfile flag stands, so a
// flag after it wins). Flag names may be spelled with hyphens or
// underscores everywhere (--tls-cert, --tls_cert).
#ifndef DUBAN_SERVER_RUNTIME_FLAG_SOURCES_H_
#define DUBAN_SERVER_RUNTIME_FLAG_SOURCES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace duban {

// The lines of a flag file as arguments: one `--name=value` per line,
// blank lines and lines starting with `#` skipped, surrounding whitespace
// trimmed. INVALID_ARGUMENT naming the file and line for a line that is no
// flag, NOT_FOUND naming --flagfile if the file cannot be read.
absl::StatusOr<std::vector<std::string>> ReadFlagFile(const std::string& path);

// `args` (argv[1..]) with every `--flagfile=F` (or `--flagfile F`) replaced
// by the lines of F — which may name further flag files, up to 10 deep —
// and flag names written with underscores: "--tls-cert=x" → "--tls_cert=x".
// Words after "--" are left as they are.
absl::StatusOr<std::vector<std::string>> ExpandFlagArgs(const std::vector<std::string>& args);

// "DUBAND_TLS_CERT" for flag "tls_cert".
std::string EnvironmentName(absl::string_view prefix, absl::string_view flag);

// Sets each flag named in `flags` from the environment variable
// EnvironmentName(prefix, flag) where that is set. INVALID_ARGUMENT naming
// the variable for a value the flag does not accept.
absl::Status ApplyEnvironment(absl::string_view prefix, const std::vector<std::string>& flags);

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_FLAG_SOURCES_H_
