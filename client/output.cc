// Tables, CSV, protobuf JSON and short forms of names and times for the
// CLI's output (output.h).
#include "client/output.h"

#include <algorithm>
#include <ostream>

#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"

namespace duban::cli {
namespace {

bool IsWide(uint32_t code_point) {
  return (code_point >= 0x1100 && code_point <= 0x115F) ||
         (code_point >= 0x2E80 && code_point <= 0xA4CF) ||
         (code_point >= 0xAC00 && code_point <= 0xD7A3) ||
         (code_point >= 0xF900 && code_point <= 0xFAFF) ||
         (code_point >= 0xFE30 && code_point <= 0xFE4F) ||
         (code_point >= 0xFF00 && code_point <= 0xFF60) ||
         (code_point >= 0xFFE0 && code_point <= 0xFFE6) || code_point >= 0x20000;
}

void Pad(std::ostream& out, absl::string_view text, size_t width) {
  out << text;
  for (size_t used = DisplayWidth(text); used < width; ++used) out << ' ';
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    uint32_t code_point = byte;
    size_t length = 1;
    if (byte >= 0xF0) {
      length = 4;
      code_point = byte & 0x07;
    } else if (byte >= 0xE0) {
      length = 3;
      code_point = byte & 0x0F;
    } else if (byte >= 0xC0) {
      length = 2;
      code_point = byte & 0x1F;
    }
    for (size_t k = 1; k < length && i + k < text.size(); ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    width += IsWide(code_point) ? 2 : 1;
    i += length;
  }
  return width;
}

std::string CsvField(absl::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(cell);
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void Table::Print(std::ostream& out, OutputFormat format) const {
  if (format == OutputFormat::kCsv) {
    auto print_csv = [&](const std::vector<std::string>& row) {
      for (size_t column = 0; column < row.size(); ++column) {
        if (column > 0) out << ',';
        out << CsvField(row[column]);
      }
      out << "\n";
    };
    print_csv(headers_);
    for (const auto& row : rows_) print_csv(row);
    return;
  }
  std::vector<size_t> widths(headers_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t column = 0; column < row.size() && column < widths.size(); ++column) {
      widths[column] = std::max(widths[column], DisplayWidth(row[column]));
    }
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  auto print_row = [&](const std::vector<std::string>& row) {
    for (size_t column = 0; column < row.size(); ++column) {
      if (column + 1 == row.size()) {
        out << row[column];
      } else {
        Pad(out, row[column], widths[column]);
        out << "  ";
      }
    }
    out << "\n";
  };
  print_row(headers_);
  for (const auto& row : rows_) print_row(row);
}

void PrintFields(std::ostream& out, OutputFormat format,
                 const std::vector<std::pair<std::string, std::string>>& fields) {
  if (format == OutputFormat::kCsv) {
    out << "field,value\n";
    for (const auto& [key, value] : fields) {
      if (!value.empty()) out << CsvField(key) << ',' << CsvField(value) << "\n";
    }
    return;
  }
  size_t width = 0;
  for (const auto& [key, value] : fields) width = std::max(width, DisplayWidth(key));
  for (const auto& [key, value] : fields) {
    if (value.empty()) continue;
    Pad(out, key + ":", width + 2);
    out << value << "\n";
  }
}

void PrintJson(std::ostream& out, const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  out << json;
  if (json.empty() || json.back() != '\n') out << "\n";
}

bool IsSetTime(const google::protobuf::Timestamp& time) {
  return time.seconds() != 0 || time.nanos() != 0;
}

std::string FormatTime(const google::protobuf::Timestamp& time, absl::TimeZone zone) {
  if (!IsSetTime(time)) return "-";
  const absl::Time instant = absl::FromUnixSeconds(time.seconds());
  const absl::CivilSecond local = absl::ToCivilSecond(instant, zone);
  // Deadlines end at midnight; say "24:00" of the day they end, as people do.
  if (local.hour() == 0 && local.minute() == 0 && local.second() == 0) {
    return absl::FormatCivilTime(absl::CivilDay(local) - 1) + " 24:00";
  }
  return absl::FormatTime("%Y-%m-%d %H:%M", instant, zone);
}

std::string ShortName(absl::string_view name) {
  size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace duban::cli
