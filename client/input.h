// Reading the CLI's inputs: ticket ids, unit ids, times and enum labels, in
// the short forms a clerk types.
//
//   ASSIGN_OR_RETURN(std::string name, TicketNameArg("42"));     // "tickets/42"
//   std::string unit = UnitNameArg("nongye");                     // "units/nongye"
//   ASSIGN_OR_RETURN(auto due, TimeArg("2025-10-09", zone, "due")); // 24:00 that day
#ifndef DUBAN_CLIENT_INPUT_H_
#define DUBAN_CLIENT_INPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "duban/v1/ticket_service.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace duban::cli {

// "42" or "tickets/42" → "tickets/42".
absl::StatusOr<std::string> TicketNameArg(absl::string_view text);
// "3" or "ledgerEntries/3" → "ledgerEntries/3".
absl::StatusOr<std::string> LedgerEntryNameArg(absl::string_view text);
// "1" or "draws/1" → "draws/1".
absl::StatusOr<std::string> DrawNameArg(absl::string_view text);

// "nongye" or "units/nongye" → "units/nongye"; "" stays "".
std::string UnitNameArg(absl::string_view text);
// "li" or "principals/li" → "principals/li".
std::string PrincipalNameArg(absl::string_view text);
// "gengdi" or "indicators/gengdi" → "indicators/gengdi".
std::string IndicatorNameArg(absl::string_view text);

// A span from now: "5wd" (working days) or "48h" (hours).
absl::StatusOr<v1::DeadlineSpan> SpanArg(absl::string_view text, absl::string_view flag);

// A whole number in [min, max] for `flag`.
absl::StatusOr<int> IntArg(absl::string_view text, int min, int max, absl::string_view flag);

// Points as the server takes them: a decimal with at most two places, not
// negative ("2", "0.5", "12.25"); returned as given.
absl::StatusOr<std::string> PointsArg(absl::string_view text, absl::string_view flag);

// An assessment period: a year such as "2025".
absl::StatusOr<std::string> PeriodArg(absl::string_view text, absl::string_view flag);

// A time given as RFC 3339 ("2025-10-09T17:00:00+08:00"), as a local
// minute in `zone` ("2025-10-09 17:00" or "2025-10-09T17:00"), or as a date
// ("2025-10-09"), which means the end (24:00) of that day in `zone`.
absl::StatusOr<google::protobuf::Timestamp> TimeArg(absl::string_view text, absl::TimeZone zone,
                                                    absl::string_view flag);

// An enum value from its label with or without `prefix`, in any case:
// "implement" → STAGE_IMPLEMENT.
template <typename Enum, typename ParseFn>
absl::StatusOr<Enum> EnumArg(absl::string_view text, absl::string_view prefix, ParseFn parse,
                             absl::string_view flag) {
  std::string upper = absl::AsciiStrToUpper(text);
  if (!absl::StartsWith(upper, prefix)) upper = absl::StrCat(prefix, upper);
  Enum value;
  if (!parse(upper, &value) || static_cast<int>(value) == 0) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": unknown value ", text));
  }
  return value;
}

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_INPUT_H_
