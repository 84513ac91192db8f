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
// its index entries, its new events, the referrals and ledger entries it
// made or changed, their audit log entries and the request record: after a
// crash a ticket is either wholly before or wholly after a mutation.
//
// A ticket's events form a hash chain: each carries the SHA-256 of the
// stored bytes of the event before it (prev_event_sha256), and the ticket
// the SHA-256 of its last event (history_head_sha256).
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
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "domain/accountability_records.h"
#include "domain/period.h"
#include "domain/referrals.h"
#include "domain/ticket_loop.h"
#include "domain/ticket_query.h"
#include "duban/v1/ticket.pb.h"
#include "storage/audit_log.h"
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

struct ReferralPage {
  std::vector<v1::Referral> referrals;
  std::string next_page_token;
};

// How many tickets there are, by stage and card, and how many are overdue.
struct TicketCensus {
  std::map<std::pair<v1::Stage, v1::Card>, int64_t> by_stage_and_card;
  int64_t overdue = 0;
};

// An event with its place in the audit log.
struct LoggedEvent {
  uint64_t cursor;
  v1::TicketEvent event;
};

class TicketStore {
 public:
  using BuildFn = absl::FunctionRef<absl::StatusOr<TicketChange>(uint64_t id)>;
  using MutateFn = absl::FunctionRef<absl::StatusOr<TicketChange>(const v1::Ticket& current)>;

  // `database` is not owned and must outlive the store.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TicketStore>> Open(Database* database);

  TicketStore(const TicketStore&) = delete;
  TicketStore& operator=(const TicketStore&) = delete;

  // The ticket with its sub-ticket roll-up, whose `overdue` counts the
  // sub-tickets whose stage clock ran out before `as_of` (none by default);
  // NOT_FOUND naming it if absent.
  absl::StatusOr<v1::Ticket> Get(uint64_t id, absl::Time as_of = absl::InfinitePast()) const;

  // Tickets matching `query`, ordered by stage due time (no clock last),
  // then id, with roll-ups as of `query.as_of`. Examines at most `scan_budget` index entries per call, so a
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

  // One ticket to create, as CreateEach takes it.
  struct PendingCreate {
    RequestKey request;
    // The ticket's parent, 0 for none. It is read again under its lock, in
    // the write that creates the ticket, and handed to `build` (null if it
    // is gone): a parent cancelled meanwhile is seen, and cannot be
    // cancelled until the child is written.
    uint64_t parent = 0;
    std::function<absl::StatusOr<TicketChange>(uint64_t id, const v1::Ticket* parent)> build;
  };

  // Create for each of `creates`, all in one synced write: one answer per
  // create, in order, each as Create would have given it — an error from
  // one create's `build` is its answer alone and leaves the others to be
  // written; a failed write is every written create's answer.
  std::vector<absl::StatusOr<v1::Ticket>> CreateEach(const std::vector<PendingCreate>& creates,
                                                     absl::Time now);

  // Creates `count` tickets in one write: `build` gets their fresh ids and
  // returns one change per id, and may stage other records in the same
  // batch (a draw); its reply is stored for retries and returned.
  using BuildManyFn = absl::FunctionRef<absl::StatusOr<std::string>(
      const std::vector<uint64_t>& ids, AuditedBatch& batch,
      std::vector<TicketChange>& changes)>;
  absl::StatusOr<std::string> CreateMany(const RequestKey& request, absl::Time now, int count,
                                         BuildManyFn build);

  // Applies `mutate` to the current ticket `id` and stores the result.
  // NOT_FOUND if there is no such ticket; an error from `mutate` is
  // returned and nothing is written. A change without events that leaves
  // the ticket as it was writes nothing. `mutate` runs under the ticket's
  // lock, so it may read the ticket's referrals consistently.
  absl::StatusOr<v1::Ticket> Update(uint64_t id, const RequestKey& request, absl::Time now,
                                    MutateFn mutate);

  // As Update, but the answer (stored for retries, and returned) is what
  // `reply` makes of the change — e.g. a referral the change updated.
  absl::StatusOr<std::string> UpdateWithReply(
      uint64_t id, const RequestKey& request, absl::Time now, MutateFn mutate,
      absl::FunctionRef<std::string(const TicketChange&)> reply);

  // How many tickets a bulk change (a sweep, UpdateOpenTickets) stores per
  // write: one fsync for them all, while their locks are held no longer
  // than a write of this size takes.
  static constexpr size_t kTicketsPerWrite = 128;

  // Applies `mutate` to each ticket of `ids` (no id twice: INTERNAL) as Update does,
  // and stores every change in one synced write, holding all their locks:
  // either every change is stored or none. A ticket that does not exist is
  // skipped; an error from `mutate` is returned and nothing is written.
  // Returns, in the order of `ids`, the change stored for each (as staged,
  // hash chain included) or nothing if it is gone or was left as it was.
  absl::StatusOr<std::vector<std::optional<TicketChange>>> UpdateMany(
      const std::vector<uint64_t>& ids, absl::Time now, const WriteOptions& write_options,
      MutateFn mutate);

