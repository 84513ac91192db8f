// DirectoryStore: the units and principals of the county, on disk and in
// memory.
//
// Column family `directory`:
//   key = 'u' | unit name (`units/{id}`)           value = record(Unit)
//   key = 'p' | principal name (`principals/{id}`) value = record(Principal)
//   key = 'i' | indicator name (`indicators/{code}`) value = record(Indicator)
//
// The whole directory (a county has hundreds of entries, not millions) is
// loaded at Open and kept in memory, so lookups on every call — a unit by
// name, a principal by token hash — touch no disk.
//
//   ASSIGN_OR_RETURN(auto directory, DirectoryStore::Open(database.get()));
//   std::optional<v1::Principal> who = directory->FindPrincipalByToken(hash);
//
// Thread-safe. Writes run one at a time; reads never wait for disk.
#ifndef DUBAN_STORAGE_DIRECTORY_STORE_H_
#define DUBAN_STORAGE_DIRECTORY_STORE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "base/mutex.h"
#include "domain/directory_query.h"
#include "domain/indicator_catalog.h"
#include "domain/indicator_rules.h"
#include "domain/unit_directory.h"
#include "duban/v1/directory.pb.h"
#include "duban/v1/performance.pb.h"
#include "storage/database.h"
#include "storage/request_log.h"

namespace duban::storage {

struct UnitPage {
  std::vector<v1::Unit> units;
  std::string next_page_token;
};

struct PrincipalPage {
  std::vector<v1::Principal> principals;
  std::string next_page_token;
};

struct IndicatorPage {
  std::vector<v1::Indicator> indicators;
  std::string next_page_token;
};

class DirectoryStore : public UnitDirectory, public IndicatorCatalog {
 public:
  // Makes the record to store from the current one (null when there is
  // none), or refuses with an error.
  using UnitWriter = absl::FunctionRef<absl::StatusOr<v1::Unit>(const v1::Unit* current)>;
  using PrincipalWriter =
      absl::FunctionRef<absl::StatusOr<v1::Principal>(const v1::Principal* current)>;
  using IndicatorWriter =
      absl::FunctionRef<absl::StatusOr<v1::Indicator>(const v1::Indicator* current)>;

  // `database` is not owned and must outlive the store.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<DirectoryStore>> Open(Database* database);

  // Reads the directory from the store again, in place of what is in
  // memory: on a replica, after a batch that changed it.
  [[nodiscard]] absl::Status Reload() ABSL_LOCKS_EXCLUDED(mutex_);

  DirectoryStore(const DirectoryStore&) = delete;
  DirectoryStore& operator=(const DirectoryStore&) = delete;

  std::optional<v1::Unit> FindUnit(absl::string_view name) const override;
  std::vector<v1::Unit> UnitsOfKind(v1::UnitKind kind) const override;
  std::optional<v1::Indicator> FindIndicator(absl::string_view name) const override;
  // Principals come back as stored, token hash included.
  std::optional<v1::Principal> FindPrincipal(absl::string_view name) const;
  std::optional<v1::Principal> FindPrincipalByToken(absl::string_view token_sha256) const;

  // Ordered by name. Tokens are as in TicketStore::List.
  absl::StatusOr<UnitPage> ListUnits(const UnitQuery& query, int page_size,
                                     absl::string_view page_token) const;
  absl::StatusOr<PrincipalPage> ListPrincipals(const PrincipalQuery& query, int page_size,
                                               absl::string_view page_token) const;

  absl::StatusOr<IndicatorPage> ListIndicators(const IndicatorQuery& query, int page_size,
                                               absl::string_view page_token) const;

  // True when there are no units and no principals.
  bool empty() const;

  // Stores all of `units` and `principals` (complete records, names set) in
  // one synced write, replacing records of the same names. For seeding.
  [[nodiscard]] absl::Status PutAll(const std::vector<v1::Unit>& units,
                                    const std::vector<v1::Principal>& principals,
                                    const std::vector<v1::Indicator>& indicators = {});

  // Stores what `write` returns for the unit named `name`, in one synced
  // write with the request record. Returns the stored unit, or the first
  // answer to a retried request.
  absl::StatusOr<v1::Unit> PutUnit(absl::string_view name, const RequestKey& request,
                                   absl::Time now, UnitWriter write);
  // As PutUnit. A token hash another principal already has is refused with
  // ALREADY_EXISTS.
  absl::StatusOr<v1::Principal> PutPrincipal(absl::string_view name, const RequestKey& request,
                                             absl::Time now, PrincipalWriter write);
  // As PutUnit, for an indicator.
  absl::StatusOr<v1::Indicator> PutIndicator(absl::string_view name, const RequestKey& request,
                                             absl::Time now, IndicatorWriter write);

 private:
  explicit DirectoryStore(Database* database) : database_(database), requests_(database->requests()) {}
  // Drops the token index entry of `principal` if it still points at it.
  void ForgetToken(const v1::Principal& principal) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // PutUnit, PutPrincipal and PutIndicator, for a record of type `Record`.
  template <typename Record>
  absl::StatusOr<Record> Put(
      absl::string_view name, const RequestKey& request, absl::Time now,
      absl::FunctionRef<absl::StatusOr<Record>(const Record* current)> write);
  // Puts a stored record in memory in place of the one of the same name.
  void Remember(const v1::Unit& unit) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void Remember(const v1::Principal& principal) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void Remember(const v1::Indicator& indicator) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // ALREADY_EXISTS (TOKEN_IN_USE) when another principal has its token hash.
  absl::Status CheckTokenFree(const v1::Principal& principal) const;

  Database* database_;
  // The database's one request log (Database::requests()), shared by every store.
  RequestLog& requests_;
  // One directory write at a time; taken before the request stripes
  // (lock order: lock_table.h).
  Mutex write_mutex_ ABSL_ACQUIRED_BEFORE(mutex_);

  // Guards the in-memory copies below; after the request stripes.
  mutable SharedMutex mutex_;
  std::map<std::string, v1::Unit, std::less<>> units_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, v1::Principal, std::less<>> principals_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, std::string, std::less<>> principal_by_token_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, v1::Indicator, std::less<>> indicators_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_DIRECTORY_STORE_H_
