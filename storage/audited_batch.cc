#include "storage/audited_batch.h"

namespace duban::storage {
namespace {

rocksdb::Slice ToSlice(absl::string_view text) { return rocksdb::Slice(text.data(), text.size()); }

}  // namespace

bool IsAppendOnly(AuditKind kind) {
  return kind == AuditKind::kTicketEvent || kind == AuditKind::kLedgerEntry ||
         kind == AuditKind::kDraw || kind == AuditKind::kSecurityEvent;
}

void AuditedBatch::PutRecord(AuditKind kind, rocksdb::ColumnFamilyHandle* family,
                             absl::string_view key, absl::string_view value) {
  batch_.Put(family, ToSlice(key), ToSlice(value));
  // As in the WriteBatch, a second write of one record in a batch wins.
  for (AuditedRecord& record : records_) {
    if (record.kind == kind && record.key == key) {
      record.sha256 = Sha256Raw(value);
      return;
    }
  }
  records_.push_back({kind, std::string(key), Sha256Raw(value)});
}

void AuditedBatch::Put(rocksdb::ColumnFamilyHandle* family, absl::string_view key,
                       absl::string_view value) {
  batch_.Put(family, ToSlice(key), ToSlice(value));
}

void AuditedBatch::Delete(rocksdb::ColumnFamilyHandle* family, absl::string_view key) {
  batch_.Delete(family, ToSlice(key));
}

void AuditedBatch::SetSavePoint() {
  batch_.SetSavePoint();
  saved_records_.push_back(records_);
}

void AuditedBatch::RollbackToSavePoint() {
  if (saved_records_.empty()) return;
  batch_.RollbackToSavePoint().PermitUncheckedError();
  records_ = std::move(saved_records_.back());
  saved_records_.pop_back();
}

void AuditedBatch::ReleaseSavePoint() {
  if (saved_records_.empty()) return;
  batch_.PopSavePoint().PermitUncheckedError();
  saved_records_.pop_back();
}

}  // namespace duban::storage
