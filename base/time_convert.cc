#include "base/time_convert.h"

namespace duban {

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000;
  int64_t sub_micros = micros % 1000000;
  if (sub_micros < 0) {
    seconds -= 1;
    sub_micros += 1000000;
  }
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(sub_micros * 1000));
  return timestamp;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (!IsSet(timestamp)) return absl::InfinitePast();
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp) {
  constexpr int64_t kFirstSecond = -62135596800;  // 0001-01-01T00:00:00Z
  constexpr int64_t kLastSecond = 253402300799;   // 9999-12-31T23:59:59Z
  return timestamp.seconds() >= kFirstSecond && timestamp.seconds() <= kLastSecond &&
         timestamp.nanos() >= 0 && timestamp.nanos() <= 999999999;
}

bool IsSet(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() != 0 || timestamp.nanos() != 0;
}

google::protobuf::Duration ToDuration(absl::Duration duration) {
  google::protobuf::Duration out;
  const int64_t nanos = absl::ToInt64Nanoseconds(duration);
  out.set_seconds(nanos / 1000000000);
  out.set_nanos(static_cast<int32_t>(nanos % 1000000000));
  return out;
}

}  // namespace duban
