#include "storage/directory_store.h"

#include <functional>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "rocksdb/iterator.h"
#include "storage/paged_scan.h"
#include "storage/record.h"

namespace duban::storage {
namespace {

constexpr char kUnitTag = 'u';
constexpr char kPrincipalTag = 'p';
constexpr char kIndicatorTag = 'i';

std::string DirectoryKey(char tag, absl::string_view name) {
  return absl::StrCat(absl::string_view(&tag, 1), name);
}

// What differs between the kinds of directory record when one is stored.
template <typename Record>
struct DirectoryKind;
template <>
struct DirectoryKind<v1::Unit> {
  static constexpr char kTag = kUnitTag;
  static constexpr absl::string_view kNoun = "unit";
  static constexpr auto kFind = &DirectoryStore::FindUnit;
};
template <>
struct DirectoryKind<v1::Principal> {
  static constexpr char kTag = kPrincipalTag;
  static constexpr absl::string_view kNoun = "principal";
  static constexpr auto kFind = &DirectoryStore::FindPrincipal;
};
template <>
struct DirectoryKind<v1::Indicator> {
  static constexpr char kTag = kIndicatorTag;
  static constexpr absl::string_view kNoun = "indicator";
  static constexpr auto kFind = &DirectoryStore::FindIndicator;
};

template <typename Record>
void StageRecord(AuditedBatch& batch, rocksdb::ColumnFamilyHandle* family, const Record& record) {
  batch.PutRecord(AuditKind::kDirectory, family,
                  DirectoryKey(DirectoryKind<Record>::kTag, record.name()), EncodeRecord(record));
}

// The records of `records` (keyed by name) that match `query`, as a scan for
// ScanPage. Filtering here rather than in the visit means only a further
// match earns a token, and the token names the last record returned.
template <typename Record, typename Query>
class MatchingRecords {
 public:
  MatchingRecords(const std::map<std::string, Record, std::less<>>& records, const Query& query)
      : records_(records), query_(query), it_(records.end()) {}

  void Seek(absl::string_view start) {
    it_ = records_.lower_bound(start);
    SkipMismatches();
  }
  bool Valid() const { return it_ != records_.end(); }
  void Next() {
    ++it_;
    SkipMismatches();
  }
  absl::string_view key() const { return it_->first; }
  const Record& value() const { return it_->second; }
  absl::string_view prefix() const { return {}; }
  absl::Status status() const { return absl::OkStatus(); }

 private:
  void SkipMismatches() {
    while (it_ != records_.end() && !query_.Matches(it_->second)) ++it_;
  }

