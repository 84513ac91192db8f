#include "storage/directory_store.h"

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "rocksdb/iterator.h"
#include "storage/page_token.h"
#include "storage/record.h"

namespace duban::storage {
namespace {

constexpr char kUnitTag = 'u';
constexpr char kPrincipalTag = 'p';
constexpr char kIndicatorTag = 'i';

std::string DirectoryKey(char tag, absl::string_view name) {
  return absl::StrCat(absl::string_view(&tag, 1), name);
}

// One page of `records` (ordered by name) that match `query`, resuming after
// the name in `page_token`.
template <typename Record, typename Query>
absl::Status Paginate(const std::map<std::string, Record, std::less<>>& records, const Query& query,
                      absl::string_view kind, int page_size, absl::string_view page_token,
                      std::vector<Record>& out, std::string& next_page_token) {
  const std::string scope = absl::StrCat(kind, "\n", query.Canonical());
  auto it = records.begin();
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(std::string after, DecodePageToken(page_token, scope));
    it = records.upper_bound(after);
  }
  for (; it != records.end(); ++it) {
    if (!query.Matches(it->second)) continue;
    if (static_cast<int>(out.size()) == page_size) {
      next_page_token = EncodePageToken(scope, out.back().name());
      break;
    }
    out.push_back(it->second);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<DirectoryStore>> DirectoryStore::Open(Database* database) {
  std::unique_ptr<DirectoryStore> store(new DirectoryStore(database));
  std::unique_ptr<rocksdb::Iterator> it(
      database->db()->NewIterator(rocksdb::ReadOptions(), database->family(Family::kDirectory)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    const absl::string_view value(it->value().data(), it->value().size());
    if (key.empty()) return absl::DataLossError("empty directory key");
    if (key[0] == kUnitTag) {
      v1::Unit unit;
      RETURN_IF_ERROR(DecodeRecord(value, unit));
      store->units_.emplace(unit.name(), unit);
    } else if (key[0] == kPrincipalTag) {
      v1::Principal principal;
      RETURN_IF_ERROR(DecodeRecord(value, principal));
      store->principal_by_token_[principal.token_sha256()] = principal.name();
      store->principals_.emplace(principal.name(), principal);
    } else if (key[0] == kIndicatorTag) {
      v1::Indicator indicator;
      RETURN_IF_ERROR(DecodeRecord(value, indicator));
      store->indicators_.emplace(indicator.name(), indicator);
    } else {
      return absl::DataLossError("unknown directory key tag");
    }
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "load directory"));
  return store;
}

std::optional<v1::Unit> DirectoryStore::FindUnit(absl::string_view name) const {
  std::shared_lock lock(mutex_);
  auto it = units_.find(name);
  if (it == units_.end()) return std::nullopt;
  return it->second;
}

std::vector<v1::Unit> DirectoryStore::UnitsOfKind(v1::UnitKind kind) const {
  std::shared_lock lock(mutex_);
  std::vector<v1::Unit> units;
  for (const auto& [name, unit] : units_) {
    if (unit.kind() == kind) units.push_back(unit);
  }
  return units;
}

std::optional<v1::Indicator> DirectoryStore::FindIndicator(absl::string_view name) const {
  std::shared_lock lock(mutex_);
  auto it = indicators_.find(name);
  if (it == indicators_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<IndicatorPage> DirectoryStore::ListIndicators(const IndicatorQuery& query,
                                                             int page_size,
                                                             absl::string_view page_token) const {
  std::shared_lock lock(mutex_);
  IndicatorPage page;
  RETURN_IF_ERROR(Paginate(indicators_, query, "indicators", page_size, page_token,
                           page.indicators, page.next_page_token));
  return page;
}

std::optional<v1::Principal> DirectoryStore::FindPrincipal(absl::string_view name) const {
  std::shared_lock lock(mutex_);
  auto it = principals_.find(name);
  if (it == principals_.end()) return std::nullopt;
  return it->second;
}

std::optional<v1::Principal> DirectoryStore::FindPrincipalByToken(
    absl::string_view token_sha256) const {
  std::shared_lock lock(mutex_);
  auto name = principal_by_token_.find(token_sha256);
  if (name == principal_by_token_.end()) return std::nullopt;
  auto it = principals_.find(name->second);
  if (it == principals_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<UnitPage> DirectoryStore::ListUnits(const UnitQuery& query, int page_size,
                                                   absl::string_view page_token) const {
  std::shared_lock lock(mutex_);
  UnitPage page;
  RETURN_IF_ERROR(
      Paginate(units_, query, "units", page_size, page_token, page.units, page.next_page_token));
  return page;
}

absl::StatusOr<PrincipalPage> DirectoryStore::ListPrincipals(const PrincipalQuery& query,
                                                             int page_size,
                                                             absl::string_view page_token) const {
  std::shared_lock lock(mutex_);
  PrincipalPage page;
  RETURN_IF_ERROR(Paginate(principals_, query, "principals", page_size, page_token, page.principals,
                           page.next_page_token));
  return page;
}

bool DirectoryStore::empty() const {
  std::shared_lock lock(mutex_);
  return units_.empty() && principals_.empty();
}

void DirectoryStore::ForgetToken(const v1::Principal& principal) {
  auto it = principal_by_token_.find(principal.token_sha256());
  // The token may already belong to another principal of the same write.
  if (it != principal_by_token_.end() && it->second == principal.name()) {
    principal_by_token_.erase(it);
  }
}

absl::Status DirectoryStore::PutAll(const std::vector<v1::Unit>& units,
                                    const std::vector<v1::Principal>& principals,
                                    const std::vector<v1::Indicator>& indicators) {
  std::lock_guard write_lock(write_mutex_);
  AuditedBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_->family(Family::kDirectory);
  for (const v1::Unit& unit : units) {
    batch.PutRecord(AuditKind::kDirectory, family, DirectoryKey(kUnitTag, unit.name()),
                    EncodeRecord(unit));
  }
  for (const v1::Principal& principal : principals) {
    batch.PutRecord(AuditKind::kDirectory, family, DirectoryKey(kPrincipalTag, principal.name()),
                    EncodeRecord(principal));
  }
  for (const v1::Indicator& indicator : indicators) {
    batch.PutRecord(AuditKind::kDirectory, family, DirectoryKey(kIndicatorTag, indicator.name()),
                    EncodeRecord(indicator));
  }
  RETURN_IF_ERROR(database_->Write(batch));
  std::unique_lock lock(mutex_);
  for (const v1::Unit& unit : units) units_[unit.name()] = unit;
  for (const v1::Indicator& indicator : indicators) indicators_[indicator.name()] = indicator;
  for (const v1::Principal& principal : principals) {
    if (auto it = principals_.find(principal.name()); it != principals_.end()) {
      ForgetToken(it->second);
    }
    principal_by_token_[principal.token_sha256()] = principal.name();
    principals_[principal.name()] = principal;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Unit> DirectoryStore::PutUnit(absl::string_view name, const RequestKey& request,
                                                 absl::Time now, UnitWriter write) {
  std::lock_guard write_lock(write_mutex_);
  std::optional<v1::Unit> written;
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        std::optional<v1::Unit> current = FindUnit(name);
        ASSIGN_OR_RETURN(written, write(current ? &*current : nullptr));
        if (written->name() != name) return absl::InternalError("unit name changed on write");
        batch.PutRecord(AuditKind::kDirectory, database_->family(Family::kDirectory),
                        DirectoryKey(kUnitTag, name), EncodeRecord(*written));
        return written->SerializeAsString();
      }));
  if (written) {
    std::unique_lock lock(mutex_);
    units_[std::string(name)] = *written;
  }
  v1::Unit unit;
  if (!unit.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return unit;
}

absl::StatusOr<v1::Principal> DirectoryStore::PutPrincipal(absl::string_view name,
                                                           const RequestKey& request,
                                                           absl::Time now, PrincipalWriter write) {
  std::lock_guard write_lock(write_mutex_);
  std::optional<v1::Principal> written;
  std::optional<v1::Principal> previous;
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        std::optional<v1::Principal> current = FindPrincipal(name);
        previous = current;
        ASSIGN_OR_RETURN(written, write(current ? &*current : nullptr));
        if (written->name() != name) return absl::InternalError("principal name changed on write");
        std::optional<v1::Principal> holder = FindPrincipalByToken(written->token_sha256());
        if (holder && holder->name() != name) {
          return ErrorWithReason(absl::StatusCode::kAlreadyExists, "TOKEN_IN_USE",
                                 "principal.token_sha256: another principal has this token");
        }
        batch.PutRecord(AuditKind::kDirectory, database_->family(Family::kDirectory),
                        DirectoryKey(kPrincipalTag, name), EncodeRecord(*written));
        return written->SerializeAsString();
      }));
  if (written) {
    std::unique_lock lock(mutex_);
    if (previous) ForgetToken(*previous);
    principal_by_token_[written->token_sha256()] = written->name();
    principals_[std::string(name)] = *written;
  }
  v1::Principal principal;
  if (!principal.ParseFromString(reply)) {
    return absl::DataLossError("stored reply does not parse");
  }
  return principal;
}

absl::StatusOr<v1::Indicator> DirectoryStore::PutIndicator(absl::string_view name,
                                                           const RequestKey& request,
                                                           absl::Time now, IndicatorWriter write) {
  std::lock_guard write_lock(write_mutex_);
  std::optional<v1::Indicator> written;
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        std::optional<v1::Indicator> current = FindIndicator(name);
        ASSIGN_OR_RETURN(written, write(current ? &*current : nullptr));
        if (written->name() != name) return absl::InternalError("indicator name changed on write");
        batch.PutRecord(AuditKind::kDirectory, database_->family(Family::kDirectory),
                        DirectoryKey(kIndicatorTag, name), EncodeRecord(*written));
        return written->SerializeAsString();
      }));
  if (written) {
    std::unique_lock lock(mutex_);
    indicators_[std::string(name)] = *written;
  }
  v1::Indicator indicator;
  if (!indicator.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return indicator;
}

}  // namespace duban::storage
