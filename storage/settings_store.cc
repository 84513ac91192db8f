#include "storage/settings_store.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/calendar_data.h"
#include "domain/escalation_policy.h"
#include "domain/ledger.h"
#include "rocksdb/iterator.h"
#include "storage/big_endian.h"
#include "storage/record.h"

namespace duban::storage {
namespace {

constexpr absl::string_view kPolicyKey = "policy";
constexpr absl::string_view kLedgerPolicyKey = "ledger_policy";
constexpr absl::string_view kCalendarVersionKey = "calendar_version";
constexpr absl::string_view kYearPrefix = "calendar/";
constexpr absl::string_view kTrainingClockKey = "training_clock";

std::string YearKey(int year) {
  std::string key(kYearPrefix);
  for (int shift = 24; shift >= 0; shift -= 8)
    key.push_back(static_cast<char>((year >> shift) & 0xFF));
  return key;
}

void StageYears(AuditedBatch& batch, rocksdb::ColumnFamilyHandle* family,
                const std::vector<v1::CalendarYear>& years, int64_t version) {
  for (const v1::CalendarYear& year : years) {
    batch.PutRecord(AuditKind::kSettings, family, YearKey(year.year()), EncodeRecord(year));
  }
  v1::Calendar marker;
  marker.set_version(version);
  batch.PutRecord(AuditKind::kSettings, family, kCalendarVersionKey, EncodeRecord(marker));
}

// Stamps `policy` as version `version` made at `now`.
template <typename Policy>
void Stamp(Policy& policy, int64_t version, absl::Time now) {
  policy.set_version(version);
  policy.set_etag(absl::StrCat(version));
  *policy.mutable_update_time() = ToTimestamp(now);
}

}  // namespace

absl::StatusOr<std::unique_ptr<SettingsStore>> SettingsStore::Open(Database* database,
                                                                   absl::TimeZone zone,
                                                                   absl::Time now) {
  std::unique_ptr<SettingsStore> store(new SettingsStore(database, zone));
  RETURN_IF_ERROR(store->Load(now));
  return store;
}

absl::Status SettingsStore::Reload() {
  RETURN_IF_ERROR(Load(absl::Now()));
  if (calendar_listener_) calendar_listener_();
  return absl::OkStatus();
}

absl::Status SettingsStore::Load(absl::Time now) {
  Database* database = database_;
  SettingsStore* store = this;
  rocksdb::ColumnFamilyHandle* family = database->family(Family::kSettings);
  std::optional<v1::EscalationPolicy> policy;
  std::optional<v1::LedgerPolicy> ledger_policy;
  std::vector<v1::CalendarYear> years;
  int64_t calendar_version = 0;
  std::unique_ptr<rocksdb::Iterator> it(
      database->db()->NewIterator(rocksdb::ReadOptions(), family));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    const absl::string_view value(it->value().data(), it->value().size());
    if (key == kPolicyKey) {
      RETURN_IF_ERROR(DecodeRecord(value, policy.emplace()));
    } else if (key == kLedgerPolicyKey) {
      RETURN_IF_ERROR(DecodeRecord(value, ledger_policy.emplace()));
    } else if (key == kCalendarVersionKey) {
      v1::Calendar marker;
      RETURN_IF_ERROR(DecodeRecord(value, marker));
      calendar_version = marker.version();
    } else if (absl::StartsWith(key, kYearPrefix)) {
      RETURN_IF_ERROR(DecodeRecord(value, years.emplace_back()));

    } else {
      return absl::DataLossError(absl::StrCat("unknown settings key ", key));
    }
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "load settings"));
  std::string reached;
  rocksdb::Status clock = database->db()->Get(
      rocksdb::ReadOptions(), database->family(Family::kDefault), std::string(kTrainingClockKey),
      &reached);
  if (clock.ok()) {
    if (reached.size() != 8) return absl::DataLossError("malformed training clock");
    MutexLock lock(&store->mutex_);
    store->training_clock_ =
        absl::FromUnixMicros(static_cast<int64_t>(ReadBigEndian64(reached)));
  } else if (!clock.IsNotFound()) {
    return FromRocks(clock, "read the training clock");
  }

  AuditedBatch defaults;
  if (!policy) {
    policy = DefaultEscalationPolicy();
    Stamp(*policy, 1, now);
    defaults.PutRecord(AuditKind::kSettings, family, kPolicyKey, EncodeRecord(*policy));
  }
  if (!ledger_policy) {
    ledger_policy = DefaultLedgerPolicy();
    Stamp(*ledger_policy, 1, now);
    defaults.PutRecord(AuditKind::kSettings, family, kLedgerPolicyKey,
                       EncodeRecord(*ledger_policy));
  }
  if (calendar_version == 0) {
    ASSIGN_OR_RETURN(years, ParseCalendarFile(DefaultCalendarJson()));
    RETURN_IF_ERROR(ValidateCalendarYears("default calendar", years));
    calendar_version = 1;
    for (v1::CalendarYear& year : years) {
      year.set_version(calendar_version);
      *year.mutable_update_time() = ToTimestamp(now);
    }
    StageYears(defaults, family, years, calendar_version);
  }
  // A replica has the primary's (and would be refused a write).
  if (!defaults.empty() && !database->replica()) {
    RETURN_IF_ERROR(database->Write(defaults, WriteOptions{}));
  }
  MutexLock lock(&store->write_mutex_);
  store->Publish(*std::move(policy));
  store->Publish(*std::move(ledger_policy));
  store->Publish(std::move(years), calendar_version);
  return absl::OkStatus();
}

