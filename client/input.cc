// Reading ticket ids, unit ids, times, points and enum labels as a clerk
// types them (input.h).
#include "client/input.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"

namespace duban::cli {
namespace {

std::string WithPrefix(absl::string_view text, absl::string_view prefix) {
  if (text.empty() || absl::StartsWith(text, prefix)) return std::string(text);
  return absl::StrCat(prefix, text);
}

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  timestamp.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(timestamp.seconds()))));
  return timestamp;
}

// "7" or "{collection}/7" → "{collection}/7"; `what` and `example` make
// the error say what was expected.
absl::StatusOr<std::string> NumberedNameArg(absl::string_view text, absl::string_view collection,
                                            absl::string_view what, absl::string_view example) {
  const std::string prefix = absl::StrCat(collection, "/");
  absl::string_view digits = absl::StartsWith(text, prefix) ? text.substr(prefix.size()) : text;
  uint64_t id = 0;
  if (!absl::SimpleAtoi(digits, &id) || id == 0) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a ", what, " id (",
                                                   example, " or ", prefix, example, ")"));
  }
  return absl::StrCat(prefix, id);
}

}  // namespace

absl::StatusOr<std::string> TicketNameArg(absl::string_view text) {
  return NumberedNameArg(text, "tickets", "ticket", "42");
}

absl::StatusOr<std::string> LedgerEntryNameArg(absl::string_view text) {
  return NumberedNameArg(text, "ledgerEntries", "ledger entry", "3");
}

absl::StatusOr<std::string> DrawNameArg(absl::string_view text) {
  return NumberedNameArg(text, "draws", "draw", "1");
}

std::string UnitNameArg(absl::string_view text) { return WithPrefix(text, "units/"); }
std::string PrincipalNameArg(absl::string_view text) { return WithPrefix(text, "principals/"); }
std::string IndicatorNameArg(absl::string_view text) { return WithPrefix(text, "indicators/"); }

absl::StatusOr<v1::DeadlineSpan> SpanArg(absl::string_view text, absl::string_view flag) {
  v1::DeadlineSpan span;
  int amount = 0;
  if (absl::EndsWith(text, "wd") && absl::SimpleAtoi(text.substr(0, text.size() - 2), &amount) &&
      amount > 0) {
    span.set_working_days(amount);
  } else if (absl::EndsWith(text, "h") &&
             absl::SimpleAtoi(text.substr(0, text.size() - 1), &amount) && amount > 0) {
    span.set_hours(amount);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, ": \"", text, "\" is not a span; use 5wd (working days) or 48h (hours)"));
  }
  return span;
}

absl::StatusOr<int> IntArg(absl::string_view text, int min, int max, absl::string_view flag) {
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": \"", text, "\" is not a number from ", min, " to ", max));
  }
  return value;
}

absl::StatusOr<std::string> PointsArg(absl::string_view text, absl::string_view flag) {
  const size_t dot = text.find('.');
  absl::string_view whole = text.substr(0, dot);
  absl::string_view fraction =
      dot == absl::string_view::npos ? absl::string_view() : text.substr(dot + 1);
  auto all_digits = [](absl::string_view part) {
    return std::all_of(part.begin(), part.end(), absl::ascii_isdigit);
  };
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction) || fraction.size() > 2 ||
      (dot != absl::string_view::npos && fraction.empty())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, ": \"", text, "\" is not points; use a number with up to two decimals (2.5)"));
  }
  return std::string(text);
}

absl::StatusOr<std::string> PeriodArg(absl::string_view text, absl::string_view flag) {
  int year = 0;
  if (text.size() != 4 || !absl::SimpleAtoi(text, &year) || year < 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": \"", text, "\" is not a period; use a year (2025)"));
  }
  return std::string(text);
}

absl::StatusOr<google::protobuf::Timestamp> TimeArg(absl::string_view text, absl::TimeZone zone,
                                                    absl::string_view flag) {
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return ToProto(time);
  std::string local(text);
  if (local.size() > 10 && local[10] == ' ') local[10] = 'T';
  absl::CivilMinute minute;
  if (local.size() > 10 && absl::ParseCivilTime(local, &minute)) {
    return ToProto(absl::FromCivil(minute, zone));
  }
  absl::CivilDay day;
  if (absl::ParseCivilTime(local, &day)) return ToProto(absl::FromCivil(day + 1, zone));
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": \"", text,
                   "\" is not a time; use 2025-10-09 (end of that day), 2025-10-09 17:00 or "
                   "2025-10-09T17:00:00+08:00"));
}

}  // namespace duban::cli
