#include "base/byte_size.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace duban {
namespace {

struct Unit {
  const char* name;  // lower case
  int shift;
};

constexpr Unit kUnits[] = {
    {"", 0},   {"b", 0},   {"k", 10},  {"ki", 10},  {"kb", 10}, {"kib", 10},
    {"m", 20}, {"mi", 20}, {"mb", 20}, {"mib", 20}, {"g", 30},  {"gi", 30},
    {"gb", 30}, {"gib", 30}, {"t", 40}, {"ti", 40}, {"tb", 40}, {"tib", 40}};

}  // namespace

absl::StatusOr<ByteSize> ParseByteSize(absl::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  size_t digits = 0;
  while (digits < trimmed.size() && absl::ascii_isdigit(trimmed[digits])) ++digits;
  const std::string unit =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(trimmed.substr(digits)));
  uint64_t number = 0;
  if (digits == 0 || !absl::SimpleAtoi(trimmed.substr(0, digits), &number)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not an amount of bytes: write e.g. 512MiB, 1GiB or 65536"));
  }
  for (const Unit& known : kUnits) {
    if (unit != known.name) continue;
    if (number > (std::numeric_limits<uint64_t>::max() >> 1) >> known.shift) {
      return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is too large"));
    }
    return ByteSize{number << known.shift};
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", text, "\" has an unknown unit \"", unit, "\": use KiB, MiB, GiB or TiB"));
}

std::string FormatByteSize(ByteSize size) {
  static constexpr const char* kNames[] = {"TiB", "GiB", "MiB", "KiB"};
  static constexpr int kShifts[] = {40, 30, 20, 10};
  for (int i = 0; i < 4; ++i) {
    const uint64_t unit = uint64_t{1} << kShifts[i];
    if (size.bytes != 0 && size.bytes % unit == 0) {
      return absl::StrCat(size.bytes / unit, kNames[i]);
    }
  }
  return absl::StrCat(size.bytes);
}

bool AbslParseFlag(absl::string_view text, ByteSize* size, std::string* error) {
  absl::StatusOr<ByteSize> parsed = ParseByteSize(text);
  if (!parsed.ok()) {
    *error = std::string(parsed.status().message());
    return false;
  }
  *size = *parsed;
  return true;
}

std::string AbslUnparseFlag(ByteSize size) { return FormatByteSize(size); }

}  // namespace duban
