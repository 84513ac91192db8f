#include "storage/ticket_store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/iterator.h"
#include "server/domain/errors.h"
#include "server/domain/resource_names.h"
#include "server/domain/status_macros.h"
#include "storage/keys.h"
#include "storage/page_token.h"
#include "storage/ticket_index.h"

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

// Checks that the domain produced a consistent change for ticket `id` at
// `revision`: a bug there must not reach the disk.
absl::Status CheckChange(uint64_t id, int64_t revision, const TicketChange& change) {
  if (change.ticket.name() != TicketName(id) || change.event.ticket() != change.ticket.name() ||
      change.event.sequence() != revision || Revision(change.ticket) != revision) {
    return absl::InternalError(
        absl::StrCat("inconsistent change of ", TicketName(id), " at revision ", revision));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<TicketStore>> TicketStore::Open(Database* database) {
  std::unique_ptr<rocksdb::Iterator> it(
      database->db()->NewIterator(rocksdb::ReadOptions(), database->family(Family::kTickets)));
  it->SeekToLast();
  RETURN_IF_ERROR(FromRocks(it->status(), "scan tickets"));
  uint64_t next_id = 1;
  if (it->Valid()) {
    if (it->key().size() != 8) return absl::DataLossError("malformed ticket key");
    next_id = ReadBigEndian64(absl::string_view(it->key().data(), 8)) + 1;
  }
  return std::unique_ptr<TicketStore>(new TicketStore(database, next_id));
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

absl::Status TicketStore::FillRollup(v1::Ticket& ticket, const rocksdb::Snapshot* snapshot) const {
  const std::string prefix = ChildrenPrefix(ticket.name());
  const std::string limit = PrefixSuccessor(prefix);
  rocksdb::Slice upper(limit);
  rocksdb::ReadOptions options;
  options.snapshot = snapshot;
  options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(options, database_->family(Family::kTicketIndex)));
  int counts[v1::Stage_ARRAYSIZE] = {};
  int total = 0;
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    v1::Ticket summary;
    RETURN_IF_ERROR(
        DecodeRecord(absl::string_view(it->value().data(), it->value().size()), summary));
    ++counts[summary.stage()];
    ++total;
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "scan sub-tickets"));
  if (total == 0) return absl::OkStatus();
  v1::Rollup* rollup = ticket.mutable_rollup();
  rollup->set_total(total);
  for (int stage = 0; stage < v1::Stage_ARRAYSIZE; ++stage) {
    if (counts[stage] == 0) continue;
    v1::StageCount* count = rollup->add_by_stage();
    count->set_stage(static_cast<v1::Stage>(stage));
    count->set_count(counts[stage]);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Ticket> TicketStore::Get(uint64_t id) const {
  ScopedSnapshot snapshot(database_->db());
  ASSIGN_OR_RETURN(v1::Ticket ticket, Read(id, snapshot.get()));
  RETURN_IF_ERROR(FillRollup(ticket, snapshot.get()));
  return ticket;
}

absl::StatusOr<TicketPage> TicketStore::List(const TicketQuery& query, int page_size,
                                             absl::string_view page_token, int scan_budget) const {
  const std::string prefix = IndexPrefixFor(query);
  const std::string scope = absl::StrCat(prefix, "\n", query.Canonical());
  std::string start = prefix;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(start, DecodePageToken(page_token, scope));
    if (!absl::StartsWith(start, prefix)) {
      return InvalidField("page_token", "belongs to a different query; start again without it");
    }
  }
  const std::string limit = PrefixSuccessor(prefix);
  rocksdb::Slice upper(limit);
  ScopedSnapshot snapshot(database_->db());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.get();
  options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(options, database_->family(Family::kTicketIndex)));

  const uint64_t overdue_limit = DueOrder(query.as_of);
  std::vector<uint64_t> ids;
  TicketPage page;
  int scanned = 0;
  std::string last_examined;
  it->Seek(start);
  if (!page_token.empty() && it->Valid() && it->key() == rocksdb::Slice(start)) it->Next();
  for (; it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    // Past the microsecond of as_of nothing is overdue; within it, Matches
    // decides (as_of may carry nanoseconds).
    if (query.overdue && IndexKeyDue(key) > overdue_limit) break;
    if (static_cast<int>(ids.size()) == page_size || scanned == scan_budget) {
      // More entries follow: the next page resumes after the last one examined.
      page.next_page_token = EncodePageToken(scope, last_examined);
      break;
    }
    ++scanned;
    last_examined.assign(key.data(), key.size());
    v1::Ticket summary;
    RETURN_IF_ERROR(
        DecodeRecord(absl::string_view(it->value().data(), it->value().size()), summary));
    if (query.Matches(summary)) ids.push_back(IndexKeyTicketId(key));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "scan ticket index"));

  page.tickets.reserve(ids.size());
  for (uint64_t id : ids) {
    ASSIGN_OR_RETURN(v1::Ticket ticket, Read(id, snapshot.get()));
    RETURN_IF_ERROR(FillRollup(ticket, snapshot.get()));
    page.tickets.push_back(std::move(ticket));
  }
  return page;
}

