#include "storage/prefix_scan.h"

#include "storage/page_token.h"

namespace duban::storage {

PrefixScan::PrefixScan(const Database& database, Family family, std::string prefix,
                       const rocksdb::Snapshot* snapshot)
    : prefix_(std::move(prefix)), limit_(PrefixSuccessor(prefix_)), upper_(limit_) {
  rocksdb::ReadOptions options;
  options.snapshot = snapshot;
  if (!limit_.empty()) options.iterate_upper_bound = &upper_;
  iterator_.reset(database.db()->NewIterator(options, database.family(family)));
}

void PrefixScan::Seek(absl::string_view start) {
  if (start.empty()) {
    iterator_->Seek(prefix_);
  } else {
    iterator_->Seek(rocksdb::Slice(start.data(), start.size()));
  }
}

void PrefixScan::SeekToLast() {
  // With the upper bound set this is the last key below it; if that key is
  // before the prefix, no key has the prefix and Next() ends the scan.
  iterator_->SeekToLast();
  if (iterator_->Valid() && !iterator_->key().starts_with(prefix_)) iterator_->Next();
}

absl::string_view PrefixScan::key() const {
  return absl::string_view(iterator_->key().data(), iterator_->key().size());
}

absl::string_view PrefixScan::value() const {
  return absl::string_view(iterator_->value().data(), iterator_->value().size());
}

absl::Status PrefixScan::status() const { return FromRocks(iterator_->status(), "scan"); }

}  // namespace duban::storage
