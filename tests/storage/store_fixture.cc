#include "tests/storage/store_fixture.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "rocksdb/iterator.h"
#include "server/domain/time_convert.h"
#include "storage/keys.h"
#include "storage/ticket_index.h"

namespace duban::storage {

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Asia/Shanghai", &zone)) ADD_FAILURE() << "no Asia/Shanghai zone";
  return zone;
}

absl::Time TestStart() {
  return absl::FromCivil(absl::CivilSecond(2025, 3, 3, 9, 0, 0), Shanghai());
}

Caller Leader() {
  return Caller{
      .principal = "principals/leader", .unit = "units/county", .roles = {v1::ROLE_LEADER}};
}

Caller Inspector() {
  return Caller{
      .principal = "principals/inspector", .unit = "units/ducha", .roles = {v1::ROLE_INSPECTOR}};
}

Caller StaffOf(absl::string_view unit) {
  return Caller{.principal = absl::StrCat("principals/staff-", IdOf(unit, kUnitsPrefix)),
                .unit = std::string(unit),
                .roles = {v1::ROLE_UNIT_STAFF}};
}

uint64_t TicketId(const v1::Ticket& ticket) {
  absl::StatusOr<uint64_t> id = ParseTicketName(ticket.name(), "name");
  return id.ok() ? *id : 0;
}

