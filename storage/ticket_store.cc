#include "storage/ticket_store.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/resource_names.h"
#include "domain/rollup.h"
#include "rocksdb/iterator.h"
#include "storage/big_endian.h"
#include "storage/ledger_keys.h"
#include "storage/paged_scan.h"
#include "storage/prefix_scan.h"
#include "storage/record.h"
#include "storage/referral_keys.h"
#include "storage/ticket_index.h"
#include "storage/ticket_keys.h"

namespace duban::storage {
namespace {

// Releases a snapshot when it goes out of scope.
class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}
  ~ScopedSnapshot() { db_->ReleaseSnapshot(snapshot_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

// Checks that the domain produced a consistent change of ticket `id` from
// `revision`: a bug there must not reach the disk.
absl::Status CheckChange(uint64_t id, int64_t revision, const TicketChange& change) {
  bool ok = change.ticket.name() == TicketName(id);
  int64_t expected = revision;
  for (const v1::TicketEvent& event : change.events) {
    ok = ok && event.ticket() == change.ticket.name() && event.sequence() == ++expected;
  }
  ok = ok && Revision(change.ticket) == expected;
  if (!ok) {
    return absl::InternalError(
        absl::StrCat("inconsistent change of ", TicketName(id), " from revision ", revision));
  }
  return absl::OkStatus();
}

// Stages what turns index entries `before` into `after`: entries already
// there as they should be are left alone (most changes move only a few).
void StageIndexChanges(AuditedBatch& batch, rocksdb::ColumnFamilyHandle* index,
                       const std::vector<IndexEntry>& before, const std::vector<IndexEntry>& after) {
  const auto find = [](const std::vector<IndexEntry>& entries, const std::string& key) {
    return std::find_if(entries.begin(), entries.end(),
                        [&](const IndexEntry& entry) { return entry.key == key; });
  };
  for (const IndexEntry& entry : before) {
    if (find(after, entry.key) == after.end()) batch.Delete(index, entry.key);
  }
  for (const IndexEntry& entry : after) {
    const auto stored = find(before, entry.key);
    if (stored == before.end() || stored->value != entry.value) {
      batch.Put(index, entry.key, entry.value);
    }
  }
}

// Whether `change` is anything to write: events, or a ticket that differs.
bool Changes(const v1::Ticket& current, const TicketChange& change) {
  return !change.events.empty() ||
         change.ticket.SerializeAsString() != current.SerializeAsString();
}

// The highest id under `prefix` in `family` whose keys end with an 8-byte
// big-endian id, plus one; 1 when there is none.
absl::StatusOr<uint64_t> NextId(Database* database, Family family, absl::string_view prefix) {
  PrefixScan scan(*database, family, std::string(prefix));
  scan.SeekToLast();
  RETURN_IF_ERROR(scan.status());
  if (!scan.Valid()) return 1;
  if (scan.key().size() != prefix.size() + 8) return absl::DataLossError("malformed id key");
  return ReadBigEndian64(scan.key(), prefix.size()) + 1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TicketStore>> TicketStore::Open(Database* database) {
  ASSIGN_OR_RETURN(uint64_t next_ticket_id, NextId(database, Family::kTickets, ""));
  ASSIGN_OR_RETURN(uint64_t next_referral_id, NextId(database, Family::kReferrals, "r"));
  return std::unique_ptr<TicketStore>(new TicketStore(database, next_ticket_id, next_referral_id));
}

absl::StatusOr<v1::Ticket> TicketStore::Read(uint64_t id, const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions options;
  options.snapshot = snapshot;
  std::string value;
  rocksdb::Status status =
      database_->db()->Get(options, database_->family(Family::kTickets), TicketKey(id), &value);
  if (status.IsNotFound()) {
    return ErrorWithReason(absl::StatusCode::kNotFound, "TICKET_NOT_FOUND",
                           absl::StrCat("no ticket ", TicketName(id)),
                           {{"ticket", TicketName(id)}});
  }
  RETURN_IF_ERROR(FromRocks(status, "read ticket"));
  v1::Ticket ticket;
  RETURN_IF_ERROR(DecodeRecord(value, ticket));
  return ticket;
}

absl::Status TicketStore::FillRollup(v1::Ticket& ticket, absl::Time as_of,
                                     const rocksdb::Snapshot* snapshot) const {
  const std::string prefix = ChildrenPrefix(ticket.name());
  PrefixScan scan(*database_, Family::kTicketIndex, prefix, snapshot);
  std::vector<v1::Ticket> children;
  for (scan.Seek(); scan.Valid(); scan.Next()) {
    RETURN_IF_ERROR(DecodeRecord(scan.value(), children.emplace_back()));
  }
  RETURN_IF_ERROR(scan.status());
  if (!children.empty()) *ticket.mutable_rollup() = RollUp(children, as_of);
  return absl::OkStatus();
}

absl::StatusOr<v1::Ticket> TicketStore::Get(uint64_t id, absl::Time as_of) const {
  ScopedSnapshot snapshot(database_->db());
  ASSIGN_OR_RETURN(v1::Ticket ticket, Read(id, snapshot.get()));
  RETURN_IF_ERROR(FillRollup(ticket, as_of, snapshot.get()));
  return ticket;
}

absl::StatusOr<TicketPage> TicketStore::List(const TicketQuery& query, int page_size,
                                             absl::string_view page_token, int scan_budget) const {
  const std::string prefix = IndexPrefixFor(query);
  const std::string scope = absl::StrCat(prefix, "\n", query.Canonical());
  // Past the microsecond of as_of nothing is overdue; within it, Matches
  // decides (as_of may carry nanoseconds). Index keys are prefix | due | id,
  // so the entries due after it are those from prefix | due + 1 on.
  std::string overdue_end;
  if (const uint64_t overdue_limit = DueOrder(query.as_of);
      query.overdue && overdue_limit != kNoDue) {
    overdue_end = prefix;
    AppendBigEndian64(overdue_end, overdue_limit + 1);
  }
  ScopedSnapshot snapshot(database_->db());
  PrefixScan scan(*database_, Family::kTicketIndex, prefix, snapshot.get());
  std::vector<uint64_t> ids;
  TicketPage page;
  ASSIGN_OR_RETURN(
      page.next_page_token,
      ScanPage(scan,
               {.scope = scope,
                .page_size = page_size,
                .page_token = page_token,
                .end = overdue_end,
                .scan_budget = scan_budget},
               [&](absl::string_view key, absl::string_view value) -> absl::StatusOr<bool> {
                 v1::Ticket summary;
                 RETURN_IF_ERROR(DecodeRecord(value, summary));
                 if (!query.Matches(summary)) return false;
                 ids.push_back(IndexKeyTicketId(key));
                 return true;
               }));

  page.tickets.reserve(ids.size());
  for (uint64_t id : ids) {
    ASSIGN_OR_RETURN(v1::Ticket ticket, Read(id, snapshot.get()));
    RETURN_IF_ERROR(FillRollup(ticket, query.as_of, snapshot.get()));
    page.tickets.push_back(std::move(ticket));
  }
  return page;
}

absl::StatusOr<EventPage> TicketStore::ListEvents(uint64_t id, int page_size,
                                                  absl::string_view page_token) const {
  const std::string scope = absl::StrCat("events/", id);
  PrefixScan scan(*database_, Family::kEvents, EventPrefix(id));
  EventPage page;
  ASSIGN_OR_RETURN(
      page.next_page_token,
      ScanPage(scan,
               {.scope = scope,
                .page_size = page_size,
                .page_token = page_token,
                .token_key = TokenKey::kNextKey},
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 RETURN_IF_ERROR(DecodeRecord(value, page.events.emplace_back()));
                 return true;
               }));
  return page;
}

absl::Status TicketStore::Stage(AuditedBatch& batch, uint64_t id, const v1::Ticket* before,
                                TicketChange& change) {
  // The ticket's history as a chain: each event names the SHA-256 of the
  // stored bytes of the one before it, and the ticket the last one's.
  std::string previous = before != nullptr ? before->history_head_sha256() : "";
  std::vector<std::string> events;
  for (v1::TicketEvent& event : change.events) {
    event.set_prev_event_sha256(previous);
    events.push_back(EncodeRecord(event));
    previous = Sha256Hex(events.back());
  }
  change.ticket.set_history_head_sha256(previous);

  StageIndexChanges(batch, database_->family(Family::kTicketIndex),
                    before != nullptr ? TicketIndexEntries(id, *before) : std::vector<IndexEntry>(),
                    TicketIndexEntries(id, change.ticket));
  rocksdb::ColumnFamilyHandle* referrals = database_->family(Family::kReferrals);
  for (const v1::Referral& referral : change.referrals) {
    ASSIGN_OR_RETURN(uint64_t referral_id, ParseReferralName(referral.name(), "referral.name"));
    absl::StatusOr<v1::Referral> stored = GetReferral(referral_id);
    if (!stored.ok() && !absl::IsNotFound(stored.status())) return stored.status();
    if (referral.ticket() != change.ticket.name()) {
      return absl::InternalError("a change may only touch its own ticket's referrals");
    }
    StageReferral(batch, referrals, stored.ok() ? &*stored : nullptr, referral);
  }
  rocksdb::ColumnFamilyHandle* ledger = database_->family(Family::kLedger);
  for (const v1::LedgerEntry& entry : change.ledger_entries) {
    if (entry.source_ticket() != change.ticket.name()) {
      return absl::InternalError("a rule's ledger entry must trace back to its ticket");
    }
    StageLedgerEntry(batch, ledger, entry);
  }
  for (size_t i = 0; i < events.size(); ++i) {
    batch.PutRecord(AuditKind::kTicketEvent, database_->family(Family::kEvents),
                    EventKey(id, change.events[i].sequence()), events[i]);
  }
  batch.PutRecord(AuditKind::kTicket, database_->family(Family::kTickets), TicketKey(id),
                  EncodeRecord(change.ticket));
  return absl::OkStatus();
}

void TicketStore::Notify(const v1::Ticket& ticket) const {
  if (escalation_listener_ && IsSet(ticket.next_escalation_time())) {
    escalation_listener_(FromTimestamp(ticket.next_escalation_time()));
  }
}

absl::StatusOr<v1::Ticket> TicketStore::Create(const RequestKey& request, absl::Time now,
                                               BuildFn build) {
  std::vector<PendingCreate> creates(1);
  creates[0].request = request;
  creates[0].build = [&](uint64_t id, const v1::Ticket*) { return build(id); };
  return std::move(CreateEach(creates, now).front());
}

std::vector<absl::StatusOr<v1::Ticket>> TicketStore::CreateEach(
    const std::vector<PendingCreate>& creates, absl::Time now) {
  std::vector<RequestKey> keys;
  keys.reserve(creates.size());
  std::vector<uint64_t> parents;
  for (const PendingCreate& create : creates) {
    keys.push_back(create.request);
    if (create.parent != 0) parents.push_back(create.parent);
  }
  // Lock order: ticket stripes (the parents'), then request stripes.
  std::sort(parents.begin(), parents.end());
  parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
  const std::vector<std::unique_lock<std::mutex>> parent_locks = ticket_locks_.LockAll(parents);
  // The tickets this write creates, kept so their replies need no parse.
  std::vector<std::optional<v1::Ticket>> written(creates.size());
  std::vector<absl::StatusOr<std::string>> replies = requests_.RunEach(
      keys, now, [&](size_t i, AuditedBatch& batch) -> absl::StatusOr<std::string> {
        std::optional<v1::Ticket> parent;
        if (creates[i].parent != 0) {
          absl::StatusOr<v1::Ticket> read = Read(creates[i].parent, nullptr);
          if (read.ok()) {
            parent = *std::move(read);
          } else if (!absl::IsNotFound(read.status())) {
            return read.status();
          }
        }
        const uint64_t id = next_ticket_id_.fetch_add(1);
        ASSIGN_OR_RETURN(TicketChange change, creates[i].build(id, parent ? &*parent : nullptr));
        RETURN_IF_ERROR(CheckChange(id, 0, change));
        if (change.events.empty()) return absl::InternalError("a new ticket needs an event");
        RETURN_IF_ERROR(Stage(batch, id, nullptr, change));
        std::string reply = change.ticket.SerializeAsString();
        written[i] = std::move(change.ticket);
        return reply;
      });
  std::vector<absl::StatusOr<v1::Ticket>> tickets;
  tickets.reserve(creates.size());
  for (size_t i = 0; i < creates.size(); ++i) {
    if (!replies[i].ok()) {
      tickets.push_back(replies[i].status());
      continue;
    }
    if (written[i]) {
      Notify(*written[i]);
      tickets.push_back(*std::move(written[i]));
      continue;
    }
    v1::Ticket ticket;
    if (!ticket.ParseFromString(*replies[i])) {
      tickets.push_back(absl::DataLossError("stored reply does not parse"));
      continue;
    }
    tickets.push_back(std::move(ticket));
  }
  return tickets;
}

absl::StatusOr<std::string> TicketStore::CreateMany(const RequestKey& request, absl::Time now,
                                                    int count, BuildManyFn build) {
  std::vector<v1::Ticket> written;
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        std::vector<uint64_t> ids;
        for (int i = 0; i < count; ++i) ids.push_back(next_ticket_id_.fetch_add(1));
        std::vector<TicketChange> changes;
        ASSIGN_OR_RETURN(std::string answer, build(ids, batch, changes));
        if (changes.size() != ids.size()) return absl::InternalError("one change per new ticket");
        for (size_t i = 0; i < ids.size(); ++i) {
          RETURN_IF_ERROR(CheckChange(ids[i], 0, changes[i]));
          if (changes[i].events.empty()) return absl::InternalError("a new ticket needs an event");
          RETURN_IF_ERROR(Stage(batch, ids[i], nullptr, changes[i]));
          written.push_back(changes[i].ticket);
        }
        return answer;
      }));
  for (const v1::Ticket& ticket : written) Notify(ticket);
  return reply;
}