  const std::map<std::string, Record, std::less<>>& records_;
  const Query& query_;
  typename std::map<std::string, Record, std::less<>>::const_iterator it_;
};

// One page of `records` that match `query`, in name order.
template <typename Record, typename Query>
absl::Status Paginate(const std::map<std::string, Record, std::less<>>& records, const Query& query,
                      absl::string_view kind, int page_size, absl::string_view page_token,
                      std::vector<Record>& out, std::string& next_page_token) {
  const std::string scope = absl::StrCat(kind, "\n", query.Canonical());
  MatchingRecords<Record, Query> scan(records, query);
  ASSIGN_OR_RETURN(
      next_page_token,
      ScanPage(scan, {.scope = scope, .page_size = page_size, .page_token = page_token},
               [&](absl::string_view, const Record& record) -> absl::StatusOr<bool> {
                 out.push_back(record);
                 return true;
               }));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<DirectoryStore>> DirectoryStore::Open(Database* database) {
  std::unique_ptr<DirectoryStore> store(new DirectoryStore(database));
  RETURN_IF_ERROR(store->Reload());
  return store;
}

absl::Status DirectoryStore::Reload() {
  std::map<std::string, v1::Unit, std::less<>> units;
  std::map<std::string, v1::Principal, std::less<>> principals;
  std::map<std::string, std::string, std::less<>> principal_by_token;
  std::map<std::string, v1::Indicator, std::less<>> indicators;
  std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(
      rocksdb::ReadOptions(), database_->family(Family::kDirectory)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    const absl::string_view value(it->value().data(), it->value().size());
    if (key.empty()) return absl::DataLossError("empty directory key");
    if (key[0] == kUnitTag) {
      v1::Unit unit;
      RETURN_IF_ERROR(DecodeRecord(value, unit));
      units.emplace(unit.name(), unit);
    } else if (key[0] == kPrincipalTag) {
      v1::Principal principal;
      RETURN_IF_ERROR(DecodeRecord(value, principal));
      principal_by_token[principal.token_sha256()] = principal.name();
      principals.emplace(principal.name(), principal);
    } else if (key[0] == kIndicatorTag) {
      v1::Indicator indicator;
      RETURN_IF_ERROR(DecodeRecord(value, indicator));
      indicators.emplace(indicator.name(), indicator);
    } else {
      return absl::DataLossError("unknown directory key tag");
    }
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "load directory"));
  WriterMutexLock lock(&mutex_);
  units_ = std::move(units);
  principals_ = std::move(principals);
  principal_by_token_ = std::move(principal_by_token);
  indicators_ = std::move(indicators);
  return absl::OkStatus();
}

std::optional<v1::Unit> DirectoryStore::FindUnit(absl::string_view name) const {
  ReaderMutexLock lock(&mutex_);
  auto it = units_.find(name);
  if (it == units_.end()) return std::nullopt;
  return it->second;
}

std::vector<v1::Unit> DirectoryStore::UnitsOfKind(v1::UnitKind kind) const {
  ReaderMutexLock lock(&mutex_);
  std::vector<v1::Unit> units;
  for (const auto& [name, unit] : units_) {
    if (unit.kind() == kind) units.push_back(unit);
  }
  return units;
}

std::optional<v1::Indicator> DirectoryStore::FindIndicator(absl::string_view name) const {
  ReaderMutexLock lock(&mutex_);
  auto it = indicators_.find(name);
  if (it == indicators_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<IndicatorPage> DirectoryStore::ListIndicators(const IndicatorQuery& query,
                                                             int page_size,
                                                             absl::string_view page_token) const {
  ReaderMutexLock lock(&mutex_);
  IndicatorPage page;
  RETURN_IF_ERROR(Paginate(indicators_, query, "indicators", page_size, page_token,
                           page.indicators, page.next_page_token));
  return page;
}

std::optional<v1::Principal> DirectoryStore::FindPrincipal(absl::string_view name) const {
  ReaderMutexLock lock(&mutex_);
  auto it = principals_.find(name);
  if (it == principals_.end()) return std::nullopt;
  return it->second;
}

std::optional<v1::Principal> DirectoryStore::FindPrincipalByToken(
    absl::string_view token_sha256) const {
  ReaderMutexLock lock(&mutex_);
  auto name = principal_by_token_.find(token_sha256);
  if (name == principal_by_token_.end()) return std::nullopt;
  auto it = principals_.find(name->second);
  if (it == principals_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<UnitPage> DirectoryStore::ListUnits(const UnitQuery& query, int page_size,
                                                   absl::string_view page_token) const {
  ReaderMutexLock lock(&mutex_);
  UnitPage page;
  RETURN_IF_ERROR(
      Paginate(units_, query, "units", page_size, page_token, page.units, page.next_page_token));
  return page;
}

absl::StatusOr<PrincipalPage> DirectoryStore::ListPrincipals(const PrincipalQuery& query,
                                                             int page_size,
                                                             absl::string_view page_token) const {
  ReaderMutexLock lock(&mutex_);
  PrincipalPage page;
  RETURN_IF_ERROR(Paginate(principals_, query, "principals", page_size, page_token, page.principals,
                           page.next_page_token));
  return page;
}

bool DirectoryStore::empty() const {
  ReaderMutexLock lock(&mutex_);
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
  MutexLock write_lock(&write_mutex_);
  AuditedBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_->family(Family::kDirectory);
  for (const v1::Unit& unit : units) StageRecord(batch, family, unit);
  for (const v1::Principal& principal : principals) StageRecord(batch, family, principal);
  for (const v1::Indicator& indicator : indicators) StageRecord(batch, family, indicator);
  RETURN_IF_ERROR(database_->Write(batch, WriteOptions{}));
  WriterMutexLock lock(&mutex_);
  for (const v1::Unit& unit : units) Remember(unit);
  for (const v1::Indicator& indicator : indicators) Remember(indicator);
  for (const v1::Principal& principal : principals) Remember(principal);
  return absl::OkStatus();
}

void DirectoryStore::Remember(const v1::Unit& unit) { units_[unit.name()] = unit; }

void DirectoryStore::Remember(const v1::Indicator& indicator) {
  indicators_[indicator.name()] = indicator;
}

void DirectoryStore::Remember(const v1::Principal& principal) {
  if (auto it = principals_.find(principal.name()); it != principals_.end()) {
    ForgetToken(it->second);
  }
  principal_by_token_[principal.token_sha256()] = principal.name();
  principals_[principal.name()] = principal;
}

absl::Status DirectoryStore::CheckTokenFree(const v1::Principal& principal) const {
  std::optional<v1::Principal> holder = FindPrincipalByToken(principal.token_sha256());
  if (holder && holder->name() != principal.name()) {
    return ErrorWithReason(absl::StatusCode::kAlreadyExists, "TOKEN_IN_USE",
                           "principal.token_sha256: another principal has this token");
  }
  return absl::OkStatus();
}

// The current record is read inside the request log's run, so a retried
// request answers from the log without reading it.
template <typename Record>
absl::StatusOr<Record> DirectoryStore::Put(
    absl::string_view name, const RequestKey& request, absl::Time now,
    absl::FunctionRef<absl::StatusOr<Record>(const Record* current)> write) {
  using Kind = DirectoryKind<Record>;
  MutexLock write_lock(&write_mutex_);
  std::optional<Record> written;
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        std::optional<Record> current = std::invoke(Kind::kFind, this, name);
        ASSIGN_OR_RETURN(written, write(current ? &*current : nullptr));
        if (written->name() != name) {
          return absl::InternalError(absl::StrCat(Kind::kNoun, " name changed on write"));
        }
        if constexpr (std::is_same_v<Record, v1::Principal>) {
          RETURN_IF_ERROR(CheckTokenFree(*written));
        }
        StageRecord(batch, database_->family(Family::kDirectory), *written);
        return written->SerializeAsString();
      }));
  if (written) {
    WriterMutexLock lock(&mutex_);
    Remember(*written);
  }
  Record stored;
  if (!stored.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return stored;
}

absl::StatusOr<v1::Unit> DirectoryStore::PutUnit(absl::string_view name, const RequestKey& request,
                                                 absl::Time now, UnitWriter write) {
  return Put<v1::Unit>(name, request, now, write);
}

absl::StatusOr<v1::Principal> DirectoryStore::PutPrincipal(absl::string_view name,
                                                           const RequestKey& request,
                                                           absl::Time now, PrincipalWriter write) {
  return Put<v1::Principal>(name, request, now, write);
}

absl::StatusOr<v1::Indicator> DirectoryStore::PutIndicator(absl::string_view name,
                                                           const RequestKey& request,
                                                           absl::Time now, IndicatorWriter write) {
  return Put<v1::Indicator>(name, request, now, write);
}

}  // namespace duban::storage
