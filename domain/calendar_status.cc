#include "domain/calendar_status.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "domain/calendar_data.h"

namespace duban {
namespace {

std::set<int> LoadedYears(const v1::Calendar& loaded) {
  std::set<int> years;
  for (const v1::CalendarYear& year : loaded.years()) years.insert(year.year());
  return years;
}

}  // namespace

std::vector<v1::CalendarYear> ShippedYearsNotLoaded(const v1::Calendar& loaded,
                                                    const std::vector<v1::CalendarYear>& shipped) {
  const std::set<int> years = LoadedYears(loaded);
  std::vector<v1::CalendarYear> missing;
  for (const v1::CalendarYear& year : shipped) {
    if (!years.contains(year.year())) missing.push_back(year);
  }
  return missing;
}

absl::StatusOr<std::vector<v1::CalendarYear>> YearsToLoad(const v1::LoadCalendarRequest& request,
                                                          const v1::Calendar& loaded) {
  if (request.shipped()) {
    if (!request.years().empty()) {
      return InvalidField("years", "must be empty with shipped: the shipped years are loaded");
    }
    std::vector<v1::CalendarYear> years = ShippedYearsNotLoaded(loaded, ShippedCalendarYears());
    if (years.empty()) {
      return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "NOTHING_TO_LOAD",
                             "every year shipped with the server is loaded already");
    }
    return years;
  }
  std::vector<v1::CalendarYear> years(request.years().begin(), request.years().end());
  for (v1::CalendarYear& year : years) {
    if (year.source().empty()) year.set_source(request.source());
  }
  RETURN_IF_ERROR(ValidateCalendarYears("years", years));
  return years;
}

v1::CalendarStatus CalendarStatusOf(const v1::Calendar& loaded,
                                    const std::vector<v1::CalendarYear>& shipped, absl::Time now,
                                    absl::TimeZone zone) {
  v1::CalendarStatus status;
  status.set_time_zone(loaded.time_zone());
  status.set_version(loaded.version());
  *status.mutable_years() = loaded.years();
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  const int current = static_cast<int>(today.year());
  status.set_current_year(current);
  const std::set<int> years = LoadedYears(loaded);
  int covered = 0;
  for (int year = current; years.contains(year); ++year) covered = year;
  status.set_covered_until_year(covered);

  if (covered == 0) {
    status.add_missing_years(current);
    status.add_warnings(absl::StrCat(
        "the calendar has no ", current, ": deadlines this year skip weekends only, not "
        "holidays or make-up workdays; load the State Council notice for ", current,
        " (duban calendar load FILE)"));
  } else if (today.month() >= 11 && covered == current) {
    status.add_missing_years(current + 1);
    status.add_warnings(absl::StrCat(
        "the calendar ends with ", current, ": deadlines reaching into ", current + 1,
        " skip weekends only; load the State Council notice for ", current + 1,
        " when it is published, usually in November (duban calendar load FILE)"));
  }
  for (const v1::CalendarYear& year : ShippedYearsNotLoaded(loaded, shipped)) {
    status.add_shipped_years_not_loaded(year.year());
  }
  if (!status.shipped_years_not_loaded().empty()) {
    std::string list;
    for (int year : status.shipped_years_not_loaded()) {
      absl::StrAppend(&list, list.empty() ? "" : ", ", year);
    }
    status.add_warnings(absl::StrCat("this server ships the official calendar for ", list,
                                     ", which the store has not loaded: duban calendar load "
                                     "--shipped adds it as a new calendar version"));
  }
  return status;
}

}  // namespace duban
