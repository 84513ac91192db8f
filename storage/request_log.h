// RequestLog: makes mutations safe to retry. A mutation that carries a
// request id is applied once; a retry with the same id gets the first answer
// back and changes nothing.
//
//   RequestKey key{.principal = caller.principal, .request_id = request.request_id(),
//                  .fingerprint = <a hash of the request>, .deadline = call_deadline};
//   ASSIGN_OR_RETURN(std::string reply,
//                    database->requests().Run(key, now, [&](AuditedBatch& batch) {
//     ... stage the mutation in `batch` ...
//     return reply_bytes;
//   }));
//
// Column family `requests`:
//   key   = principal name | 0x00 | request id
//   value = kRecordV1 | create time (8 BE, unix micros) |
//           fingerprint length (1 byte) | fingerprint | reply bytes
//
// Request ids are scoped per principal. Records answer retries for the
// store's request retention (StoreOptions::request_retention, by default
// kRequestRetention, by the server's clock); a retry after that is a new
// request, and compaction drops the record once it is kRequestRetention
// old by the wall clock (RequestRetentionFilter).
//
// Thread-safe: two concurrent calls with the same key run one after the
// other, so the second sees the first's answer.
#ifndef DUBAN_STORAGE_REQUEST_LOG_H_
#define DUBAN_STORAGE_REQUEST_LOG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "absl/time/time.h"
#include "rocksdb/compaction_filter.h"
#include "storage/database.h"
#include "storage/lock_table.h"

namespace duban::storage {

inline constexpr absl::Duration kRequestRetention = absl::Hours(24);

struct RequestKey {
  std::string principal;
  // Empty: the mutation is not deduplicated.
  std::string request_id;
  // Identifies the request's content; the same id with a different
  // fingerprint is refused.
  std::string fingerprint;
  // The call's deadline (WriteOptions::deadline): not part of the request's
  // identity. A mutation whose deadline has passed is not staged or written.
  absl::Time deadline = absl::InfiniteFuture();
};

// A compaction filter for the `requests` family that drops records older
// than kRequestRetention (by the wall clock).
std::unique_ptr<rocksdb::CompactionFilter> NewRequestRetentionFilter();

// One per Database (Database::requests()), shared by every store: the
// promise above holds across stores only because they share its locks.
class RequestLog {
 public:
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  // Stages a mutation with `stage` and commits it, with the request record,
  // in one synced write; returns the reply `stage` made. If `key` was
  // answered before, returns that answer without calling `stage`; if it was
  // used for a different request, INVALID_ARGUMENT naming request_id. An
  // error from `stage` is returned as is and nothing is written.
  absl::StatusOr<std::string> Run(
      const RequestKey& key, absl::Time now,
      absl::FunctionRef<absl::StatusOr<std::string>(AuditedBatch&)> stage);

  // Run for each of `keys` in turn, all committed in one synced write:
  // `stage(i, batch)` stages the i-th mutation. Returns one answer per key,
  // as Run would have in that order: a key answered before — or earlier in
  // `keys` — gets that answer (or INVALID_ARGUMENT for a reused id), an
  // error from `stage` is that key's answer and its staging is undone, the
  // rest get their replies; if the write fails, every key it carried gets
  // its error.
  std::vector<absl::StatusOr<std::string>> RunEach(
      absl::Span<const RequestKey> keys, absl::Time now,
      absl::FunctionRef<absl::StatusOr<std::string>(size_t, AuditedBatch&)> stage);

 private:
  friend class Database;
  explicit RequestLog(Database* database) : database_(database) {}

  Database* database_;
  // One call per request key; after ticket stripes and a store's write
  // mutex, before the in-memory copies and the audit log (lock_table.h).
  LockTable locks_;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_REQUEST_LOG_H_
