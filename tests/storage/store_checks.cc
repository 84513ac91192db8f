#include "tests/storage/store_checks.h"

#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "base/time_convert.h"
#include "domain/ledger.h"
#include "domain/referrals.h"
#include "domain/resource_names.h"
#include "domain/ticket_loop.h"
#include "rocksdb/iterator.h"
#include "storage/audit_log.h"
#include "storage/audit_verifier.h"
#include "storage/big_endian.h"
#include "storage/ledger_keys.h"
#include "storage/record.h"
#include "storage/referral_keys.h"
#include "storage/ticket_index.h"

namespace duban::storage {

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

}  // namespace duban::storage
