// SettingsStore: the escalation policy and the working-day calendar — small
// records every call reads, kept in memory and swapped whole on change.
//
// Column family `settings`:
//   "policy"                          → record(EscalationPolicy)
//   "ledger_policy"                   → record(LedgerPolicy)
//   "calendar/" | year (4 bytes BE)    → record(CalendarYear)
//   "calendar_version"                → record(Calendar) holding only `version`
// and, in the `default` family (not a record of the county's, so not
// audited):
//   "training_clock"                  → unix micros (8 BE): how far a training
//                                       county's clock had run
//
// A new store starts with the default policy and the calendar shipped with
// the server (domain/data/calendar-cn.json), at version 1.
//
//   std::shared_ptr<const WorkCalendar> calendar = settings->calendar();
//   std::shared_ptr<const v1::EscalationPolicy> policy = settings->policy();
//
// Thread-safe. Readers keep the snapshot they took for as long as they hold
// it; writers replace it.
#ifndef DUBAN_STORAGE_SETTINGS_STORE_H_
#define DUBAN_STORAGE_SETTINGS_STORE_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/mutex.h"
#include "domain/work_calendar.h"
#include "duban/v1/calendar.pb.h"
#include "duban/v1/escalation.pb.h"
#include "duban/v1/performance.pb.h"
#include "storage/database.h"
#include "storage/request_log.h"

namespace duban::storage {

class SettingsStore {
 public:
  using PolicyWriter =
      absl::FunctionRef<absl::StatusOr<v1::EscalationPolicy>(const v1::EscalationPolicy& current)>;

  // `database` is not owned and must outlive the store. Working days are
  // counted in `zone`.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SettingsStore>> Open(Database* database,
                                                                           absl::TimeZone zone,
                                                                           absl::Time now);

  SettingsStore(const SettingsStore&) = delete;
  SettingsStore& operator=(const SettingsStore&) = delete;

  // Reads the settings from the store again and publishes them (and tells
  // the calendar listener): on a replica, after a batch that changed them.
  [[nodiscard]] absl::Status Reload() ABSL_LOCKS_EXCLUDED(write_mutex_, mutex_);

  std::shared_ptr<const v1::EscalationPolicy> policy() const;
  std::shared_ptr<const v1::LedgerPolicy> ledger_policy() const;
  std::shared_ptr<const WorkCalendar> calendar() const;
  // The loaded years and the calendar version.
  v1::Calendar calendar_data() const;

  // Stores what `write` makes of the current policy (its version and etag
  // one up) in one synced write with the request record.
  absl::StatusOr<v1::EscalationPolicy> PutPolicy(const RequestKey& request, absl::Time now,
                                                 PolicyWriter write);
  // As PutPolicy, for the ledger policy.
  using LedgerPolicyWriter =
      absl::FunctionRef<absl::StatusOr<v1::LedgerPolicy>(const v1::LedgerPolicy& current)>;
  absl::StatusOr<v1::LedgerPolicy> PutLedgerPolicy(const RequestKey& request, absl::Time now,
                                                   LedgerPolicyWriter write);
  // Replaces the years `make` returns for the current calendar (validated
  // there) under a new calendar version. `make` runs once the request log
  // has found no earlier answer, one load at a time; an error from it is
  // returned and nothing is written.
  using YearsMaker = absl::FunctionRef<absl::StatusOr<std::vector<v1::CalendarYear>>(
      const v1::Calendar& current)>;
  absl::StatusOr<v1::Calendar> PutCalendarYears(const RequestKey& request, absl::Time now,
                                                YearsMaker make);
  // The same, for years already chosen and validated.
  absl::StatusOr<v1::Calendar> PutCalendarYears(const RequestKey& request, absl::Time now,
                                                const std::vector<v1::CalendarYear>& years) {
    return PutCalendarYears(request, now,
                            [&](const v1::Calendar&) -> absl::StatusOr<std::vector<v1::CalendarYear>> {
                              return years;
                            });
  }

  // How far the clock of a training county (duband --time_scale) had run
  // when it was last saved; InfinitePast if never.
  absl::Time training_clock() const;
  // Saves `reached` as the training clock, in one synced write.
  [[nodiscard]] absl::Status SaveTrainingClock(absl::Time reached);

  // Called after every calendar load, once the new calendar is published.
  // Set before concurrent use.
  void set_calendar_listener(std::function<void()> listener) {
    calendar_listener_ = std::move(listener);
  }

 private:
  SettingsStore(Database* database, absl::TimeZone zone)
      : database_(database), requests_(database->requests()), zone_(zone) {}
  // Reads and publishes the settings; on a primary, stores the defaults of
  // those missing, stamped `now`.
  absl::Status Load(absl::Time now) ABSL_LOCKS_EXCLUDED(write_mutex_, mutex_);
  void Publish(v1::EscalationPolicy policy) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mutex_);
  void Publish(v1::LedgerPolicy policy) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mutex_);
  // Stores what `write` makes of `current` under `key`, one version up.
  template <typename Policy>
  absl::StatusOr<Policy> PutVersioned(absl::string_view key, const RequestKey& request,
                                      absl::Time now, const std::shared_ptr<const Policy>& current,
                                      absl::FunctionRef<absl::StatusOr<Policy>(const Policy&)> write)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mutex_);
  void Publish(std::vector<v1::CalendarYear> years, int64_t version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mutex_);

  Database* database_;
  // The database's one request log (Database::requests()), shared by every store.
  RequestLog& requests_;
  absl::TimeZone zone_;
  // One settings write at a time; taken before the request stripes
  // (lock order: lock_table.h).
  Mutex write_mutex_ ABSL_ACQUIRED_BEFORE(mutex_);

  // Guards the published settings below; after the request stripes.
  mutable Mutex mutex_;
  std::shared_ptr<const v1::EscalationPolicy> policy_ ABSL_GUARDED_BY(mutex_);
  std::shared_ptr<const v1::LedgerPolicy> ledger_policy_ ABSL_GUARDED_BY(mutex_);
  std::shared_ptr<const WorkCalendar> calendar_ ABSL_GUARDED_BY(mutex_);
  v1::Calendar calendar_data_ ABSL_GUARDED_BY(mutex_);
  absl::Time training_clock_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
  std::function<void()> calendar_listener_;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_SETTINGS_STORE_H_
