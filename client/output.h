// Output helpers of the CLI: aligned tables that respect the width of
// Chinese characters, CSV, protobuf JSON, and short forms of names and times.
//
//   Table table({"TICKET", "STAGE", "TITLE"});
//   table.AddRow({"42", "DEPLOY", "秸秆禁烧督查"});
//   table.Print(session.out(), session.format());  // aligned, or CSV with -o csv
#ifndef DUBAN_CLIENT_OUTPUT_H_
#define DUBAN_CLIENT_OUTPUT_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace duban::cli {

// What `-o` asks for: aligned text, the protobuf JSON of the reply, or CSV.
enum class OutputFormat { kTable, kJson, kCsv };

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // Columns padded to their widest cell, the last column not padded; with
  // kCsv a header line and one line per row, quoted as RFC 4180 says.
  void Print(std::ostream& out, OutputFormat format) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "key: value" lines with the keys aligned (with kCsv, "key,value" lines);
// fields with an empty value are left out.
void PrintFields(std::ostream& out, OutputFormat format,
                 const std::vector<std::pair<std::string, std::string>>& fields);

// `cell` as one CSV field: quoted, with quotes doubled, when it holds a
// comma, a quote or a line break (RFC 4180).
std::string CsvField(absl::string_view cell);

// The protobuf JSON of `message`, indented, with a final newline.
void PrintJson(std::ostream& out, const google::protobuf::Message& message);

// Columns a terminal uses for `text` (2 for CJK and full-width characters).
size_t DisplayWidth(absl::string_view text);

bool IsSetTime(const google::protobuf::Timestamp& time);

// "2025-03-04 18:00" in `zone`; midnight shows as "24:00" of the day
// before ("2025-03-04 24:00"); "-" for an unset time.
std::string FormatTime(const google::protobuf::Timestamp& time, absl::TimeZone zone);

// The id part of a resource name: "nongye" for "units/nongye".
std::string ShortName(absl::string_view name);

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_OUTPUT_H_
