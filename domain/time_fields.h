// Checks of the moments a request names to look at the store "as of" (a
// list's overdue judgement, a sweep, a report): unset means now; a set one
// must be a real moment in the years a calendar can hold.
//
//   RETURN_IF_ERROR(ValidateAsOf("as_of_time", request.as_of_time()));
#ifndef DUBAN_DOMAIN_TIME_FIELDS_H_
#define DUBAN_DOMAIN_TIME_FIELDS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"

namespace duban {

// OK when `as_of` is unset, or has nanos in 0..999999999 and falls in
// 1970–2200 (UTC); INVALID_ARGUMENT naming `field` otherwise.
[[nodiscard]] absl::Status ValidateAsOf(absl::string_view field,
                                        const google::protobuf::Timestamp& as_of);

}  // namespace duban

#endif  // DUBAN_DOMAIN_TIME_FIELDS_H_