std::map<std::string, std::string> Dump(const Database& database, Family family) {
  std::map<std::string, std::string> entries;
  std::unique_ptr<rocksdb::Iterator> it(
      database.db()->NewIterator(rocksdb::ReadOptions(), database.family(family)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    entries.emplace(it->key().ToString(), it->value().ToString());
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return entries;
}

::testing::AssertionResult StoreIsConsistent(const Database& database) {
  std::map<std::string, std::string> expected_index;
  std::map<uint64_t, v1::Ticket> tickets;
  for (const auto& [key, value] : Dump(database, Family::kTickets)) {
    if (key.size() != 8)
      return ::testing::AssertionFailure() << "ticket key of " << key.size() << " bytes";
    const uint64_t id = ReadBigEndian64(key);
    v1::Ticket ticket;
    if (absl::Status decoded = DecodeRecord(value, ticket); !decoded.ok()) {
      return ::testing::AssertionFailure() << "ticket " << id << ": " << decoded;
    }
    if (ticket.name() != TicketName(id)) {
      return ::testing::AssertionFailure() << "key " << id << " holds " << ticket.name();
    }
    if (ticket.has_rollup()) {
      return ::testing::AssertionFailure() << ticket.name() << " was stored with a roll-up";
    }
    for (IndexEntry& entry : TicketIndexEntries(id, ticket)) {
      expected_index.emplace(std::move(entry.key), std::move(entry.value));
    }
    tickets.emplace(id, std::move(ticket));
  }

  const std::map<std::string, std::string> index = Dump(database, Family::kTicketIndex);
  for (const auto& [key, value] : expected_index) {
    auto found = index.find(key);
    if (found == index.end()) {
      return ::testing::AssertionFailure()
             << "missing index entry tag '" << key[0] << "' of tickets/" << IndexKeyTicketId(key);
    }
    if (found->second != value) {
      return ::testing::AssertionFailure() << "index entry tag '" << key[0] << "' of tickets/"
                                           << IndexKeyTicketId(key) << " has a stale value";
    }
  }
  for (const auto& [key, value] : index) {
    if (!expected_index.contains(key)) {
      return ::testing::AssertionFailure() << "stale index entry tag '" << key[0] << "' of tickets/"
                                           << (key.size() >= 17 ? IndexKeyTicketId(key) : 0);
    }
  }

  std::map<uint64_t, std::vector<v1::TicketEvent>> events;
  for (const auto& [key, value] : Dump(database, Family::kEvents)) {
    if (key.size() != 16)
      return ::testing::AssertionFailure() << "event key of " << key.size() << " bytes";
    const uint64_t id = ReadBigEndian64(key, 0);
    const uint64_t sequence = ReadBigEndian64(key, 8);
    v1::TicketEvent event;
    if (absl::Status decoded = DecodeRecord(value, event); !decoded.ok()) {
      return ::testing::AssertionFailure() << "event " << id << "/" << sequence << ": " << decoded;
    }
    if (static_cast<uint64_t>(event.sequence()) != sequence || event.ticket() != TicketName(id)) {
      return ::testing::AssertionFailure()
             << "key " << id << "/" << sequence << " holds event " << event.name();
    }
    events[id].push_back(std::move(event));
  }
  for (const auto& [id, ticket_events] : events) {
    if (!tickets.contains(id)) {
      return ::testing::AssertionFailure() << "events of missing ticket tickets/" << id;
    }
  }
  for (const auto& [id, ticket] : tickets) {
    const std::vector<v1::TicketEvent>& history = events[id];
    const int64_t revision = Revision(ticket);
    if (static_cast<int64_t>(history.size()) != revision) {
      return ::testing::AssertionFailure() << ticket.name() << " at etag " << ticket.etag()
                                           << " has " << history.size() << " events";
    }
    for (size_t i = 0; i < history.size(); ++i) {
      if (history[i].sequence() != static_cast<int64_t>(i + 1)) {
        return ::testing::AssertionFailure()
               << ticket.name() << " event " << i << " has sequence " << history[i].sequence();
      }
    }
    if (history.back().etag() != ticket.etag() || history.back().to_stage() != ticket.stage()) {
      return ::testing::AssertionFailure()
             << ticket.name() << ": last event says etag " << history.back().etag() << " stage "
             << history.back().to_stage() << ", the ticket etag " << ticket.etag() << " stage "
             << ticket.stage();
    }
  }
  return ::testing::AssertionSuccess();
}

StoreFixture::StoreFixture()
    : path_(scratch_.path() + "/db"), calendar_(Shanghai()), now_(TestStart()) {}

StoreFixture::~StoreFixture() { CloseStores(); }

void StoreFixture::OpenStores() {
  absl::StatusOr<std::unique_ptr<Database>> database =
      Database::Open({.path = path_, .block_cache_bytes = 1 << 20});
  ASSERT_TRUE(database.ok()) << database.status();
  database_ = *std::move(database);
  absl::StatusOr<std::unique_ptr<TicketStore>> tickets = TicketStore::Open(database_.get());
  ASSERT_TRUE(tickets.ok()) << tickets.status();
  tickets_ = *std::move(tickets);
  absl::StatusOr<std::unique_ptr<DirectoryStore>> directory = DirectoryStore::Open(database_.get());
  ASSERT_TRUE(directory.ok()) << directory.status();
  directory_ = *std::move(directory);
}

void StoreFixture::CloseStores() {
  directory_.reset();
  tickets_.reset();
  database_.reset();
}

LoopContext StoreFixture::ContextFor(const Caller& caller) const {
  return LoopContext{
      .caller = caller, .now = now_, .calendar = &calendar_, .clocks = clocks_, .units = &units_};
}

v1::CreateTicketRequest StoreFixture::CreateRequest(const TicketSpec& spec) const {
  v1::CreateTicketRequest request;
  v1::Ticket& ticket = *request.mutable_ticket();
  ticket.set_kind(spec.kind);
  ticket.set_title(spec.title);
  ticket.set_lead_unit(spec.lead);
  for (const std::string& unit : spec.cooperating) ticket.add_cooperating_units(unit);
  ticket.set_severity(spec.severity);
  if (spec.kind == v1::TICKET_KIND_FINDING && spec.severity == v1::SEVERITY_UNSPECIFIED) {
    ticket.set_severity(v1::SEVERITY_NORMAL);
  }
  ticket.set_indicator(spec.indicator);
  ticket.set_location(spec.location);
  ticket.set_parent(spec.parent);
  ticket.set_requires_inspection(spec.requires_inspection);
  if (spec.kind == v1::TICKET_KIND_TASK) {
    *ticket.mutable_due_time() = ToTimestamp(now_ + absl::Hours(24) * spec.due_days);
  }
  return request;
}

absl::StatusOr<v1::Ticket> StoreFixture::CreateTicket(const TicketSpec& spec,
                                                      const RequestKey& key) {
  const v1::CreateTicketRequest request = CreateRequest(spec);
  LoopContext context = ContextFor(spec.kind == v1::TICKET_KIND_FINDING ? Inspector() : Leader());
  context.clocks.sign_for_days = spec.stage_days;
  context.clocks.plan_days = spec.stage_days;
  std::optional<v1::Ticket> parent;
  if (!spec.parent.empty()) {
    absl::StatusOr<uint64_t> parent_id = ParseTicketName(spec.parent, "ticket.parent");
    if (!parent_id.ok()) return parent_id.status();
    absl::StatusOr<v1::Ticket> found = tickets_->Get(*parent_id);
    if (!found.ok()) return found.status();
    parent = *std::move(found);
  }
  return tickets_->Create(key, now_, [&](uint64_t id) {
    return NewTicket(id, request, parent ? &*parent : nullptr, context);
  });
}

namespace {

// The caller acting for the lead unit of ticket `id`.
absl::StatusOr<Caller> LeadStaff(const TicketStore& tickets, uint64_t id) {
  absl::StatusOr<v1::Ticket> ticket = tickets.Get(id);
  if (!ticket.ok()) return ticket.status();
  return StaffOf(ticket->lead_unit());
}

}  // namespace

absl::StatusOr<v1::Ticket> StoreFixture::Sign(uint64_t id) {
  absl::StatusOr<Caller> staff = LeadStaff(*tickets_, id);
  if (!staff.ok()) return staff.status();
  return Step(id, *staff, v1::SignTicketRequest());
}

absl::StatusOr<v1::Ticket> StoreFixture::Report(uint64_t id, const std::string& comment) {
  absl::StatusOr<Caller> staff = LeadStaff(*tickets_, id);
  if (!staff.ok()) return staff.status();
  v1::ReportTicketProgressRequest request;
  request.set_comment(comment);
  request.set_progress_percent(50);
  return Step(id, *staff, request);
}

absl::StatusOr<v1::Ticket> StoreFixture::Submit(uint64_t id) {
  absl::StatusOr<Caller> staff = LeadStaff(*tickets_, id);
  if (!staff.ok()) return staff.status();
  v1::SubmitTicketRequest request;
  request.set_comment("done");
  return Step(id, *staff, request);
}

absl::StatusOr<v1::Ticket> StoreFixture::Review(uint64_t id, bool accept) {
  v1::ReviewTicketRequest request;
  request.set_verdict(accept ? v1::REVIEW_VERDICT_ACCEPT : v1::REVIEW_VERDICT_REJECT);
  if (!accept) request.set_findings("not good enough");
  return Step(id, Inspector(), request);
}

absl::StatusOr<v1::Ticket> StoreFixture::FilePlan(uint64_t id) {
  absl::StatusOr<Caller> staff = LeadStaff(*tickets_, id);
  if (!staff.ok()) return staff.status();
  v1::FileRectificationPlanRequest request;
  request.set_plan("we will fix it");
  return Step(id, *staff, request);
}

absl::StatusOr<v1::Ticket> StoreFixture::Cancel(uint64_t id) {
  absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
  if (!ticket.ok()) return ticket.status();
  v1::CancelTicketRequest request;
  request.set_reason("no longer needed");
  return Step(id, ticket->issuer() == Inspector().principal ? Inspector() : Leader(), request);
}

std::vector<v1::TicketEvent> StoreFixture::AllEvents(uint64_t id, int page_size) {
  std::vector<v1::TicketEvent> events;
  std::string token;
  for (int page = 0; page < 10000; ++page) {
    absl::StatusOr<EventPage> listed = tickets_->ListEvents(id, page_size, token);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) break;
    for (v1::TicketEvent& event : listed->events) events.push_back(std::move(event));
    token = listed->next_page_token;
    if (token.empty()) return events;
  }
  ADD_FAILURE() << "ListEvents of tickets/" << id << " never ran out of pages";
  return events;
}

}  // namespace duban::storage
