#include "storage/wal_tail.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace duban::storage {
namespace {

absl::Status Purged(uint64_t sequence, absl::string_view why) {
  return absl::OutOfRangeError(absl::StrCat("the write-ahead log from sequence ", sequence,
                                            " is no longer on the primary (", why,
                                            "): fetch a snapshot again"));
}

}  // namespace

uint64_t CountBatchesAfter(Database& database, uint64_t applied, uint64_t cap) {
  const uint64_t latest = database.latest_sequence();
  if (applied >= latest) return 0;
  std::unique_ptr<rocksdb::TransactionLogIterator> iterator;
  if (!database.db()->GetUpdatesSince(applied + 1, &iterator).ok()) return 0;
  uint64_t count = 0;
  while (iterator->Valid() && count < cap) {
    const rocksdb::BatchResult batch = iterator->GetBatch();
    ++count;
    // Never read a record past `latest`: it may not be committed yet.
    if (batch.sequence + batch.writeBatchPtr->Count() > latest) break;
    iterator->Next();
  }
  return count;
}

absl::StatusOr<std::optional<WalTail::Batch>> WalTail::Next(absl::Duration wait) {
  if (database_->latest_sequence() < next_ && !database_->WaitForSequence(next_, wait)) {
    return std::nullopt;
  }
  // The batch at next_ is committed, so the record read next is: a record
  // in the log whose write has not finished must never be read (it may
  // still fail, and RocksDB asserts against it).
  if (iterator_ != nullptr && advance_) {
    iterator_->Next();
    advance_ = false;
    if (!iterator_->Valid()) iterator_.reset();
  }
  if (iterator_ == nullptr) {
    rocksdb::Status opened = database_->db()->GetUpdatesSince(next_, &iterator_);
    if (opened.IsNotFound()) return Purged(next_, opened.ToString());
    RETURN_IF_ERROR(FromRocks(opened, "read the write-ahead log"));
    if (!iterator_->Valid()) {
      const rocksdb::Status status = iterator_->status();
      iterator_.reset();
      return Purged(next_, status.ok() ? "not found" : status.ToString());
    }
  }
  rocksdb::BatchResult result = iterator_->GetBatch();
  if (result.sequence != next_) {
    return Purged(next_, absl::StrCat("the oldest batch kept begins at ", result.sequence));
  }
  Batch batch{.sequence = result.sequence, .data = result.writeBatchPtr->Data()};
  next_ = result.sequence + result.writeBatchPtr->Count();
  advance_ = true;
  return batch;
}

}  // namespace duban::storage
