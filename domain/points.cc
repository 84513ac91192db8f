#include "domain/points.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/errors.h"

namespace duban {
namespace {

constexpr int64_t kLimit = int64_t{100000000000};  // 1e9 points, in hundredths

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

absl::StatusOr<Points> Points::Parse(absl::string_view text, absl::string_view field) {
  auto bad = [&] {
    return InvalidField(
        field, absl::StrCat("\"", text, "\" is not a number of points like 2, 2.5 or -4.25"));
  };
  size_t at = 0;
  bool negative = false;
  if (at < text.size() && text[at] == '-') {
    negative = true;
    ++at;
  }
  int64_t whole = 0;
  size_t digits = 0;
  for (; at < text.size() && IsDigit(text[at]); ++at, ++digits) {
    whole = whole * 10 + (text[at] - '0');
    if (whole * 100 > kLimit) return bad();
  }
  if (digits == 0) return bad();
  int64_t fraction = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    size_t decimals = 0;
    for (; at < text.size() && IsDigit(text[at]); ++at, ++decimals) {
      if (decimals == 2) return InvalidField(field, "has more than two decimals");
      fraction = fraction * 10 + (text[at] - '0');
    }
    if (decimals == 0) return bad();
    if (decimals == 1) fraction *= 10;
  }
  if (at != text.size()) return bad();
  const int64_t hundredths = whole * 100 + fraction;
  if (hundredths > kLimit) return bad();
  return Points(negative ? -hundredths : hundredths);
}

std::string Points::ToString() const {
  const int64_t magnitude = std::llabs(hundredths_);
  std::string text = absl::StrCat(hundredths_ < 0 ? "-" : "", magnitude / 100);
  const int64_t fraction = magnitude % 100;
  if (fraction == 0) return text;
  if (fraction % 10 == 0) return absl::StrCat(text, ".", fraction / 10);
  return absl::StrCat(text, ".", absl::StrFormat("%02d", fraction));
}

Points Points::Times(Points factor) const {
  // (a/100) × (b/100) in hundredths is a×b/100, rounded half away from zero.
  const __int128 product = static_cast<__int128>(hundredths_) * factor.hundredths_;
  const __int128 magnitude = product < 0 ? -product : product;
  const int64_t rounded = static_cast<int64_t>((magnitude + 50) / 100);
  return Points(product < 0 ? -rounded : rounded);
}

}  // namespace duban