absl::StatusOr<v1::Ticket> TicketStore::Update(uint64_t id, const RequestKey& request,
                                               absl::Time now, MutateFn mutate) {
  ASSIGN_OR_RETURN(std::string reply,
                   UpdateWithReply(id, request, now, mutate, [](const TicketChange& change) {
                     return change.ticket.SerializeAsString();
                   }));
  v1::Ticket ticket;
  if (!ticket.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return ticket;
}

absl::StatusOr<std::string> TicketStore::UpdateWithReply(
    uint64_t id, const RequestKey& request, absl::Time now, MutateFn mutate,
    absl::FunctionRef<std::string(const TicketChange&)> reply) {
  std::unique_lock<std::mutex> lock = ticket_locks_.Lock(id);
  std::optional<v1::Ticket> written;
  ASSIGN_OR_RETURN(
      std::string answer,
      requests_.Run(request, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(v1::Ticket current, Read(id, nullptr));
        ASSIGN_OR_RETURN(TicketChange change, mutate(current));
        RETURN_IF_ERROR(CheckChange(id, Revision(current), change));
        if (Changes(current, change)) {
          RETURN_IF_ERROR(Stage(batch, id, &current, change));
          written = change.ticket;
        }
        return reply(change);
      }));
  if (written) Notify(*written);
  return answer;
}

