#include "domain/time_fields.h"

#include "base/errors.h"
#include "base/time_convert.h"

namespace duban {

absl::Status ValidateAsOf(absl::string_view field, const google::protobuf::Timestamp& as_of) {
  if (!IsSet(as_of)) return absl::OkStatus();
  if (as_of.nanos() < 0 || as_of.nanos() > 999999999) {
    return InvalidField(field, "has nanos outside 0..999999999");
  }
  // 1970-01-01 and 2201-01-01, UTC.
  constexpr int64_t kFirst = 0;
  constexpr int64_t kEnd = 7289654400;
  if (as_of.seconds() < kFirst || as_of.seconds() >= kEnd) {
    return InvalidField(field, "must fall between 1970 and 2200");
  }
  return absl::OkStatus();
}

}  // namespace duban
