// Big-endian integers in keys: they sort as the numbers do.
//
//   std::string key(1, 't');
//   AppendBigEndian64(key, id);          // 't' then 8 bytes
//   uint64_t back = ReadBigEndian64(key, 1);
#ifndef DUBAN_STORAGE_BIG_ENDIAN_H_
#define DUBAN_STORAGE_BIG_ENDIAN_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace duban::storage {

void AppendBigEndian64(std::string& out, uint64_t value);
// Reads 8 bytes at `at`; the caller makes sure they are there.
uint64_t ReadBigEndian64(absl::string_view bytes, size_t at = 0);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_BIG_ENDIAN_H_