absl::StatusOr<std::vector<std::optional<TicketChange>>> TicketStore::UpdateMany(
    const std::vector<uint64_t>& ids, absl::Time now, const WriteOptions& write_options,
    MutateFn mutate) {
  if (absl::flat_hash_set<uint64_t>(ids.begin(), ids.end()).size() != ids.size()) {
    return absl::InternalError("UpdateMany was given a ticket twice");
  }
  std::vector<std::unique_lock<std::mutex>> locks = ticket_locks_.LockAll(ids);
  std::vector<std::optional<TicketChange>> changes(ids.size());
  RETURN_IF_ERROR(
      requests_
          .Run(RequestKey{.deadline = write_options.deadline}, now,
               [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
                 for (size_t i = 0; i < ids.size(); ++i) {
                   absl::StatusOr<v1::Ticket> current = Read(ids[i], nullptr);
                   if (absl::IsNotFound(current.status())) continue;
                   RETURN_IF_ERROR(current.status());
                   ASSIGN_OR_RETURN(TicketChange change, mutate(*current));
                   RETURN_IF_ERROR(CheckChange(ids[i], Revision(*current), change));
                   if (!Changes(*current, change)) continue;
                   RETURN_IF_ERROR(Stage(batch, ids[i], &*current, change));
                   changes[i] = std::move(change);
                 }
                 return std::string();
               })
          .status());
  for (const std::optional<TicketChange>& change : changes) {
    if (change) Notify(change->ticket);
  }
  return changes;
}

