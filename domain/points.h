// Points: exact decimal points of the performance ledger, kept as hundredths
// of a point in an int64 — no floating point anywhere.
//
//   ASSIGN_OR_RETURN(Points d, Points::Parse("2", "points"));
//   Points lead = d.Times(Points::FromHundredths(300));   // 6.00
//   lead.ToString();                                       // "6"
#ifndef DUBAN_DOMAIN_POINTS_H_
#define DUBAN_DOMAIN_POINTS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace duban {

class Points {
 public:
  constexpr Points() = default;
  static constexpr Points FromHundredths(int64_t hundredths) { return Points(hundredths); }

  // A decimal with at most two decimals and an optional sign: "3", "-4.2",
  // "0.35". INVALID_ARGUMENT naming `field` otherwise, or beyond ±1e9.
  static absl::StatusOr<Points> Parse(absl::string_view text, absl::string_view field);

  int64_t hundredths() const { return hundredths_; }
  // The shortest exact decimal: "6", "-4.2", "0.35".
  std::string ToString() const;

  // This × `factor`, rounded to a hundredth, halves away from zero.
  Points Times(Points factor) const;

  Points operator+(Points other) const { return Points(hundredths_ + other.hundredths_); }
  Points operator-() const { return Points(-hundredths_); }
  Points& operator+=(Points other) {
    hundredths_ += other.hundredths_;
    return *this;
  }
  auto operator<=>(const Points&) const = default;

 private:
  constexpr explicit Points(int64_t hundredths) : hundredths_(hundredths) {}
  int64_t hundredths_ = 0;
};

}  // namespace duban

#endif  // DUBAN_DOMAIN_POINTS_H_
