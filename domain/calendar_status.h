// What the working-day calendar covers and what it lacks: deadlines that
// count into a year without calendar data skip weekends only, so a missing
// year must never go unnoticed (duban calendar status, the start-up and
// daily log, the duban_calendar_covered_until_year gauge, the
// "duban.calendar" health check).
//
//   v1::CalendarStatus status =
//       CalendarStatusOf(settings->calendar_data(), ShippedCalendarYears(), now, zone);
//   for (const std::string& warning : status.warnings()) log.Write(LogLevel::kWarning, warning);
#ifndef DUBAN_DOMAIN_CALENDAR_STATUS_H_
#define DUBAN_DOMAIN_CALENDAR_STATUS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "duban/v1/calendar.pb.h"
#include "duban/v1/calendar_service.pb.h"

namespace duban {

// The status of `loaded` at `now` in `zone`: the current year, and from
// 1 November the next one, are flagged when missing; `shipped` years the
// store lacks are listed. Each finding comes with a warning that says what
// to do.
v1::CalendarStatus CalendarStatusOf(const v1::Calendar& loaded,
                                    const std::vector<v1::CalendarYear>& shipped, absl::Time now,
                                    absl::TimeZone zone);

// The shipped years `loaded` lacks, for LoadCalendar's `shipped`.
std::vector<v1::CalendarYear> ShippedYearsNotLoaded(const v1::Calendar& loaded,
                                                    const std::vector<v1::CalendarYear>& shipped);

// The years a LoadCalendar call loads, validated: its `years`, each with
// the request's `source` unless it names its own; or, with `shipped`, the
// years shipped with the server (ShippedCalendarYears) that `loaded` lacks
// — FAILED_PRECONDITION when there are none. INVALID_ARGUMENT naming the
// field for bad years, or `years` given with `shipped`.
absl::StatusOr<std::vector<v1::CalendarYear>> YearsToLoad(const v1::LoadCalendarRequest& request,
                                                          const v1::Calendar& loaded);

}  // namespace duban

#endif  // DUBAN_DOMAIN_CALENDAR_STATUS_H_
