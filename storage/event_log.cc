#include "storage/event_log.h"

#include <algorithm>

#include "rocksdb/iterator.h"
#include "server/domain/status_macros.h"
#include "storage/keys.h"

namespace duban::storage {

EventLog::Reservation& EventLog::Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    if (log_ != nullptr) log_->Release(first_);
    log_ = std::exchange(other.log_, nullptr);
    first_ = other.first_;
  }
  return *this;
}

EventLog::Reservation::~Reservation() {
  if (log_ != nullptr) log_->Release(first_);
}

absl::StatusOr<std::unique_ptr<EventLog>> EventLog::Open(Database* database) {
  std::unique_ptr<rocksdb::Iterator> it(
      database->db()->NewIterator(rocksdb::ReadOptions(), database->family(Family::kLog)));
  it->SeekToLast();
  RETURN_IF_ERROR(FromRocks(it->status(), "scan event log"));
  uint64_t next = 1;
  if (it->Valid()) {
    if (it->key().size() != 8) return absl::DataLossError("malformed event log key");
    next = ReadBigEndian64(absl::string_view(it->key().data(), 8)) + 1;
  }
  return std::unique_ptr<EventLog>(new EventLog(database, next));
}

EventLog::Reservation EventLog::Reserve(uint64_t count) {
  if (count == 0) return Reservation();
  std::lock_guard lock(mutex_);
  const uint64_t first = next_;
  next_ += count;
  in_flight_.insert(first);
  return Reservation(this, first);
}

void EventLog::Release(uint64_t first) {
  {
    std::lock_guard lock(mutex_);
    in_flight_.erase(first);
  }
  advanced_.notify_all();
}

uint64_t EventLog::VisibleLocked() const {
  return in_flight_.empty() ? next_ - 1 : *in_flight_.begin() - 1;
}

uint64_t EventLog::watermark() const {
  std::lock_guard lock(mutex_);
  return VisibleLocked();
}

void EventLog::Stage(rocksdb::WriteBatch& batch, uint64_t cursor, uint64_t ticket_id,
                     int64_t sequence) const {
  std::string value(1, kRecordV1);
  AppendBigEndian64(value, ticket_id);
  AppendBigEndian64(value, static_cast<uint64_t>(sequence));
  batch.Put(database_->family(Family::kLog), TicketKey(cursor), value);
}

absl::StatusOr<std::vector<LogEntry>> EventLog::Read(uint64_t after, int limit,
                                                     uint64_t* through) const {
  const uint64_t visible = watermark();
  std::vector<LogEntry> entries;
  if (through != nullptr) *through = std::max(after, visible);
  if (after >= visible) return entries;
  const std::string upper_key = TicketKey(visible + 1);
  rocksdb::Slice upper(upper_key);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(options, database_->family(Family::kLog)));
  for (it->Seek(TicketKey(after + 1)); it->Valid() && static_cast<int>(entries.size()) < limit;
       it->Next()) {
    const absl::string_view value(it->value().data(), it->value().size());
    if (it->key().size() != 8 || value.size() != 17 || value[0] != kRecordV1) {
      return absl::DataLossError("malformed event log entry");
    }
    entries.push_back({ReadBigEndian64(absl::string_view(it->key().data(), 8)),
                       ReadBigEndian64(value, 1), static_cast<int64_t>(ReadBigEndian64(value, 9))});
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "read event log"));
  if (through != nullptr && static_cast<int>(entries.size()) == limit) {
    *through = entries.back().cursor;
  }
  return entries;
}

bool EventLog::WaitBeyond(uint64_t after, absl::Duration timeout) {
  std::unique_lock lock(mutex_);
  advanced_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                     [&] { return closed_ || VisibleLocked() > after; });
  return VisibleLocked() > after;
}

bool EventLog::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void EventLog::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  advanced_.notify_all();
}

}  // namespace duban::storage
