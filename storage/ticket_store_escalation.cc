// TicketStore: what the ladder and the notifiers read — the escalation
// index and the audit log.
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "rocksdb/iterator.h"
#include "storage/big_endian.h"
#include "storage/prefix_scan.h"
#include "storage/record.h"
#include "storage/ticket_index.h"
#include "storage/ticket_store.h"

namespace duban::storage {

absl::StatusOr<std::vector<uint64_t>> TicketStore::DueForEscalation(absl::Time as_of,
                                                                    int limit) const {
  PrefixScan scan(*database_, Family::kTicketIndex, EscalationPrefix());
  const uint64_t due_limit = DueOrder(as_of);
  std::vector<uint64_t> ids;
  for (scan.Seek(); scan.Valid() && static_cast<int>(ids.size()) < limit; scan.Next()) {
    if (IndexKeyDue(scan.key()) > due_limit) break;
    ids.push_back(IndexKeyTicketId(scan.key()));
  }
  RETURN_IF_ERROR(scan.status());
  return ids;
}

absl::StatusOr<absl::Time> TicketStore::NextEscalationTime() const {
  PrefixScan scan(*database_, Family::kTicketIndex, EscalationPrefix());
  scan.Seek();
  RETURN_IF_ERROR(scan.status());
  if (!scan.Valid()) return absl::InfiniteFuture();
  return TimeOfDueOrder(IndexKeyDue(scan.key()));
}

absl::StatusOr<std::vector<LoggedEvent>> TicketStore::ReadLog(uint64_t after, int limit,
                                                              uint64_t* through) const {
  // The log holds every record; notifiers follow the events only, so read
  // on past the others until `limit` events or the end.
  std::vector<LoggedEvent> events;
  uint64_t cursor = after;
  while (static_cast<int>(events.size()) < limit) {
    uint64_t page_through = cursor;
    ASSIGN_OR_RETURN(std::vector<LogEntry> entries,
                     database_->log().Read(cursor, limit, &page_through));
    for (const LogEntry& entry : entries) {
      if (static_cast<int>(events.size()) == limit) break;
      cursor = entry.cursor;
      if (entry.kind != AuditKind::kTicketEvent) continue;
      std::string value;
      rocksdb::Status read = database_->db()->Get(
          rocksdb::ReadOptions(), database_->family(Family::kEvents), entry.key, &value);
      RETURN_IF_ERROR(FromRocks(read, "read logged event"));
      LoggedEvent& logged = events.emplace_back();
      logged.cursor = entry.cursor;
      RETURN_IF_ERROR(DecodeRecord(value, logged.event));
    }
    if (entries.empty()) {
      cursor = std::max(cursor, page_through);
      break;
    }
    if (static_cast<int>(events.size()) < limit) cursor = std::max(cursor, page_through);
  }
  if (through != nullptr) *through = cursor;
  return events;
}

absl::StatusOr<absl::Time> TicketStore::NewestEventTime() const {
  // The log ends with the newest records; events are among the last few.
  constexpr int kLookBack = 1000;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->family(Family::kLog)));
  int looked = 0;
  for (it->SeekToLast(); it->Valid() && looked < kLookBack; it->Prev(), ++looked) {
    if (it->key().size() != 8) return absl::DataLossError("malformed log key");
    ASSIGN_OR_RETURN(LogEntry entry,
                     DecodeLogEntry(ReadBigEndian64(absl::string_view(it->key().data(), 8)),
                                    absl::string_view(it->value().data(), it->value().size())));
    if (entry.kind != AuditKind::kTicketEvent) continue;
    std::string value;
    RETURN_IF_ERROR(FromRocks(database_->db()->Get(rocksdb::ReadOptions(),
                                                   database_->family(Family::kEvents), entry.key,
                                                   &value),
                              "read the newest event"));
    v1::TicketEvent event;
    RETURN_IF_ERROR(DecodeRecord(value, event));
    return FromTimestamp(event.create_time());
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "read the log"));
  return absl::InfinitePast();
}

}  // namespace duban::storage
