// AuditedBatch: a write batch that knows which of its puts are records.
//
// Every record a write stores — a ticket event, a ticket, a referral, a
// ledger entry, a draw, a directory entry, a setting — is put with
// PutRecord, which also notes the SHA-256 of the exact bytes stored. When
// Database::Write commits the batch, each noted record gets an entry in the
// audit log (storage/audit_log.h) in the same atomic write: the append-only,
// hash-chained history the audit verifier checks (storage/audit_verifier.h).
// Index entries and request records are derived data and use Put/Delete.
//
//   AuditedBatch batch;
//   batch.PutRecord(AuditKind::kTicketEvent, events, EventKey(id, seq), EncodeRecord(event));
//   batch.Put(index, key, summary);
//   RETURN_IF_ERROR(database->Write(batch));
//
// Not thread-safe.
#ifndef DUBAN_STORAGE_AUDITED_BATCH_H_
#define DUBAN_STORAGE_AUDITED_BATCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "base/sha256.h"
#include "rocksdb/write_batch.h"

namespace duban::storage {

// What an audit log entry points at. Stored: the numbers are fixed forever.
enum class AuditKind : uint8_t {
  kTicketEvent = 1,  // events: append-only
  kTicket = 2,       // tickets: each version
  kReferral = 3,     // referrals: each version
  kLedgerEntry = 4,  // ledger: append-only
  kDraw = 5,         // draws: append-only
  kDirectory = 6,    // units, principals, indicators: each version
  kSettings = 7,     // policies, calendar years: each version
  kPassword = 8,     // password hashes: each version
  kSecurityEvent = 9,  // logins, lockouts, logouts, ...: append-only
};
inline constexpr AuditKind kLastAuditKind = AuditKind::kSecurityEvent;

// True for kinds whose records are written once and never changed.
bool IsAppendOnly(AuditKind kind);

struct AuditedRecord {
  AuditKind kind;
  std::string key;
  // SHA-256 of the stored value, 32 raw bytes.
  std::string sha256;
};

class AuditedBatch {
 public:
  // A record: stored and noted for the audit log. Writing one record twice
  // in a batch logs it once, with the last value.
  void PutRecord(AuditKind kind, rocksdb::ColumnFamilyHandle* family, absl::string_view key,
                 absl::string_view value);
  // Derived data (indexes, request records, markers): not audited.
  void Put(rocksdb::ColumnFamilyHandle* family, absl::string_view key, absl::string_view value);
  void Delete(rocksdb::ColumnFamilyHandle* family, absl::string_view key);

  // Marks the batch as it is now; RollbackToSavePoint undoes everything
  // staged since the latest mark (records noted included) and removes it.
  // ReleaseSavePoint removes the latest mark and keeps what was staged.
  void SetSavePoint();
  void RollbackToSavePoint();
  void ReleaseSavePoint();

  const std::vector<AuditedRecord>& records() const { return records_; }
  rocksdb::WriteBatch& batch() { return batch_; }
  bool empty() const { return batch_.Count() == 0; }

 private:
  rocksdb::WriteBatch batch_;
  std::vector<AuditedRecord> records_;
  // records_ at each save point (a later PutRecord may change an earlier
  // record's hash, so the noted records are copied, not counted).
  std::vector<std::vector<AuditedRecord>> saved_records_;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_AUDITED_BATCH_H_
