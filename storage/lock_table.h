// LockTable: a fixed array of mutexes picked by hash, so that writers of
// the same record serialize while writers of different records (almost
// always) do not. There is no global lock on the write path.
//
//   std::unique_lock<std::mutex> lock = ticket_locks_.Lock(ticket_id);
//   std::vector<std::unique_lock<std::mutex>> locks = ticket_locks_.LockAll(ticket_ids);
//
// Thread-safe. A thread holds either one lock of a table (Lock) or one set
// taken at once (LockAll, which takes its stripes in ascending order), and
// takes no other lock of the same table while it does: so no two holders
// can wait for each other.
//
// The stripes hold std::mutex, not base/mutex.h's annotated Mutex: which
// stripe guards a record is known only at run time, so clang's analysis
// could not name it; ThreadSanitizer still sees every stripe.
//
// Lock order across storage/ (a thread holding one of these takes only
// locks further down the list, so no two threads wait for each other):
//   1. ticket stripes           TicketStore::ticket_locks_
//   2. a store's write mutex    DirectoryStore, SettingsStore, LedgerStore,
//                               AuthStore ::write_mutex_ (never taken with a ticket
//                               stripe held: those stores write alone)
//   3. request stripes          RequestLog::locks_ (inside Run / RunEach)
//   4. in-memory copies         DirectoryStore::mutex_, SettingsStore::mutex_
//   5. the audit log            AuditLog::mutex_ (Database::Write reserves
//                               cursors, then releases it)
//   6. the write guard          WriteGuard::gate_, then WriteGuard::mu_
#ifndef DUBAN_STORAGE_LOCK_TABLE_H_
#define DUBAN_STORAGE_LOCK_TABLE_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "absl/strings/string_view.h"

namespace duban::storage {

class LockTable {
 public:
  LockTable() = default;
  LockTable(const LockTable&) = delete;
  LockTable& operator=(const LockTable&) = delete;

  std::unique_lock<std::mutex> Lock(uint64_t key) {
    return std::unique_lock<std::mutex>(stripes_[StripeOf(key)]);
  }
  std::unique_lock<std::mutex> Lock(absl::string_view key) { return Lock(KeyOf(key)); }
  // The number a string key locks by, for LockAll.
  static uint64_t KeyOf(absl::string_view key) {
    return std::hash<std::string_view>{}(std::string_view(key.data(), key.size()));
  }
  // The locks of every key in `keys`, each stripe once.
  std::vector<std::unique_lock<std::mutex>> LockAll(const std::vector<uint64_t>& keys) {
    std::vector<size_t> stripes;
    stripes.reserve(keys.size());
    for (uint64_t key : keys) stripes.push_back(StripeOf(key));
    std::sort(stripes.begin(), stripes.end());
    stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
    std::vector<std::unique_lock<std::mutex>> locks;
    locks.reserve(stripes.size());
    for (size_t stripe : stripes) locks.emplace_back(stripes_[stripe]);
    return locks;
  }

  // Which lock `key` takes: keys of different stripes never wait for each other.
  static size_t StripeOf(uint64_t key) { return Mix(key) % kStripes; }

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
