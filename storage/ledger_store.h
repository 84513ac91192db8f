// LedgerStore: reading the performance ledger, and writing the entries the
// performance office makes. (Entries the ledger rules make are written with
// their ticket, by TicketStore.)
//
//   ASSIGN_OR_RETURN(auto ledger, LedgerStore::Open(database.get()));
//   ASSIGN_OR_RETURN(v1::LedgerEntry entry, ledger->Put(key, now, [&]() {
//     return NewDeduction(request, context);
//   }));
//
// Thread-safe. Entries are never rewritten; the office's writes run one at
// a time, so an entry is reversed at most once.
#ifndef DUBAN_STORAGE_LEDGER_STORE_H_
#define DUBAN_STORAGE_LEDGER_STORE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "base/mutex.h"
#include "domain/ledger.h"
#include "duban/v1/performance.pb.h"
#include "storage/database.h"
#include "storage/request_log.h"

namespace duban::storage {

struct LedgerPage {
  std::vector<v1::LedgerEntry> entries;
  std::string next_page_token;
};

class LedgerStore {
 public:
  using EntryWriter = absl::FunctionRef<absl::StatusOr<v1::LedgerEntry>()>;

  // `database` is not owned and must outlive the store.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<LedgerStore>> Open(Database* database);

  LedgerStore(const LedgerStore&) = delete;
  LedgerStore& operator=(const LedgerStore&) = delete;

  // A fresh entry id; ids are never reused, gaps are harmless.
  uint64_t NewEntryId() { return next_id_.fetch_add(1); }

  // NOT_FOUND naming it if absent.
  absl::StatusOr<v1::LedgerEntry> Get(uint64_t id) const;
  // The name of the entry that reversed entry `id`, or "".
  absl::StatusOr<std::string> ReversedBy(uint64_t id) const;
  // Oldest first; tokens as for TicketStore::List.
  absl::StatusOr<LedgerPage> List(const LedgerQuery& query, int page_size,
                                  absl::string_view page_token) const;
  // Every entry of `period`, oldest first.
  absl::StatusOr<std::vector<v1::LedgerEntry>> EntriesOf(absl::string_view period) const;

  // Stores the entry `write` makes, in one synced write with the request
  // record. `write` runs while no other office write can run, so what it
  // reads (ReversedBy) stays true until the entry is stored.
  absl::StatusOr<v1::LedgerEntry> Put(const RequestKey& request, absl::Time now, EntryWriter write);

 private:
  LedgerStore(Database* database, uint64_t next_id)
      : database_(database), requests_(database->requests()), next_id_(next_id) {}

  Database* database_;
  // The database's one request log (Database::requests()), shared by every store.
  RequestLog& requests_;
  std::atomic<uint64_t> next_id_;
  // One office entry at a time, so a reversal sees the entry it reverses
  // unreversed; taken before the request stripes (lock order: lock_table.h).
  Mutex write_mutex_;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_LEDGER_STORE_H_
