#include "storage/ledger_keys.h"

#include <set>

#include "storage/big_endian.h"
#include "storage/record.h"

namespace duban::storage {
namespace {

std::string Tagged(char tag, absl::string_view dimension, uint64_t id) {
  std::string key(1, tag);
  if (!dimension.empty()) {
    key.append(dimension.data(), dimension.size());
    key.push_back('\0');
  }
  AppendBigEndian64(key, id);
  return key;
}

std::string TagPrefix(char tag, absl::string_view dimension) {
  std::string key(1, tag);
  if (!dimension.empty()) {
    key.append(dimension.data(), dimension.size());
    key.push_back('\0');
  }
  return key;
}

uint64_t IdOf(absl::string_view name) {
  absl::StatusOr<uint64_t> id = ParseLedgerEntryName(name, "name");
  return id.ok() ? *id : 0;
}

}  // namespace

std::string LedgerEntryKey(uint64_t id) { return Tagged('e', "", id); }
std::string ReversedByKey(uint64_t id) { return Tagged('r', "", id); }

std::string LedgerIndexPrefix(const LedgerQuery& query) {
  if (!query.indicator.empty()) return TagPrefix('i', query.indicator);
  if (!query.unit.empty()) return TagPrefix('u', query.unit);
  if (!query.period.empty()) return TagPrefix('p', query.period);
  return "e";
}

uint64_t LedgerIdOfKey(absl::string_view key) { return ReadBigEndian64(key, key.size() - 8); }

void StageLedgerEntry(AuditedBatch& batch, rocksdb::ColumnFamilyHandle* family,
                      const v1::LedgerEntry& entry) {
  const uint64_t id = IdOf(entry.name());
  batch.PutRecord(AuditKind::kLedgerEntry, family, LedgerEntryKey(id), EncodeRecord(entry));
  batch.Put(family, Tagged('p', entry.period(), id), "");
  batch.Put(family, Tagged('i', entry.indicator(), id), "");
  std::set<std::string> units;
  for (const v1::Charge& charge : entry.charges()) units.insert(charge.unit());
  for (const std::string& unit : units) batch.Put(family, Tagged('u', unit, id), "");
  if (!entry.reverses().empty()) {
    std::string reversal;
    AppendBigEndian64(reversal, id);
    batch.Put(family, ReversedByKey(IdOf(entry.reverses())), reversal);
  }
}

}  // namespace duban::storage