  // Splits `ids` into `parts` lists of positions in `ids` (each in order)
  // whose tickets share no lock, so UpdateMany calls on tickets of
  // different lists never wait for each other.
  static std::vector<std::vector<size_t>> SplitByLock(const std::vector<uint64_t>& ids,
                                                      size_t parts);

  // Applies `mutate` (which must add no events) to every ticket with a stage
  // clock, e.g. to recompute escalation times after a policy change.
  [[nodiscard]] absl::Status UpdateOpenTickets(absl::Time now, MutateFn mutate);

  // Calls every ticket matching `query` (all pages), in index order.
  [[nodiscard]] absl::Status ForEach(const TicketQuery& query,
                                     absl::FunctionRef<void(const v1::Ticket&)> visit) const;

  // Counts every ticket from the whole-store index (no ticket is read);
  // `overdue` as `duban ticket list --overdue` judges it at `now`.
  absl::StatusOr<TicketCensus> Census(absl::Time now) const;

  // The highest ticket id in use (0 for none).
  uint64_t last_ticket_id() const { return next_ticket_id_.load() - 1; }

  // --- Referrals (made and changed only through Create and Update). ---
  // A fresh referral id; ids are never reused, gaps are harmless.
  uint64_t NewReferralId() { return next_referral_id_.fetch_add(1); }
  // NOT_FOUND naming it if absent. Without the trail.
  absl::StatusOr<v1::Referral> GetReferral(uint64_t id) const;
  // Newest first; tokens as for List.
  absl::StatusOr<ReferralPage> ListReferrals(const ReferralQuery& query, int page_size,
                                             absl::string_view page_token) const;

  // --- Records and the county report (accountability indexes, ticket_index.h). ---
  // The escalations charged to `subject` (`units/…` or `principals/…`) that
  // fired in `period`, the tickets it answers for closed in it, and the
  // referrals naming it made in it: a scan of each, never of all tickets.
  absl::StatusOr<RecordSources> RecordSourcesOf(absl::string_view subject,
                                                const Period& period) const;
  // The referrals naming `subject` (as the unit that answers, or as the
  // responsible principal) made in `period`, newest first.
  absl::StatusOr<std::vector<v1::Referral>> ReferralsOf(absl::string_view subject,
                                                       const Period& period) const;
  // Calls `visit` with the summary (ticket_index.h: no name, events or
  // history) of every ticket open during `period`: open now and created
  // before it ended, or closed or cancelled since it began.
  [[nodiscard]] absl::Status ForEachTicketOf(const Period& period,
                                             absl::FunctionRef<void(const v1::Ticket&)> visit) const;

  // --- Escalation. ---
  // Tickets whose next escalation time is at or before `as_of`, earliest
  // first, at most `limit`.
  absl::StatusOr<std::vector<uint64_t>> DueForEscalation(absl::Time as_of, int limit) const;
  // The earliest next escalation time of any ticket; InfiniteFuture if none.
  absl::StatusOr<absl::Time> NextEscalationTime() const;
  // Called after every write that leaves a ticket with an escalation
  // pending, with its time, while the ticket is still locked: the listener
  // must not write to the store. Set before concurrent use.
  void set_escalation_listener(std::function<void(absl::Time)> listener) {
    escalation_listener_ = std::move(listener);
  }

  // --- The audit log. ---
  // Events after `after` in commit order, at most `limit` (the log's
  // other records are skipped). `through`: the cursor read up to — the
  // last event returned when `limit` were, else the log's watermark — from
  // which the next read continues; empty only when nothing is left.
  absl::StatusOr<std::vector<LoggedEvent>> ReadLog(uint64_t after, int limit,
                                                   uint64_t* through = nullptr) const;
  AuditLog& log() { return database_->log(); }
  // When the newest event in the log happened (among the last 1,000 log
  // entries); InfinitePast for a store without events.
  absl::StatusOr<absl::Time> NewestEventTime() const;

 private:
  TicketStore(Database* database, uint64_t next_ticket_id, uint64_t next_referral_id)
      : database_(database),
        requests_(database->requests()),
        next_ticket_id_(next_ticket_id),
        next_referral_id_(next_referral_id) {}

  absl::StatusOr<v1::Ticket> Read(uint64_t id, const rocksdb::Snapshot* snapshot) const;
  absl::Status FillRollup(v1::Ticket& ticket, absl::Time as_of,
                          const rocksdb::Snapshot* snapshot) const;
  // Adds the change to `batch`: the index entries that differ from
  // `before` (null for a new ticket), the referrals and ledger entries, the
  // events — chained by hash — and the ticket with its history head.
  absl::Status Stage(AuditedBatch& batch, uint64_t id, const v1::Ticket* before,
                     TicketChange& change);
  void Notify(const v1::Ticket& ticket) const;

  Database* database_;
  // The database's one request log (Database::requests()), shared by every store.
  RequestLog& requests_;
  // One writer per ticket; first in the lock order (lock_table.h).
  LockTable ticket_locks_;
  std::atomic<uint64_t> next_ticket_id_;
  std::atomic<uint64_t> next_referral_id_;
  std::function<void(absl::Time)> escalation_listener_;
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_TICKET_STORE_H_
