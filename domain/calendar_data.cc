#include "domain/calendar_data.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/text_rules.h"
#include "google/protobuf/util/json_util.h"

namespace duban {
namespace {

bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  return text.size() == 10 && absl::ParseCivilTime(text, day);
}

std::vector<absl::CivilDay> Days(const google::protobuf::RepeatedPtrField<std::string>& texts) {
  std::vector<absl::CivilDay> days;
  for (const std::string& text : texts) {
    absl::CivilDay day;
    if (ParseDay(text, &day)) days.push_back(day);
  }
  return days;
}

}  // namespace

absl::StatusOr<std::vector<v1::CalendarYear>> ParseCalendarFile(absl::string_view json) {
  v1::CalendarFile file;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &file, options);
  if (!parsed.ok()) {
    return InvalidField("calendar",
                        absl::StrCat("is not a calendar file: ", std::string(parsed.message())));
  }
  for (const std::string& weekend : file.weekend()) {
    if (weekend != "SATURDAY" && weekend != "SUNDAY") {
      return InvalidField("calendar.weekend", "only SATURDAY and SUNDAY weekends are supported");
    }
  }
  std::vector<v1::CalendarYear> years(file.years().begin(), file.years().end());
  for (v1::CalendarYear& year : years) {
    if (year.source().empty()) year.set_source(file.source());
  }
  return years;
}

std::vector<v1::CalendarYear> ShippedCalendarYears() {
  // Checked by the tests of this file: the shipped calendar parses.
  return ParseCalendarFile(DefaultCalendarJson()).value_or(std::vector<v1::CalendarYear>());
}

absl::Status ValidateCalendarYears(absl::string_view field,
                                   const std::vector<v1::CalendarYear>& years) {
  FieldViolations violations;
  if (years.empty()) violations.Add(std::string(field), "needs at least one year");
  std::set<int> seen;
  for (size_t i = 0; i < years.size(); ++i) {
    const v1::CalendarYear& year = years[i];
    const std::string prefix = absl::StrCat(field, "[", i, "]");
    if (year.year() < 1970 || year.year() > 2200) {
      violations.Add(absl::StrCat(prefix, ".year"), "must be between 1970 and 2200");
      continue;
    }
    if (!seen.insert(year.year()).second) {
      violations.Add(absl::StrCat(prefix, ".year"), absl::StrCat(year.year(), " is listed twice"));
    }
    CheckText(violations, absl::StrCat(prefix, ".source"), year.source(), kOptionalNote);
    std::set<absl::CivilDay> holidays;
    auto check = [&](const google::protobuf::RepeatedPtrField<std::string>& texts,
                     absl::string_view list, bool makeup) {
      for (int k = 0; k < texts.size(); ++k) {
        const std::string at = absl::StrCat(prefix, ".", list, "[", k, "]");
        absl::CivilDay day;
        if (!ParseDay(texts[k], &day)) {
          violations.Add(at, absl::StrCat("\"", texts[k], "\" is not a date like 2024-10-01"));
        } else if (day.year() != year.year()) {
          violations.Add(at, absl::StrCat(texts[k], " is not in ", year.year()));
        } else if (!makeup) {
          holidays.insert(day);
        } else if (holidays.contains(day)) {
          violations.Add(at, absl::StrCat(texts[k], " is also a holiday"));
        } else if (const absl::Weekday weekday = absl::GetWeekday(day);
                   weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday) {
          violations.Add(
              at, absl::StrCat(texts[k], " is a weekday; make-up workdays are weekend days"));
        }
      }
    };
    check(year.holidays(), "holidays", false);
    check(year.makeup_workdays(), "makeup_workdays", true);
  }
  return violations.ToStatus();
}

absl::StatusOr<v1::AddWorkingDaysResponse> AddWorkingDays(const v1::AddWorkingDaysRequest& request,
                                                          const WorkCalendar& calendar,
                                                          absl::Time now) {
  FieldViolations violations;
  absl::CivilDay from = absl::ToCivilDay(now, calendar.zone());
  if (!request.from_date().empty()) {
    if (IsSet(request.from_time())) {
      violations.Add("from_time", "cannot be given with from_date");
    } else if (!ParseDay(request.from_date(), &from)) {
      violations.Add("from_date", "must be a date like 2024-09-30");
    }
  } else if (IsSet(request.from_time())) {
    if (IsValidTimestamp(request.from_time())) {
      from = absl::ToCivilDay(FromTimestamp(request.from_time()), calendar.zone());
    } else {
      violations.Add("from_time", "must lie in the years 1 to 9999, with nanos 0..999999999");
    }
  }
  if (request.days() < 1 || request.days() > 366) {
    violations.Add("days", "must be between 1 and 366");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  const WorkingDayCount count = calendar.Count(from, request.days());
  v1::AddWorkingDaysResponse reply;
  reply.set_date(absl::FormatCivilTime(count.day));
  *reply.mutable_deadline() = ToTimestamp(calendar.EndOf(count.day));
  reply.set_calendar_version(calendar.version());
  reply.set_weekends_only(count.weekends_only);
  return reply;
}

WorkCalendar BuildCalendar(absl::TimeZone zone, const std::vector<v1::CalendarYear>& years,
                           int64_t version) {
  WorkCalendar calendar(zone, version);
  for (const v1::CalendarYear& year : years) {
    calendar.SetYear({.year = year.year(),
                      .holidays = Days(year.holidays()),
                      .makeup_workdays = Days(year.makeup_workdays())});
  }
  return calendar;
}

}  // namespace duban
