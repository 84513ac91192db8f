// WalTail: the write batches a primary writes, read back from its
// write-ahead log in order (RocksDB's GetUpdatesSince), for a replica.
//
//   WalTail tail(&database, from_sequence);
//   ASSIGN_OR_RETURN(std::optional<WalTail::Batch> batch, tail.Next(absl::Seconds(1)));
//   if (batch) send(batch->sequence, batch->data);   // else nothing new for a second
//
// A batch comes whole, with the sequence number of its first write; the
// next one begins where it ends. OUT_OF_RANGE when the log from the next
// sequence is gone (deleted after a flush, or past --wal_ttl): the replica
// must start again from a snapshot.
//
// It reads only committed batches: a record whose write has not finished
// (it is in the log before it is committed) is never read.
//
// Not thread-safe: one stream reads one tail. The database must outlive it.
#ifndef DUBAN_STORAGE_WAL_TAIL_H_
#define DUBAN_STORAGE_WAL_TAIL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rocksdb/transaction_log.h"
#include "storage/database.h"

namespace duban::storage {

// The batches written after sequence `applied`, counted from the
// write-ahead log, at most `cap`.
uint64_t CountBatchesAfter(Database& database, uint64_t applied, uint64_t cap);

class WalTail {
 public:
  struct Batch {
    uint64_t sequence = 0;
    std::string data;
  };

  WalTail(Database* database, uint64_t from_sequence)
      : database_(database), next_(from_sequence) {}

  // The next batch; nullopt when none was written within `wait`.
  absl::StatusOr<std::optional<Batch>> Next(absl::Duration wait);
  // The sequence the next batch begins at.
  uint64_t next_sequence() const { return next_; }

 private:
  Database* database_;
  uint64_t next_;
  std::unique_ptr<rocksdb::TransactionLogIterator> iterator_;
  // The iterator is still on the batch returned last.
  bool advance_ = false;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_WAL_TAIL_H_
