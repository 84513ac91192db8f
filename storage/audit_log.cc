#include "storage/audit_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/iterator.h"
#include "storage/big_endian.h"
#include "storage/database.h"
#include "storage/ticket_keys.h"

namespace duban::storage {

AuditLog::Reservation& AuditLog::Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    if (log_ != nullptr) log_->Release(first_);
    log_ = std::exchange(other.log_, nullptr);
    first_ = other.first_;
  }
  return *this;
}

AuditLog::Reservation::~Reservation() {
  if (log_ != nullptr) log_->Release(first_);
}

namespace {

constexpr char kLogV2 = 0x02;
constexpr size_t kHeader = 1 + 1 + 32;

}  // namespace

std::string EncodeLogValue(const AuditedRecord& record) {
  std::string value(1, kLogV2);
  value.push_back(static_cast<char>(record.kind));
  value.append(record.sha256);
  value.append(record.key);
  return value;
}

absl::StatusOr<LogEntry> DecodeLogEntry(uint64_t cursor, absl::string_view value) {
  const auto kind = value.size() > 1 ? static_cast<unsigned char>(value[1]) : 0;
  if (value.size() < kHeader || value[0] != kLogV2 || kind < 1 ||
      kind > static_cast<unsigned char>(kLastAuditKind)) {
    return absl::DataLossError(absl::StrCat("log entry ", cursor, " is malformed"));
  }
  LogEntry entry;
  entry.cursor = cursor;
  entry.kind = static_cast<AuditKind>(kind);
  entry.sha256 = std::string(value.substr(2, 32));
  entry.key = std::string(value.substr(kHeader));
  return entry;
}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(rocksdb::DB* db,
                                                         rocksdb::ColumnFamilyHandle* family) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), family));
  it->SeekToLast();
  RETURN_IF_ERROR(FromRocks(it->status(), "scan the audit log"));
  uint64_t next = 1;
  if (it->Valid()) {
    if (it->key().size() != 8) return absl::DataLossError("malformed audit log key");
    next = ReadBigEndian64(absl::string_view(it->key().data(), 8)) + 1;
  }
  return std::unique_ptr<AuditLog>(new AuditLog(db, family, next));
}

AuditLog::Reservation AuditLog::Reserve(uint64_t count) {
  if (count == 0) return Reservation();
  MutexLock lock(&mutex_);
  const uint64_t first = next_;
  next_ += count;
  in_flight_.insert(first);
  return Reservation(this, first);
}

void AuditLog::AdvanceTo(uint64_t cursor) {
  {
    MutexLock lock(&mutex_);
    next_ = std::max(next_, cursor + 1);
  }
  advanced_.SignalAll();
}

void AuditLog::Release(uint64_t first) {
  {
    MutexLock lock(&mutex_);
    in_flight_.erase(first);
  }
  advanced_.SignalAll();
}

uint64_t AuditLog::VisibleLocked() const {
  return in_flight_.empty() ? next_ - 1 : *in_flight_.begin() - 1;
}

uint64_t AuditLog::watermark() const {
  MutexLock lock(&mutex_);
  return VisibleLocked();
}

void AuditLog::Stage(rocksdb::WriteBatch& batch, uint64_t cursor,
                     const AuditedRecord& record) const {
  batch.Put(family_, TicketKey(cursor), EncodeLogValue(record));
}

absl::StatusOr<std::vector<LogEntry>> AuditLog::Read(uint64_t after, int limit,
                                                     uint64_t* through) const {
  const uint64_t visible = watermark();
  std::vector<LogEntry> entries;
  if (through != nullptr) *through = std::max(after, visible);
  if (after >= visible) return entries;
  const std::string upper_key = TicketKey(visible + 1);
  rocksdb::Slice upper(upper_key);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family_));
  for (it->Seek(TicketKey(after + 1)); it->Valid() && static_cast<int>(entries.size()) < limit;
       it->Next()) {
    if (it->key().size() != 8) return absl::DataLossError("malformed audit log key");
    ASSIGN_OR_RETURN(LogEntry entry,
                     DecodeLogEntry(ReadBigEndian64(absl::string_view(it->key().data(), 8)),
                                    absl::string_view(it->value().data(), it->value().size())));
    entries.push_back(std::move(entry));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "read the audit log"));
  if (through != nullptr && static_cast<int>(entries.size()) == limit) {
    *through = entries.back().cursor;
  }
  return entries;
}

bool AuditLog::WaitBeyond(uint64_t after, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  MutexLock lock(&mutex_);
  while (!closed_ && VisibleLocked() <= after) {
    if (advanced_.WaitWithDeadline(&mutex_, deadline)) break;
  }
  return VisibleLocked() > after;
}

bool AuditLog::closed() const {
  MutexLock lock(&mutex_);
  return closed_;
}

void AuditLog::Close() {
  {
    MutexLock lock(&mutex_);
    closed_ = true;
  }
  advanced_.SignalAll();
}

}  // namespace duban::storage
