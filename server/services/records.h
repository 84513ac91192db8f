// What the accountability and report services share: a subject's record
// for a period, read from the store's charge indexes.
#ifndef DUBAN_SERVER_SERVICES_RECORDS_H_
#define DUBAN_SERVER_SERVICES_RECORDS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/period.h"
#include "duban/v1/accountability.pb.h"
#include "server/runtime/backend.h"

namespace duban {

// The period `year` names (default: the current year in the county's time
// zone); INVALID_ARGUMENT naming `period` when it is not a year.
absl::StatusOr<Period> ResolveCallPeriod(const Backend& backend, absl::string_view year);

// The accountability record of `subject` (`units/…` or `principals/…`) for
// `period`.
absl::StatusOr<v1::AccountabilityRecord> RecordOf(const Backend& backend,
                                                  absl::string_view subject,
                                                  const Period& period);
// The same, for the year a request names ("" for the current one).
absl::StatusOr<v1::AccountabilityRecord> RecordOf(const Backend& backend,
                                                  absl::string_view subject,
                                                  absl::string_view year);

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_RECORDS_H_
