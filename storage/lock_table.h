// LockTable: a fixed array of mutexes picked by hash, so that writers of
// the same record serialize while writers of different records (almost
// always) do not. There is no global lock on the write path.
//
//   std::unique_lock<std::mutex> lock = ticket_locks_.Lock(ticket_id);
//
// Thread-safe. Hold at most one lock of a table at a time.
#ifndef DUBAN_STORAGE_LOCK_TABLE_H_
#define DUBAN_STORAGE_LOCK_TABLE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>

#include "absl/strings/string_view.h"

namespace duban::storage {

class LockTable {
 public:
  LockTable() = default;
  LockTable(const LockTable&) = delete;
  LockTable& operator=(const LockTable&) = delete;

  std::unique_lock<std::mutex> Lock(uint64_t key) {
    return std::unique_lock<std::mutex>(stripes_[Mix(key) % kStripes]);
  }
  std::unique_lock<std::mutex> Lock(absl::string_view key) {
    return Lock(std::hash<std::string_view>{}(std::string_view(key.data(), key.size())));
  }

 private:
  static constexpr size_t kStripes = 1024;
  // Spreads sequential ids over the stripes.
  static uint64_t Mix(uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return key;
  }
  std::array<std::mutex, kStripes> stripes_;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_LOCK_TABLE_H_
