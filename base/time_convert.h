// Conversions between absl::Time and google.protobuf.Timestamp, and
// absl::Duration and google.protobuf.Duration.
#ifndef DUBAN_BASE_TIME_CONVERT_H_
#define DUBAN_BASE_TIME_CONVERT_H_

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace duban {

google::protobuf::Timestamp ToTimestamp(absl::Time time);
// An unset (all-zero) Timestamp is absl::InfinitePast().
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);
bool IsSet(const google::protobuf::Timestamp& timestamp);
// Within the range google.protobuf.Timestamp defines — 0001-01-01 to
// 9999-12-31 UTC, nanos 0..999999999 — where calendar arithmetic is sound.
bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp);

google::protobuf::Duration ToDuration(absl::Duration duration);

}  // namespace duban

#endif  // DUBAN_BASE_TIME_CONVERT_H_
