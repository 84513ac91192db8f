// TicketStore: tickets, their history and their indexes.
//
//   ASSIGN_OR_RETURN(auto tickets, TicketStore::Open(database.get()));
//   ASSIGN_OR_RETURN(v1::Ticket created, tickets->Create(key, now, [&](uint64_t id) {
//     return NewTicket(id, request, parent, context);
//   }));
//   ASSIGN_OR_RETURN(v1::Ticket signed_for, tickets->Update(id, key, now,
//       [&](const v1::Ticket& current) { return Apply(current, request, context); }));
//
// Every acknowledged mutation is one synced WriteBatch holding the ticket,
// its index entries, its new event and the request record: after a crash a
// ticket is either wholly before or wholly after a mutation.
//
// Thread-safe. Mutations of one ticket run one at a time (a per-ticket lock
// around read-modify-write), so concurrent transitions never lose an update;
// mutations of different tickets run in parallel and RocksDB groups their
// synced writes.
#ifndef DUBAN_STORAGE_TICKET_STORE_H_
#define DUBAN_STORAGE_TICKET_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "duban/v1/ticket.pb.h"
#include "server/domain/ticket_loop.h"
#include "server/domain/ticket_query.h"
#include "storage/database.h"
#include "storage/lock_table.h"
#include "storage/request_log.h"

namespace duban::storage {

struct TicketPage {
  std::vector<v1::Ticket> tickets;
  // Empty when there is nothing more.
  std::string next_page_token;
};

struct EventPage {
  std::vector<v1::TicketEvent> events;
  std::string next_page_token;
};

class TicketStore {
 public:
  using BuildFn = absl::FunctionRef<absl::StatusOr<TicketChange>(uint64_t id)>;
  using MutateFn = absl::FunctionRef<absl::StatusOr<TicketChange>(const v1::Ticket& current)>;

  // `database` is not owned and must outlive the store.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TicketStore>> Open(Database* database);

  TicketStore(const TicketStore&) = delete;
  TicketStore& operator=(const TicketStore&) = delete;

  // The ticket with its sub-ticket roll-up; NOT_FOUND naming it if absent.
  absl::StatusOr<v1::Ticket> Get(uint64_t id) const;

  // Tickets matching `query`, ordered by stage due time (no clock last),
  // then id. Examines at most `scan_budget` index entries per call, so a
  // page may be short while next_page_token is still set. A token from a
  // different query is INVALID_ARGUMENT naming page_token.
  absl::StatusOr<TicketPage> List(const TicketQuery& query, int page_size,
                                  absl::string_view page_token, int scan_budget = 5000) const;

  // Events of ticket `id`, oldest first.
  absl::StatusOr<EventPage> ListEvents(uint64_t id, int page_size,
                                       absl::string_view page_token) const;

  // Creates the ticket `build` makes for a fresh id. Returns the ticket as
  // stored (without roll-up), or the first answer for a retried request.
  absl::StatusOr<v1::Ticket> Create(const RequestKey& request, absl::Time now, BuildFn build);

  // Applies `mutate` to the current ticket `id` and stores the result.
  // NOT_FOUND if there is no such ticket; an error from `mutate` is
  // returned and nothing is written.
  absl::StatusOr<v1::Ticket> Update(uint64_t id, const RequestKey& request, absl::Time now,
                                    MutateFn mutate);

  // The highest ticket id in use (0 for none).
  uint64_t last_ticket_id() const { return next_ticket_id_.load() - 1; }

 private:
  explicit TicketStore(Database* database, uint64_t next_ticket_id)
      : database_(database), requests_(database), next_ticket_id_(next_ticket_id) {}

  absl::StatusOr<v1::Ticket> Read(uint64_t id, const rocksdb::Snapshot* snapshot) const;
  absl::Status FillRollup(v1::Ticket& ticket, const rocksdb::Snapshot* snapshot) const;
  // Adds the change to `batch`: the ticket, the index entries that differ
  // from `before` (null for a new ticket) and the event.
  void Stage(rocksdb::WriteBatch& batch, uint64_t id, const v1::Ticket* before,
             const TicketChange& change) const;

  Database* database_;
  RequestLog requests_;
  LockTable ticket_locks_;
  std::atomic<uint64_t> next_ticket_id_;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_TICKET_STORE_H_
