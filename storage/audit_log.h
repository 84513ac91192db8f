// AuditLog: the audit log — every record the store writes, in commit order,
// with cursors a notifier can resume from (column family `log`).
//
//   key   = cursor (8 bytes big-endian)
//   value = 0x02 | kind (1 byte, AuditKind) | SHA-256 of the record's stored
//           bytes (32) | the record's key in its family
//
// Ticket events are the entries notifiers follow (WatchEvents); the other
// kinds make every change part of the same hash-chained history (the audit
// verifier walks it; storage/audit_verifier.h).
//
// A writer reserves cursors before its write and releases them after it,
// whether the write succeeded or not (Database::Write does both). Readers
// see entries only up to the watermark: the highest cursor below which every
// reservation has been released. So once a reader has passed cursor c, no
// entry at or below c can appear later — each entry is delivered once, in
// one order, across restarts. A failed or crashed write leaves a gap; gaps
// are skipped.
//
// Thread-safe.
#ifndef DUBAN_STORAGE_AUDIT_LOG_H_
#define DUBAN_STORAGE_AUDIT_LOG_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/mutex.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/audited_batch.h"

namespace duban::storage {

struct LogEntry {
  uint64_t cursor = 0;
  AuditKind kind = AuditKind::kTicketEvent;
  // The record's key in the family of its kind.
  std::string key;
  // SHA-256 of the record's stored bytes when it was written, 32 raw bytes.
  std::string sha256;
};

// The value stored for `record` and back. DATA_LOSS for a malformed value.
std::string EncodeLogValue(const AuditedRecord& record);
absl::StatusOr<LogEntry> DecodeLogEntry(uint64_t cursor, absl::string_view value);

class AuditLog {
 public:
  // Cursors held by one write; released on destruction. Movable.
  class Reservation {
   public:
    Reservation() = default;
    Reservation(AuditLog* log, uint64_t first) : log_(log), first_(first) {}
    Reservation(Reservation&& other) noexcept { *this = std::move(other); }
    Reservation& operator=(Reservation&& other) noexcept;
    ~Reservation();
    uint64_t first() const { return first_; }
    // Never releases the cursors: for a write whose outcome is unknown (the
    // disk failed it; its entries may be there after a restart), readers
    // must not pass them in this process.
    void Hold() { log_ = nullptr; }

   private:
    AuditLog* log_ = nullptr;
    uint64_t first_ = 0;
  };

  // `db` and `family` are not owned and must outlive the log.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AuditLog>> Open(
      rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family);

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  Reservation Reserve(uint64_t count);
  // Adds the entry for `record` at `cursor` to `batch`.
  void Stage(rocksdb::WriteBatch& batch, uint64_t cursor, const AuditedRecord& record) const;

  // Entries after `after`, up to the watermark, at most `limit`. When
  // `through` is given it is set to the cursor the read is complete up to:
  // the last entry returned when `limit` cut the read short, else the
  // watermark (which may lie past the last entry when the log ends in a
  // gap). A follower continues from there.
  absl::StatusOr<std::vector<LogEntry>> Read(uint64_t after, int limit,
                                             uint64_t* through = nullptr) const;

  // Waits until the watermark passes `after`, `timeout` runs out, or Close().
  // True when the watermark is past `after`: a Read after `after` then
  // returns entries, or — if only a gap committed — reads through past it.
  // Followers should wait beyond the `through` of their last Read.
  bool WaitBeyond(uint64_t after, absl::Duration timeout);
  uint64_t watermark() const;
  // On a replica, whose entries arrive written (Database::ApplyReplicated):
  // the entries up to `cursor` are there; readers may pass them.
  void AdvanceTo(uint64_t cursor);
  // Wakes every waiter; later waits return at once.
  void Close();
  bool closed() const;

 private:
  AuditLog(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, uint64_t next)
      : db_(db), family_(family), next_(next) {}
  void Release(uint64_t first);
  uint64_t VisibleLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
  // Guards the cursors below; held only briefly, after every other
  // storage lock but the write guard's (lock order: lock_table.h).
  mutable Mutex mutex_;
  CondVar advanced_;
  uint64_t next_ ABSL_GUARDED_BY(mutex_);  // the next cursor to reserve
  std::set<uint64_t> in_flight_ ABSL_GUARDED_BY(mutex_);  // first cursor of each reservation
  bool closed_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_AUDIT_LOG_H_
