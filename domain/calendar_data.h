// Calendar data: reading calendar files, checking years before they are
// loaded, and building the WorkCalendar deadlines are counted on.
//
//   ASSIGN_OR_RETURN(std::vector<v1::CalendarYear> years, ParseCalendarFile(json));
//   RETURN_IF_ERROR(ValidateCalendarYears("years", years));
//   WorkCalendar calendar = BuildCalendar(zone, years, /*version=*/4);
#ifndef DUBAN_DOMAIN_CALENDAR_DATA_H_
#define DUBAN_DOMAIN_CALENDAR_DATA_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/work_calendar.h"
#include "duban/v1/calendar.pb.h"
#include "duban/v1/calendar_service.pb.h"

namespace duban {

// The years of a CalendarFile in protobuf JSON (see calendar.proto), each
// with the file's `source` unless it names its own. INVALID_ARGUMENT when
// it does not parse or has weekends other than Saturday and Sunday.
absl::StatusOr<std::vector<v1::CalendarYear>> ParseCalendarFile(absl::string_view json);

// The official mainland China calendar shipped with the server
// (domain/data/calendar-cn.json): the default before an admin loads any.
absl::string_view DefaultCalendarJson();
// Its years, with their source.
std::vector<v1::CalendarYear> ShippedCalendarYears();

// Each year between 1970 and 2200, listed once; every date a valid
// `YYYY-MM-DD` inside its year, not both a holiday and a make-up workday; a
// make-up workday falls on a weekend. INVALID_ARGUMENT naming each bad
// field, under `field` (e.g. "years").
[[nodiscard]] absl::Status ValidateCalendarYears(absl::string_view field,
                                                 const std::vector<v1::CalendarYear>& years);

// Answers "which is the Nth working day after this date, and what deadline
// does it make" on `calendar`, counting from today (`now`) when the request
// gives no date. INVALID_ARGUMENT naming bad fields.
absl::StatusOr<v1::AddWorkingDaysResponse> AddWorkingDays(const v1::AddWorkingDaysRequest& request,
                                                          const WorkCalendar& calendar,
                                                          absl::Time now);

WorkCalendar BuildCalendar(absl::TimeZone zone, const std::vector<v1::CalendarYear>& years,
                           int64_t version);

}  // namespace duban

#endif  // DUBAN_DOMAIN_CALENDAR_DATA_H_