void SettingsStore::Publish(v1::EscalationPolicy policy) {
  auto shared = std::make_shared<const v1::EscalationPolicy>(std::move(policy));
  MutexLock lock(&mutex_);
  policy_ = std::move(shared);
}

void SettingsStore::Publish(v1::LedgerPolicy policy) {
  auto shared = std::make_shared<const v1::LedgerPolicy>(std::move(policy));
  MutexLock lock(&mutex_);
  ledger_policy_ = std::move(shared);
}

std::shared_ptr<const v1::LedgerPolicy> SettingsStore::ledger_policy() const {
  MutexLock lock(&mutex_);
  return ledger_policy_;
}

template <typename Policy>
absl::StatusOr<Policy> SettingsStore::PutVersioned(
    absl::string_view key, const RequestKey& request, absl::Time now,
    const std::shared_ptr<const Policy>& current,
    absl::FunctionRef<absl::StatusOr<Policy>(const Policy&)> write) {
  std::optional<Policy> written;
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(written, write(*current));
        Stamp(*written, current->version() + 1, now);
        batch.PutRecord(AuditKind::kSettings, database_->family(Family::kSettings), key,
                        EncodeRecord(*written));
        return written->SerializeAsString();
      }));
  if (written) Publish(*written);
  Policy policy;
  if (!policy.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return policy;
}

void SettingsStore::Publish(std::vector<v1::CalendarYear> years, int64_t version) {
  std::sort(years.begin(), years.end(), [](const v1::CalendarYear& a, const v1::CalendarYear& b) {
    return a.year() < b.year();
  });
  auto calendar = std::make_shared<const WorkCalendar>(BuildCalendar(zone_, years, version));
  v1::Calendar data;
  data.set_time_zone(zone_.name());
  data.set_version(version);
  for (v1::CalendarYear& year : years) *data.add_years() = std::move(year);
  MutexLock lock(&mutex_);
  calendar_ = std::move(calendar);
  calendar_data_ = std::move(data);
}

std::shared_ptr<const v1::EscalationPolicy> SettingsStore::policy() const {
  MutexLock lock(&mutex_);
  return policy_;
}

std::shared_ptr<const WorkCalendar> SettingsStore::calendar() const {
  MutexLock lock(&mutex_);
  return calendar_;
}

v1::Calendar SettingsStore::calendar_data() const {
  MutexLock lock(&mutex_);
  return calendar_data_;
}

absl::StatusOr<v1::EscalationPolicy> SettingsStore::PutPolicy(const RequestKey& request,
                                                              absl::Time now, PolicyWriter write) {
  MutexLock write_lock(&write_mutex_);
  return PutVersioned<v1::EscalationPolicy>(kPolicyKey, request, now, policy(), write);
}

absl::StatusOr<v1::LedgerPolicy> SettingsStore::PutLedgerPolicy(const RequestKey& request,
                                                                absl::Time now,
                                                                LedgerPolicyWriter write) {
  MutexLock write_lock(&write_mutex_);
  return PutVersioned<v1::LedgerPolicy>(kLedgerPolicyKey, request, now, ledger_policy(), write);
}

absl::StatusOr<v1::Calendar> SettingsStore::PutCalendarYears(const RequestKey& request,
                                                             absl::Time now, YearsMaker make) {
  MutexLock write_lock(&write_mutex_);
  std::optional<std::vector<v1::CalendarYear>> merged;
  int64_t version = 0;
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        const v1::Calendar current = calendar_data();
        ASSIGN_OR_RETURN(std::vector<v1::CalendarYear> loaded, make(current));
        version = current.version() + 1;
        std::map<int, v1::CalendarYear> by_year;
        for (const v1::CalendarYear& year : current.years()) by_year[year.year()] = year;
        for (v1::CalendarYear& year : loaded) {
          year.set_version(version);
          *year.mutable_update_time() = ToTimestamp(now);
          by_year[year.year()] = year;
        }
        StageYears(batch, database_->family(Family::kSettings), loaded, version);
        merged.emplace();
        for (auto& [number, year] : by_year) merged->push_back(year);
        v1::Calendar result;
        result.set_time_zone(zone_.name());
        result.set_version(version);
        for (const v1::CalendarYear& year : *merged) *result.add_years() = year;
        return result.SerializeAsString();
      }));
  if (merged) {
    Publish(*std::move(merged), version);
    if (calendar_listener_) calendar_listener_();
  }
  v1::Calendar calendar;
  if (!calendar.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return calendar;
}

absl::Time SettingsStore::training_clock() const {
  MutexLock lock(&mutex_);
  return training_clock_;
}

absl::Status SettingsStore::SaveTrainingClock(absl::Time reached) {
  MutexLock write_lock(&write_mutex_);
  AuditedBatch batch;
  std::string value;
  AppendBigEndian64(value, static_cast<uint64_t>(absl::ToUnixMicros(reached)));
  // Not a record of the county's: the default family, unaudited, like the
  // format version.
  batch.Put(database_->family(Family::kDefault), kTrainingClockKey, value);
  RETURN_IF_ERROR(database_->Write(batch, WriteOptions{}));
  MutexLock lock(&mutex_);
  training_clock_ = reached;
  return absl::OkStatus();
}

}  // namespace duban::storage
