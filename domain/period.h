// Reporting periods: a year in the county's time zone, as records, the
// county report and the scoreboard count them.
//
//   ASSIGN_OR_RETURN(Period period, ResolvePeriod("period", request.period(), now, zone));
//   if (period.Contains(referral_time)) ...
#ifndef DUBAN_DOMAIN_PERIOD_H_
#define DUBAN_DOMAIN_PERIOD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace duban {

struct Period {
  // The year, "2026".
  std::string year;
  // 00:00 local on 1 January, and on 1 January of the next year.
  absl::Time start;
  absl::Time end;

  bool Contains(absl::Time time) const { return start <= time && time < end; }
};

// The period `year` names, or the current year in `zone` when it is empty.
// INVALID_ARGUMENT naming `field` unless it is a year 2000–2200.
absl::StatusOr<Period> ResolvePeriod(absl::string_view field, absl::string_view year,
                                     absl::Time now, absl::TimeZone zone);

}  // namespace duban

#endif  // DUBAN_DOMAIN_PERIOD_H_
