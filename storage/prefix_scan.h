// PrefixScan: an iterator over the keys of one column family that start
// with a prefix — the shape of every index scan in the store.
//
//   PrefixScan scan(*database_, Family::kTicketIndex, EscalationPrefix());
//   for (scan.Seek(); scan.Valid(); scan.Next()) { ... scan.key() ... }
//   RETURN_IF_ERROR(scan.status());
//
// Not thread-safe; one scan per thread.
#ifndef DUBAN_STORAGE_PREFIX_SCAN_H_
#define DUBAN_STORAGE_PREFIX_SCAN_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/iterator.h"
#include "storage/database.h"

namespace duban::storage {

class PrefixScan {
 public:
  // Reads at `snapshot` when given, else the latest state.
  PrefixScan(const Database& database, Family family, std::string prefix,
             const rocksdb::Snapshot* snapshot = nullptr);
  PrefixScan(const PrefixScan&) = delete;
  PrefixScan& operator=(const PrefixScan&) = delete;

  // Positions at the first key ≥ `start` (default: the prefix itself).
  void Seek(absl::string_view start = {});
  // Positions at the last key with the prefix.
  void SeekToLast();
  bool Valid() const { return iterator_->Valid(); }
  void Next() { iterator_->Next(); }
  absl::string_view key() const;
  absl::string_view value() const;
  // The prefix every key of the scan starts with.
  absl::string_view prefix() const { return prefix_; }
  // The error, if the scan stopped on one; OK at a clean end.
  absl::Status status() const;

 private:
  std::string prefix_;
  std::string limit_;
  rocksdb::Slice upper_;
  std::unique_ptr<rocksdb::Iterator> iterator_;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_PREFIX_SCAN_H_