std::vector<std::vector<size_t>> TicketStore::SplitByLock(const std::vector<uint64_t>& ids,
                                                          size_t parts) {
  std::vector<std::vector<size_t>> split(std::max<size_t>(parts, 1));
  for (size_t i = 0; i < ids.size(); ++i) {
    split[LockTable::StripeOf(ids[i]) % split.size()].push_back(i);
  }
  return split;
}

absl::Status TicketStore::UpdateOpenTickets(absl::Time now, MutateFn mutate) {
  std::vector<uint64_t> open;
  {
    // Tickets with a stage clock sort before those without (kNoDue).
    PrefixScan scan(*database_, Family::kTicketIndex, IndexPrefixFor(TicketQuery()));
    for (scan.Seek(); scan.Valid(); scan.Next()) {
      if (IndexKeyDue(scan.key()) == kNoDue) break;
      open.push_back(IndexKeyTicketId(scan.key()));
    }
    RETURN_IF_ERROR(scan.status());
  }
  const auto no_events = [&](const v1::Ticket& t) -> absl::StatusOr<TicketChange> {
    ASSIGN_OR_RETURN(TicketChange change, mutate(t));
    if (!change.events.empty()) {
      return absl::InternalError("UpdateOpenTickets changes may not add events");
    }
    return change;
  };
  for (size_t first = 0; first < open.size(); first += kTicketsPerWrite) {
    const std::vector<uint64_t> some(open.begin() + first,
                                     open.begin() + std::min(open.size(), first + kTicketsPerWrite));
    RETURN_IF_ERROR(UpdateMany(some, now, WriteOptions{}, no_events).status());
  }
  return absl::OkStatus();
}

absl::Status TicketStore::ForEach(const TicketQuery& query,
                                  absl::FunctionRef<void(const v1::Ticket&)> visit) const {
  std::string token;
  do {
    ASSIGN_OR_RETURN(TicketPage page, List(query, 500, token));
    for (const v1::Ticket& ticket : page.tickets) visit(ticket);
    token = page.next_page_token;
  } while (!token.empty());
  return absl::OkStatus();
}

}  // namespace duban::storage
