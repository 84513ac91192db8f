// EventLog: every ticket event in commit order, with cursors a notifier can
// resume from (column family `log`).
//
//   key   = cursor (8 bytes big-endian)
//   value = kRecordV1 | ticket id (8 BE) | event sequence (8 BE)
//
// A writer reserves cursors before its write and releases them after it,
// whether the write succeeded or not. Readers see entries only up to the
// watermark: the highest cursor below which every reservation has been
// released. So once a reader has passed cursor c, no entry at or below c
// can appear later — each event is delivered once, in one order, across
// restarts. (A failed or crashed write leaves a gap; gaps are skipped.)
//
//   EventLog::Reservation cursors = log.Reserve(change.events.size());
//   log.Stage(batch, cursors.first() + i, ticket_id, event.sequence());
//   ... write the batch ...   // cursors released when `cursors` goes away
//
// Thread-safe.
#ifndef DUBAN_STORAGE_EVENT_LOG_H_
#define DUBAN_STORAGE_EVENT_LOG_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/database.h"

namespace duban::storage {

struct LogEntry {
  uint64_t cursor;
  uint64_t ticket_id;
  int64_t sequence;
};

class EventLog {
 public:
  // Cursors held by one write; released on destruction. Movable.
  class Reservation {
   public:
    Reservation() = default;
    Reservation(EventLog* log, uint64_t first) : log_(log), first_(first) {}
    Reservation(Reservation&& other) noexcept { *this = std::move(other); }
    Reservation& operator=(Reservation&& other) noexcept;
    ~Reservation();
    uint64_t first() const { return first_; }

   private:
    EventLog* log_ = nullptr;
    uint64_t first_ = 0;
  };

  // `database` is not owned and must outlive the log.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<EventLog>> Open(Database* database);

  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  Reservation Reserve(uint64_t count);
  void Stage(rocksdb::WriteBatch& batch, uint64_t cursor, uint64_t ticket_id,
             int64_t sequence) const;

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
  // Wakes every waiter; later waits return at once.
  void Close();
  bool closed() const;

 private:
  EventLog(Database* database, uint64_t next) : database_(database), next_(next) {}
  void Release(uint64_t first);
  uint64_t VisibleLocked() const;  // REQUIRES(mutex_)

  Database* database_;
  mutable std::mutex mutex_;
  std::condition_variable advanced_;
  uint64_t next_;                 // GUARDED_BY(mutex_): the next cursor to reserve
  std::set<uint64_t> in_flight_;  // GUARDED_BY(mutex_): first cursor of each reservation
  bool closed_ = false;           // GUARDED_BY(mutex_)
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_EVENT_LOG_H_