absl::StatusOr<EventPage> TicketStore::ListEvents(uint64_t id, int page_size,
                                                  absl::string_view page_token) const {
  const std::string prefix = EventPrefix(id);
  const std::string scope = absl::StrCat("events/", id);
  std::string start = EventKey(id, 1);
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(start, DecodePageToken(page_token, scope));
  }
  const std::string limit = PrefixSuccessor(prefix);
  rocksdb::Slice upper(limit);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(options, database_->family(Family::kEvents)));
  EventPage page;
  for (it->Seek(start); it->Valid(); it->Next()) {
    if (static_cast<int>(page.events.size()) == page_size) {
      page.next_page_token =
          EncodePageToken(scope, absl::string_view(it->key().data(), it->key().size()));
      break;
    }
    v1::TicketEvent event;
    RETURN_IF_ERROR(DecodeRecord(absl::string_view(it->value().data(), it->value().size()), event));
    page.events.push_back(std::move(event));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "scan events"));
  return page;
}

void TicketStore::Stage(rocksdb::WriteBatch& batch, uint64_t id, const v1::Ticket* before,
                        const TicketChange& change) const {
  rocksdb::ColumnFamilyHandle* index = database_->family(Family::kTicketIndex);
  if (before != nullptr) {
    for (const IndexEntry& entry : TicketIndexEntries(id, *before)) batch.Delete(index, entry.key);
  }
  for (const IndexEntry& entry : TicketIndexEntries(id, change.ticket)) {
    batch.Put(index, entry.key, entry.value);
  }
  batch.Put(database_->family(Family::kTickets), TicketKey(id), EncodeRecord(change.ticket));
  batch.Put(database_->family(Family::kEvents), EventKey(id, change.event.sequence()),
            EncodeRecord(change.event));
}

absl::StatusOr<v1::Ticket> TicketStore::Create(const RequestKey& request, absl::Time now,
                                               BuildFn build) {
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](rocksdb::WriteBatch& batch) -> absl::StatusOr<std::string> {
        const uint64_t id = next_ticket_id_.fetch_add(1);
        ASSIGN_OR_RETURN(TicketChange change, build(id));
        RETURN_IF_ERROR(CheckChange(id, 1, change));
        Stage(batch, id, nullptr, change);
        return change.ticket.SerializeAsString();
      }));
  v1::Ticket ticket;
  if (!ticket.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return ticket;
}

absl::StatusOr<v1::Ticket> TicketStore::Update(uint64_t id, const RequestKey& request,
                                               absl::Time now, MutateFn mutate) {
  std::unique_lock<std::mutex> lock = ticket_locks_.Lock(id);
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](rocksdb::WriteBatch& batch) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(v1::Ticket current, Read(id, nullptr));
        ASSIGN_OR_RETURN(TicketChange change, mutate(current));
        RETURN_IF_ERROR(CheckChange(id, Revision(current) + 1, change));
        Stage(batch, id, &current, change);
        return change.ticket.SerializeAsString();
      }));
  v1::Ticket ticket;
  if (!ticket.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return ticket;
}

}  // namespace duban::storage
