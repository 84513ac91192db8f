#include "tests/bench/load/write_shape.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "rocksdb/iterator.h"
#include "tests/bench/load/county_store.h"

namespace duban::load {
namespace {

struct FamilyTotals {
  int64_t keys = 0;
  int64_t key_bytes = 0;
  int64_t value_bytes = 0;
};

const std::vector<std::pair<storage::Family, const char*>> kFamilies = {
    {storage::Family::kTickets, "tickets"},
    {storage::Family::kEvents, "events"},
    {storage::Family::kTicketIndex, "ticket_index"},
    {storage::Family::kRequests, "requests"},
    {storage::Family::kLog, "log"},
    {storage::Family::kReferrals, "referrals"},
    {storage::Family::kLedger, "ledger"}};

absl::StatusOr<FamilyTotals> Count(storage::Database& database, storage::Family family) {
  FamilyTotals totals;
  std::unique_ptr<rocksdb::Iterator> it(
      database.db()->NewIterator(rocksdb::ReadOptions(), database.family(family)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++totals.keys;
    totals.key_bytes += static_cast<int64_t>(it->key().size());
    totals.value_bytes += static_cast<int64_t>(it->value().size());
  }
  RETURN_IF_ERROR(storage::FromRocks(it->status(), "count"));
  return totals;
}

}  // namespace

double WriteShape::TotalBytes() const {
  double total = 0;
  for (const FamilyWrites& f : families) total += f.keys * (f.key_bytes + f.value_bytes);
  return total;
}

double WriteShape::TotalKeys() const {
  double total = 0;
  for (const FamilyWrites& f : families) total += f.keys;
  return total;
}

std::string WriteShape::Describe() const {
  std::string text;
  for (const FamilyWrites& f : families) {
    absl::StrAppend(&text, absl::StrFormat("%s %.1f keys × %.0f B, ", f.name, f.keys,
                                           f.key_bytes + f.value_bytes));
  }
  absl::StrAppend(&text, absl::StrFormat("total %.0f B in %.1f keys", TotalBytes(), TotalKeys()));
  return text;
}

absl::StatusOr<WriteShape> MeasureCreateShape(const std::string& path, int tickets) {
  ASSIGN_OR_RETURN(std::unique_ptr<CountyStore> county, CountyStore::Open(path));
  std::vector<FamilyTotals> before;
  for (const auto& [family, name] : kFamilies) {
    ASSIGN_OR_RETURN(FamilyTotals totals, Count(county->database(), family));
    before.push_back(totals);
  }
  for (int n = 0; n < tickets; ++n) {
    RETURN_IF_ERROR(county->CreateViaStore(static_cast<uint64_t>(n), "shape"));
  }
  WriteShape shape;
  for (size_t i = 0; i < kFamilies.size(); ++i) {
    ASSIGN_OR_RETURN(FamilyTotals after, Count(county->database(), kFamilies[i].first));
    const int64_t keys = after.keys - before[i].keys;
    if (keys == 0) continue;
    FamilyWrites& writes = shape.families.emplace_back();
    writes.family = kFamilies[i].first;
    writes.name = kFamilies[i].second;
    writes.keys = static_cast<double>(keys) / tickets;
    writes.key_bytes = static_cast<double>(after.key_bytes - before[i].key_bytes) / keys;
    writes.value_bytes = static_cast<double>(after.value_bytes - before[i].value_bytes) / keys;
  }
  return shape;
}

}  // namespace duban::load
