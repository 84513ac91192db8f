#include "domain/period.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"

namespace duban {

absl::StatusOr<Period> ResolvePeriod(absl::string_view field, absl::string_view year,
                                     absl::Time now, absl::TimeZone zone) {
  int number = 0;
  if (year.empty()) {
    number = static_cast<int>(absl::ToCivilYear(now, zone).year());
  } else if (year.size() != 4 || !absl::SimpleAtoi(year, &number) || number < 2000 ||
             number > 2200) {
    return InvalidField(field, "must be a year like 2025");
  }
  return Period{.year = absl::StrCat(number),
                .start = absl::FromCivil(absl::CivilYear(number), zone),
                .end = absl::FromCivil(absl::CivilYear(number + 1), zone)};
}

}  // namespace duban
