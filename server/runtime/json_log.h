// JsonLog: duband's log — one JSON object per line, written whole to a
// stream (stderr), at or above a level.
//
//   JsonLog log(stderr, LogLevel::kInfo);
//   log.Write(LogLevel::kInfo, "listening on 127.0.0.1:7420", {{"address", "127.0.0.1:7420"}});
//   → {"time":"2026-12-04T14:50:01.123Z","level":"info","msg":"listening on …","address":"…"}
//
// Fields are strings or numbers; keys and strings are escaped as JSON.
// Thread-safe: lines from different threads never interleave.
#ifndef DUBAN_SERVER_RUNTIME_JSON_LOG_H_
#define DUBAN_SERVER_RUNTIME_JSON_LOG_H_

#include <cstdio>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/mutex.h"

namespace duban {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "debug", "info", "warning" or "error"; INVALID_ARGUMENT naming
// --log_level otherwise.
absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name);
absl::string_view LogLevelName(LogLevel level);

using LogValue = std::variant<std::string, double, int64_t>;
using LogFields = std::vector<std::pair<std::string, LogValue>>;

// One log line (without the newline): time, level, msg, then `fields`.
std::string JsonLogLine(absl::Time time, LogLevel level, absl::string_view message,
                        const LogFields& fields);

class JsonLog {
 public:
  // `stream` is not owned and must outlive the log.
  JsonLog(std::FILE* stream, LogLevel threshold) : stream_(stream), threshold_(threshold) {}

  bool Enabled(LogLevel level) const { return level >= threshold_; }
  // Writes the line if `level` is enabled, and flushes it.
  void Write(LogLevel level, absl::string_view message, const LogFields& fields = {});

 private:
  std::FILE* stream_;
  LogLevel threshold_;
  Mutex mutex_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_JSON_LOG_H_
