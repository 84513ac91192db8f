#include "tests/storage/store_fixture.h"

#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/iterator.h"
#include "server/domain/escalation_ladder.h"
#include "server/domain/escalation_policy.h"
#include "server/domain/ledger.h"
#include "server/domain/referrals.h"
#include "server/domain/time_convert.h"
#include "storage/audit_verifier.h"
#include "storage/event_log.h"
#include "storage/keys.h"
#include "storage/ledger_keys.h"
#include "storage/referral_keys.h"
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

Caller Scheduler() {
  return Caller{.principal = "duband/scheduler", .unit = "", .roles = {v1::ROLE_ESCALATOR}};
}

Caller Discipline() {
  return Caller{
      .principal = "principals/jiwei", .unit = "units/jiwei", .roles = {v1::ROLE_DISCIPLINE}};
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

namespace {

// One escalation entry per ticket with a next escalation time, at that
// time; none for the others. (The generic index check compares with
// TicketIndexEntries; this one states the rule without it.)
::testing::AssertionResult EscalationIndexIsConsistent(
    const std::map<uint64_t, v1::Ticket>& tickets,
    const std::map<std::string, std::string>& index) {
  std::map<uint64_t, std::vector<uint64_t>> entries;  // ticket id → due of each 'e' entry
  const std::string prefix = EscalationPrefix();
  for (auto it = index.lower_bound(prefix); it != index.end() && it->first[0] == prefix[0]; ++it) {
    if (it->first.size() != 17) {
      return ::testing::AssertionFailure()
             << "escalation entry of " << it->first.size() << " bytes";
    }
    entries[IndexKeyTicketId(it->first)].push_back(IndexKeyDue(it->first));
  }
  for (const auto& [id, ticket] : tickets) {
    const std::vector<uint64_t>& dues = entries[id];
    const bool pending = IsSet(ticket.next_escalation_time());
    if (pending && IsTerminal(ticket.stage())) {
      return ::testing::AssertionFailure()
             << ticket.name() << " is " << v1::Stage_Name(ticket.stage())
             << " yet has an escalation pending";
    }
    if (dues.size() != (pending ? 1u : 0u)) {
      return ::testing::AssertionFailure()
             << ticket.name() << " has " << dues.size() << " escalation entries, next time "
             << (pending ? "set" : "unset");
    }
    if (pending && dues[0] != DueOrder(FromTimestamp(ticket.next_escalation_time()))) {
      return ::testing::AssertionFailure()
             << ticket.name() << "'s escalation entry is not at its next_escalation_time";
    }
  }
  for (const auto& [id, dues] : entries) {
    if (!dues.empty() && !tickets.contains(id)) {
      return ::testing::AssertionFailure() << "escalation entry of missing tickets/" << id;
    }
  }
  return ::testing::AssertionSuccess();
}

// Every event has exactly one log entry and every log entry one event; a
// ticket's events are logged in sequence order.
::testing::AssertionResult LogIsConsistent(
    const Database& database, const std::map<uint64_t, std::vector<v1::TicketEvent>>& events) {
  std::map<std::pair<uint64_t, int64_t>, uint64_t> cursor_of;
  for (const auto& [key, value] : Dump(database, Family::kLog)) {
    if (key.size() != 8) {
      return ::testing::AssertionFailure() << "log key of " << key.size() << " bytes";
    }
    const uint64_t cursor = ReadBigEndian64(key);
    absl::StatusOr<LogEntry> entry = DecodeLogEntry(cursor, value);
    if (!entry.ok()) return ::testing::AssertionFailure() << entry.status();
    if (cursor == 0) return ::testing::AssertionFailure() << "log entry at cursor 0";
    if (entry->kind != AuditKind::kTicketEvent) continue;
    const uint64_t id = ReadBigEndian64(entry->key, 0);
    const auto sequence = static_cast<int64_t>(ReadBigEndian64(entry->key, 8));
    auto history = events.find(id);
    if (history == events.end() || sequence < 1 ||
        sequence > static_cast<int64_t>(history->second.size())) {
      return ::testing::AssertionFailure()
             << "log cursor " << cursor << " points at missing event tickets/" << id << "/events/"
             << sequence;
    }
    auto [at, inserted] = cursor_of.emplace(std::make_pair(id, sequence), cursor);
    if (!inserted) {
      return ::testing::AssertionFailure()
             << "tickets/" << id << "/events/" << sequence << " is logged at cursors " << at->second
             << " and " << cursor;
    }
  }
  for (const auto& [id, history] : events) {
    uint64_t previous = 0;
    for (const v1::TicketEvent& event : history) {
      auto found = cursor_of.find({id, event.sequence()});
      if (found == cursor_of.end()) {
        return ::testing::AssertionFailure() << event.name() << " is not in the log";
      }
      if (found->second <= previous) {
        return ::testing::AssertionFailure()
               << event.name() << " is logged at cursor " << found->second
               << ", not after the event before it (" << previous << ")";
      }
      previous = found->second;
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult ReferralsAreConsistent(
    const Database& database, const std::map<uint64_t, v1::Ticket>& tickets,
    const std::map<uint64_t, std::vector<v1::TicketEvent>>& events) {
  const std::map<std::string, std::string> family = Dump(database, Family::kReferrals);
  std::set<std::string> expected_index;
  std::map<std::string, std::set<std::string>> referrals_of;  // ticket name → referral names
  for (const auto& [key, value] : family) {
    if (key.empty() || key[0] != 'r') continue;
    if (key.size() != 9) {
      return ::testing::AssertionFailure() << "referral key of " << key.size() << " bytes";
    }
    const uint64_t id = ReadBigEndian64(key, 1);
    v1::Referral referral;
    if (absl::Status decoded = DecodeRecord(value, referral); !decoded.ok()) {
      return ::testing::AssertionFailure() << "referral " << id << ": " << decoded;
    }
    if (referral.name() != ReferralName(id)) {
      return ::testing::AssertionFailure() << "key " << id << " holds " << referral.name();
    }
    if (!referral.trail().empty()) {
      return ::testing::AssertionFailure() << referral.name() << " was stored with its trail";
    }
    absl::StatusOr<uint64_t> ticket = ParseTicketName(referral.ticket(), "ticket");
    if (!ticket.ok() || !tickets.contains(*ticket)) {
      return ::testing::AssertionFailure()
             << referral.name() << " is about missing ticket " << referral.ticket();
    }
    referrals_of[referral.ticket()].insert(referral.name());
    for (std::string& index_key : ReferralIndexKeys(id, referral)) {
      expected_index.insert(std::move(index_key));
    }
  }
  for (const std::string& key : expected_index) {
    if (!family.contains(key)) {
      return ::testing::AssertionFailure() << "missing referral index entry tag '" << key[0]
                                           << "' of referrals/" << ReferralIdOfIndexKey(key);
    }
  }
  for (const auto& [key, value] : family) {
    if (!key.empty() && key[0] == 'r') continue;
    if (!expected_index.contains(key)) {
      return ::testing::AssertionFailure()
             << "stale referral index entry tag '" << (key.empty() ? '?' : key[0])
             << "' of referrals/" << (key.size() >= 9 ? ReferralIdOfIndexKey(key) : 0);
    }
    if (!value.empty()) {
      return ::testing::AssertionFailure()
             << "referral index entry tag '" << key[0] << "' has a value";
    }
  }
  for (const auto& [id, ticket] : tickets) {
    const std::set<std::string> listed(ticket.referrals().begin(), ticket.referrals().end());
    if (static_cast<int>(listed.size()) != ticket.referrals_size() ||
        listed != referrals_of[ticket.name()]) {
      return ::testing::AssertionFailure()
             << ticket.name() << " lists " << ticket.referrals_size()
             << " referrals; the store has " << referrals_of[ticket.name()].size() << " about it";
    }
    auto history = events.find(id);
    if (history == events.end()) continue;
    for (const v1::TicketEvent& event : history->second) {
      if (!event.referral().empty() && !listed.contains(event.referral())) {
        return ::testing::AssertionFailure()
               << event.name() << " names " << event.referral() << ", not one of its ticket's";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// The keys the documented layout of storage/ledger_keys.h gives an entry,
// built here independently of StageLedgerEntry: 'e' | id → record, and
// 'p' | period, 'i' | indicator, 'u' | unit, each | 0x00 | id → "".
std::string LedgerKey(char tag, absl::string_view dimension, uint64_t id) {
  std::string key(1, tag);
  if (tag != 'e' && tag != 'r') {
    key.append(dimension.data(), dimension.size());
    key.push_back('\0');
  }
  AppendBigEndian64(key, id);
  return key;
}

bool IsRuleEntry(const v1::LedgerEntry& entry) {
  return entry.source() == v1::LEDGER_SOURCE_REFERRAL_RULE ||
         entry.source() == v1::LEDGER_SOURCE_LATE_CLOSE_RULE;
}

// Whether `event` is what the rule that made `entry` reacts to.
bool CausedBy(const v1::LedgerEntry& entry, const v1::TicketEvent& event) {
  if (entry.source() == v1::LEDGER_SOURCE_REFERRAL_RULE) {
    return event.type() == v1::EVENT_TYPE_REFERRED ||
           (event.type() == v1::EVENT_TYPE_ESCALATED &&
            event.level() == v1::ESCALATION_LEVEL_REFERRAL);
  }
  return event.to_stage() == v1::STAGE_CLOSED && event.from_stage() != v1::STAGE_CLOSED;
}

::testing::AssertionResult LedgerIsConsistent(
    const Database& database, const std::map<uint64_t, v1::Ticket>& tickets,
    const std::map<uint64_t, std::vector<v1::TicketEvent>>& events) {
  const std::map<std::string, std::string> family = Dump(database, Family::kLedger);
  std::map<uint64_t, v1::LedgerEntry> entries;
  for (const auto& [key, value] : family) {
    if (key.empty() || key[0] != 'e') continue;
    if (key.size() != 9) {
      return ::testing::AssertionFailure() << "ledger entry key of " << key.size() << " bytes";
    }
    const uint64_t id = ReadBigEndian64(key, 1);
    v1::LedgerEntry entry;
    if (absl::Status decoded = DecodeRecord(value, entry); !decoded.ok()) {
      return ::testing::AssertionFailure() << "ledger entry " << id << ": " << decoded;
    }
    if (entry.name() != LedgerEntryName(id)) {
      return ::testing::AssertionFailure() << "ledger key " << id << " holds " << entry.name();
    }
    entries.emplace(id, std::move(entry));
  }

  std::map<std::string, std::string> expected;  // index key → value
  for (const auto& [id, entry] : entries) {
    expected[LedgerKey('p', entry.period(), id)] = "";
    expected[LedgerKey('i', entry.indicator(), id)] = "";
    for (const v1::Charge& charge : entry.charges()) {
      expected[LedgerKey('u', charge.unit(), id)] = "";
    }
    if (entry.reverses().empty()) continue;
    absl::StatusOr<uint64_t> reversed = ParseLedgerEntryName(entry.reverses(), "reverses");
    if (!reversed.ok() || !entries.contains(*reversed)) {
      return ::testing::AssertionFailure()
             << entry.name() << " reverses missing entry " << entry.reverses();
    }
    const std::string marker = LedgerKey('r', "", *reversed);
    if (expected.contains(marker)) {
      return ::testing::AssertionFailure() << entry.reverses() << " is reversed twice";
    }
    std::string reversal;
    AppendBigEndian64(reversal, id);
    expected[marker] = reversal;
  }
  for (const auto& [key, value] : expected) {
    auto found = family.find(key);
    if (found == family.end()) {
      return ::testing::AssertionFailure() << "missing ledger index entry tag '" << key[0]
                                           << "' of ledgerEntries/" << LedgerIdOfKey(key);
    }
    if (found->second != value) {
      return ::testing::AssertionFailure()
             << "ledger index entry tag '" << key[0] << "' of ledgerEntries/" << LedgerIdOfKey(key)
             << " has a wrong value";
    }
  }
  for (const auto& [key, value] : family) {
    if (!key.empty() && key[0] == 'e') continue;
    if (!expected.contains(key)) {
      return ::testing::AssertionFailure()
             << "stale ledger index entry tag '" << (key.empty() ? '?' : key[0])
             << "' of ledgerEntries/" << (key.size() >= 9 ? LedgerIdOfKey(key) : 0);
    }
  }

  for (const auto& [id, entry] : entries) {
    if (!IsRuleEntry(entry)) continue;
    absl::StatusOr<uint64_t> ticket = ParseTicketName(entry.source_ticket(), "source_ticket");
    if (!ticket.ok() || !tickets.contains(*ticket)) {
      return ::testing::AssertionFailure() << entry.name() << " (a rule's) names missing ticket '"
                                           << entry.source_ticket() << "'";
    }
    if (entry.source_events().empty()) {
      return ::testing::AssertionFailure() << entry.name() << " (a rule's) names no event";
    }
    auto history = events.find(*ticket);
    for (const std::string& name : entry.source_events()) {
      const v1::TicketEvent* cause = nullptr;
      if (history != events.end()) {
        for (const v1::TicketEvent& event : history->second) {
          if (event.name() == name) cause = &event;
        }
      }
      if (cause == nullptr) {
        return ::testing::AssertionFailure() << entry.name() << " names " << name
                                             << ", not an event of " << entry.source_ticket();
      }
      if (!CausedBy(entry, *cause)) {
        return ::testing::AssertionFailure()
               << entry.name() << " (" << v1::LedgerSource_Name(entry.source()) << ") names "
               << name << ", a " << v1::EventType_Name(cause->type())
               << " event that rule does not react to";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

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
    if (history.empty()) {
      return ::testing::AssertionFailure() << ticket.name() << " has no events";
    }
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
  if (auto escalation = EscalationIndexIsConsistent(tickets, index); !escalation) return escalation;
  if (auto log = LogIsConsistent(database, events); !log) return log;
  if (auto referrals = ReferralsAreConsistent(database, tickets, events); !referrals) {
    return referrals;
  }
  if (auto ledger = LedgerIsConsistent(database, tickets, events); !ledger) return ledger;
  absl::StatusOr<AuditReport> audit = VerifyAudit(database, std::nullopt);
  if (!audit.ok()) return ::testing::AssertionFailure() << audit.status();
  if (!audit->ok) {
    return ::testing::AssertionFailure() << "audit: " << audit->entry << " " << audit->problem;
  }
  return ::testing::AssertionSuccess();
}

StoreFixture::StoreFixture()
    : path_(scratch_.path() + "/db"),
      calendar_(Shanghai()),
      now_(TestStart()),
      policy_(DefaultEscalationPolicy()),
      ledger_policy_(DefaultLedgerPolicy()) {
  ledger_policy_.set_version(1);
  v1::Indicator liangshi;
  liangshi.set_name("indicators/liangshi");
  liangshi.set_display_name("粮食播面和产量");
  liangshi.set_points("5");
  liangshi.set_veto(true);
  liangshi.set_lead_unit("units/nongye");
  liangshi.add_cooperating_units("units/ziran");
  units_.AddIndicator(liangshi);
}

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
  absl::StatusOr<std::unique_ptr<LedgerStore>> ledger = LedgerStore::Open(database_.get());
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  ledger_ = *std::move(ledger);
}

void StoreFixture::CloseStores() {
  ledger_.reset();
  directory_.reset();
  tickets_.reset();
  database_.reset();
}

LoopContext StoreFixture::ContextFor(const Caller& caller) const {
  return LoopContext{
      .caller = caller,
      .now = now_,
      .calendar = &calendar_,
      .policy = &policy_,
      .units = &units_,
      .new_referral_name = [this] { return ReferralName(tickets_->NewReferralId()); },
      .indicators = &units_,
      .ledger_policy = &ledger_policy_,
      .new_ledger_entry_name = [this] { return LedgerEntryName(ledger_->NewEntryId()); }};
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
  ticket.set_inspection_unit(spec.inspection_unit);
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
  v1::EscalationPolicy policy = policy_;
  policy.mutable_stage_clocks()->set_sign_for_days(spec.stage_days);
  policy.mutable_stage_clocks()->set_plan_days(spec.stage_days);
  context.policy = &policy;
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

std::vector<LoggedEvent> StoreFixture::WholeLog(uint64_t after, int page_size) {
  std::vector<LoggedEvent> logged;
  for (int page = 0; page < 100000; ++page) {
    absl::StatusOr<std::vector<LoggedEvent>> read = tickets_->ReadLog(after, page_size);
    EXPECT_TRUE(read.ok()) << read.status();
    if (!read.ok() || read->empty()) return logged;
    after = read->back().cursor;
    for (LoggedEvent& event : *read) logged.push_back(std::move(event));
  }
  ADD_FAILURE() << "ReadLog never ran out";
  return logged;
}

absl::StatusOr<v1::Ticket> StoreFixture::EscalateAt(uint64_t id, absl::Time as_of) {
  LoopContext context = ContextFor(Scheduler());
  context.now = as_of;
  return tickets_->Update(id, RequestKey{}, as_of, [&](const v1::Ticket& current) {
    return Escalate(current, as_of, context);
  });
}

std::map<v1::EscalationLevel, absl::Time> StoreFixture::FireTimes(const v1::Ticket& ticket) const {
  std::map<v1::EscalationLevel, absl::Time> times;
  for (const ScheduledStep& scheduled : ScheduleLadder(ticket, policy_, calendar_)) {
    times[scheduled.step.level()] = scheduled.fire_time;
  }
  return times;
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
