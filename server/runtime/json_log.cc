#include "server/runtime/json_log.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace duban {
namespace {

void AppendJsonString(std::string& out, absl::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendJsonValue(std::string& out, const LogValue& value) {
  if (const std::string* text = std::get_if<std::string>(&value)) {
    AppendJsonString(out, *text);
  } else if (const int64_t* integer = std::get_if<int64_t>(&value)) {
    absl::StrAppend(&out, *integer);
  } else {
    const double number = std::get<double>(value);
    if (std::isfinite(number)) {
      absl::StrAppendFormat(&out, "%.6g", number);
    } else {
      out += "null";
    }
  }
}

}  // namespace

absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (name == LogLevelName(level)) return level;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--log_level must be debug, info, warning or error, not \"", name, "\""));
}

absl::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

std::string JsonLogLine(absl::Time time, LogLevel level, absl::string_view message,
                        const LogFields& fields) {
  std::string line = "{\"time\":";
  AppendJsonString(line, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone()));
  line += ",\"level\":";
  AppendJsonString(line, LogLevelName(level));
  line += ",\"msg\":";
  AppendJsonString(line, message);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    AppendJsonString(line, key);
    line.push_back(':');
    AppendJsonValue(line, value);
  }
  line.push_back('}');
  return line;
}

void JsonLog::Write(LogLevel level, absl::string_view message, const LogFields& fields) {
  if (!Enabled(level)) return;
  std::string line = JsonLogLine(absl::Now(), level, message, fields);
  line.push_back('\n');
  MutexLock lock(&mutex_);
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fflush(stream_);
}

}  // namespace duban
