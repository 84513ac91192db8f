// ByteSize: an amount of memory or disk as people write it — "512MiB",
// "256 MiB", "1GiB", "64KiB", or a plain number of bytes. M and G (without
// the i) mean the same binary units, so "512M" is 512 MiB, as in
// Kubernetes' "512Mi" and systemd's "MemoryMax=512M".
//
//   ABSL_FLAG(duban::ByteSize, memory_budget, duban::ByteSize{512 << 20}, "...");
//   uint64_t bytes = absl::GetFlag(FLAGS_memory_budget).bytes;
#ifndef DUBAN_BASE_BYTE_SIZE_H_
#define DUBAN_BASE_BYTE_SIZE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace duban {

struct ByteSize {
  uint64_t bytes = 0;
};

// INVALID_ARGUMENT saying what is accepted for anything else, for a
// negative amount, and for 2^63 bytes or more.
absl::StatusOr<ByteSize> ParseByteSize(absl::string_view text);

// "512MiB", "1GiB", "1536KiB", or bytes ("1000") when no unit divides it.
std::string FormatByteSize(ByteSize size);

// For ABSL_FLAG.
bool AbslParseFlag(absl::string_view text, ByteSize* size, std::string* error);
std::string AbslUnparseFlag(ByteSize size);

}  // namespace duban

#endif  // DUBAN_BASE_BYTE_SIZE_H_
