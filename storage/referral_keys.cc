#include "storage/referral_keys.h"

#include "domain/resource_names.h"
#include "storage/big_endian.h"
#include "storage/record.h"
#include "storage/ticket_keys.h"

namespace duban::storage {
namespace {

std::string Newest(char tag, absl::string_view dimension, uint64_t id) {
  std::string key(1, tag);
  key.append(dimension.data(), dimension.size());
  AppendBigEndian64(key, ~id);
  return key;
}

std::string NameDimension(absl::string_view name) {
  std::string dimension(name);
  dimension.push_back('\0');
  return dimension;
}

std::string TicketDimension(absl::string_view ticket_name) {
  absl::StatusOr<uint64_t> ticket = ParseTicketName(ticket_name, "ticket");
  return TicketKey(ticket.ok() ? *ticket : 0);
}

uint64_t IdOf(const v1::Referral& referral) {
  absl::StatusOr<uint64_t> id = ParseReferralName(referral.name(), "name");
  return id.ok() ? *id : 0;
}

}  // namespace

std::string ReferralKey(uint64_t id) {
  std::string key(1, 'r');
  AppendBigEndian64(key, id);
  return key;
}

std::vector<std::string> ReferralIndexKeys(uint64_t id, const v1::Referral& referral) {
  std::vector<std::string> keys = {Newest('a', "", id),
                                   Newest('u', NameDimension(referral.unit()), id),
                                   Newest('t', TicketDimension(referral.ticket()), id)};
  if (referral.dispositions().empty()) keys.push_back(Newest('o', "", id));
  if (!referral.responsible_principal().empty()) {
    keys.push_back(Newest('p', NameDimension(referral.responsible_principal()), id));
  }
  return keys;
}

std::string ReferralIndexPrefix(const ReferralQuery& query) {
  if (!query.ticket.empty()) return std::string(1, 't') + TicketDimension(query.ticket);
  if (!query.principal.empty()) return std::string(1, 'p') + NameDimension(query.principal);
  if (!query.unit.empty()) return std::string(1, 'u') + NameDimension(query.unit);
  if (query.decided.has_value() && !*query.decided) return "o";
  return "a";
}

uint64_t ReferralIdOfIndexKey(absl::string_view key) {
  return ~ReadBigEndian64(key, key.size() - 8);
}

void StageReferral(AuditedBatch& batch, rocksdb::ColumnFamilyHandle* family,
                   const v1::Referral* before, const v1::Referral& referral) {
  const uint64_t id = IdOf(referral);
  if (before != nullptr) {
    for (const std::string& key : ReferralIndexKeys(id, *before)) batch.Delete(family, key);
  }
  for (const std::string& key : ReferralIndexKeys(id, referral)) batch.Put(family, key, "");
  v1::Referral stored = referral;
  stored.clear_trail();
  batch.PutRecord(AuditKind::kReferral, family, ReferralKey(id), EncodeRecord(stored));
}

}  // namespace duban::storage
