// Index keys of tickets (storage/ticket_index.h).
#include "storage/ticket_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "base/time_convert.h"
#include "storage/page_token.h"
#include "storage/record.h"
#include "storage/ticket_keys.h"

namespace duban::storage {
namespace {

v1::Ticket FullTicket() {
  v1::Ticket ticket;
  ticket.set_name("tickets/42");
  ticket.set_title("not in the index value");
  ticket.set_stage(v1::STAGE_IMPLEMENT);
  ticket.set_severity(v1::SEVERITY_MAJOR);
  ticket.set_lead_unit("units/nongye");
  ticket.add_cooperating_units("units/ziran");
  ticket.add_cooperating_units("units/chengguan");
  ticket.set_indicator("indicators/gengdi");
  ticket.set_location("units/chengguan-dongjie");
  ticket.set_parent("tickets/7");
  ticket.set_inspection_unit("units/ducha");
  ticket.set_responsible_principal("principals/staff-nongye");
  ticket.set_holder_unit("units/nongye");
  ticket.set_card(v1::CARD_YELLOW);
  ticket.set_issuer("not in the index value either");
  *ticket.mutable_stage_due_time() = ToTimestamp(absl::FromUnixSeconds(1741000000));
  return ticket;
}

// Index entries of `ticket` by tag.
std::multimap<char, std::string> KeysByTag(uint64_t id, const v1::Ticket& ticket) {
  std::multimap<char, std::string> keys;
  for (const IndexEntry& entry : TicketIndexEntries(id, ticket))
    keys.emplace(entry.key[0], entry.key);
  return keys;
}

TEST(DueOrderTest, SortsTimesAndPutsNoDueLast) {
  const absl::Time times[] = {absl::FromUnixSeconds(-100000), absl::FromUnixSeconds(-1),
                              absl::UnixEpoch(), absl::FromUnixMicros(1),
                              absl::FromUnixSeconds(1741000000)};
  for (size_t i = 0; i + 1 < std::size(times); ++i) {
    EXPECT_LT(DueOrder(times[i]), DueOrder(times[i + 1])) << i;
    // Byte order of the encoded keys is the same order.
    EXPECT_LT(TicketKey(DueOrder(times[i])), TicketKey(DueOrder(times[i + 1]))) << i;
  }
  EXPECT_LT(DueOrder(times[std::size(times) - 1]), kNoDue);
}

TEST(DueOrderTest, TerminalOrClocklessTicketsHaveNoDue) {
  struct Case {
    v1::Stage stage;
    bool has_due;
    bool expect_no_due;
  };
  const Case cases[] = {
      {v1::STAGE_DEPLOY, true, false},    {v1::STAGE_IMPROVE, true, false},
      {v1::STAGE_DEPLOY, false, true},    {v1::STAGE_CLOSED, false, true},
      {v1::STAGE_CANCELLED, false, true}, {v1::STAGE_CLOSED, true, true},
  };
  for (const Case& c : cases) {
    v1::Ticket ticket;
    ticket.set_stage(c.stage);
    if (c.has_due)
      *ticket.mutable_stage_due_time() = ToTimestamp(absl::FromUnixSeconds(1741000000));
    EXPECT_EQ(DueOrder(ticket) == kNoDue, c.expect_no_due) << v1::Stage_Name(c.stage);
  }
}

TEST(TicketIndexEntriesTest, OneEntryPerDimension) {
  const std::multimap<char, std::string> keys = KeysByTag(42, FullTicket());
  const std::map<char, size_t> expected = {{'a', 1}, {'s', 1}, {'v', 1}, {'u', 3}, {'i', 1},
                                           {'l', 1}, {'p', 1}, {'n', 1}, {'w', 1}};
  for (const auto& [tag, count] : expected) EXPECT_EQ(keys.count(tag), count) << tag;
  // No escalation pending, no 'e' entry.
  EXPECT_EQ(keys.size(), 11u);
}

// The escalation entry orders by next_escalation_time, not by the stage
// clock, and carries the same summary as the other entries.
TEST(TicketIndexEntriesTest, EscalationEntryIsAtTheNextEscalationTime) {
  v1::Ticket ticket = FullTicket();
  const absl::Time next = absl::FromUnixSeconds(1741000000) - absl::Hours(24);
  *ticket.mutable_next_escalation_time() = ToTimestamp(next);
  const std::vector<IndexEntry> entries = TicketIndexEntries(42, ticket);
  ASSERT_EQ(entries.size(), 12u);
  int escalation = 0;
  for (const IndexEntry& entry : entries) {
    EXPECT_EQ(IndexKeyTicketId(entry.key), 42u) << entry.key[0];
    EXPECT_EQ(entry.value, entries[0].value) << entry.key[0];
    if (entry.key[0] != 'e') {
      EXPECT_EQ(IndexKeyDue(entry.key), DueOrder(ticket)) << entry.key[0];
      continue;
    }
    ++escalation;
    EXPECT_EQ(entry.key.size(), 17u);
    EXPECT_TRUE(absl::StartsWith(entry.key, EscalationPrefix()));
    EXPECT_EQ(IndexKeyDue(entry.key), DueOrder(next));
    EXPECT_EQ(TimeOfDueOrder(IndexKeyDue(entry.key)), next);
  }
  EXPECT_EQ(escalation, 1);
  // Nothing but the escalation entries lies under the escalation prefix.
  for (const IndexEntry& entry : TicketIndexEntries(42, FullTicket())) {
    EXPECT_FALSE(absl::StartsWith(entry.key, EscalationPrefix())) << entry.key[0];
  }
}

TEST(DueOrderTest, TimeOfDueOrderInvertsDueOrderToTheMicrosecond) {
  const absl::Time times[] = {absl::FromUnixSeconds(-100000), absl::UnixEpoch(),
                              absl::FromUnixMicros(1741000000123456)};
  for (absl::Time time : times) EXPECT_EQ(TimeOfDueOrder(DueOrder(time)), time);
  EXPECT_EQ(TimeOfDueOrder(DueOrder(absl::FromUnixMicros(7) + absl::Nanoseconds(999))),
            absl::FromUnixMicros(7));
}

TEST(TicketIndexEntriesTest, OptionalDimensionsAreLeftOut) {
  v1::Ticket ticket;
  ticket.set_stage(v1::STAGE_DEPLOY);
  ticket.set_severity(v1::SEVERITY_NORMAL);
  ticket.set_lead_unit("units/nongye");
  const std::multimap<char, std::string> keys = KeysByTag(3, ticket);
  EXPECT_EQ(keys.size(), 4u);
  for (char tag : {'i', 'l', 'p'}) EXPECT_EQ(keys.count(tag), 0u) << tag;
}

TEST(TicketIndexEntriesTest, KeysEndWithDueAndIdAndValuesHoldOnlyFilterFields) {
  const v1::Ticket ticket = FullTicket();
  for (const IndexEntry& entry : TicketIndexEntries(42, ticket)) {
    EXPECT_EQ(IndexKeyTicketId(entry.key), 42u) << entry.key[0];
    EXPECT_EQ(IndexKeyDue(entry.key), DueOrder(ticket)) << entry.key[0];
    v1::Ticket summary;
    ASSERT_TRUE(DecodeRecord(entry.value, summary).ok());
    EXPECT_TRUE(summary.title().empty());
    EXPECT_TRUE(summary.name().empty());
    EXPECT_EQ(summary.stage(), ticket.stage());
    EXPECT_EQ(summary.severity(), ticket.severity());
    EXPECT_EQ(summary.lead_unit(), ticket.lead_unit());
    EXPECT_EQ(summary.cooperating_units_size(), 2);
    EXPECT_EQ(summary.indicator(), ticket.indicator());
    EXPECT_EQ(summary.location(), ticket.location());
    EXPECT_EQ(summary.parent(), ticket.parent());
    EXPECT_EQ(summary.card(), ticket.card());
    EXPECT_EQ(summary.holder_unit(), ticket.holder_unit());
    EXPECT_EQ(summary.inspection_unit(), ticket.inspection_unit());
    EXPECT_EQ(summary.responsible_principal(), ticket.responsible_principal());
    EXPECT_TRUE(summary.issuer().empty());
    EXPECT_EQ(summary.stage_due_time().seconds(), ticket.stage_due_time().seconds());
  }
}

TEST(IndexPrefixForTest, PicksTheMostSelectiveDimension) {
  const v1::Ticket ticket = FullTicket();
  struct Case {
    const char* what;
    TicketQuery query;
    char tag;
  };
  const Case cases[] = {
      {"nothing", {}, 'a'},
      {"overdue only", {.overdue = true}, 'a'},
      {"severity", {.severity = v1::SEVERITY_MAJOR}, 'v'},
      {"stage over severity", {.stage = v1::STAGE_IMPLEMENT, .severity = v1::SEVERITY_MAJOR}, 's'},
      {"unit over stage", {.unit = "units/nongye", .stage = v1::STAGE_IMPLEMENT}, 'u'},
      {"indicator over unit", {.unit = "units/nongye", .indicator = "indicators/gengdi"}, 'i'},
      {"location over indicator",
       {.indicator = "indicators/gengdi", .location = "units/chengguan-dongjie"},
       'l'},
      {"inspection unit over location",
       {.location = "units/chengguan-dongjie", .inspection_unit = "units/ducha"},
       'n'},
      {"responsible principal over inspection unit",
       {.inspection_unit = "units/ducha", .responsible_principal = "principals/staff-nongye"},
       'w'},
      {"card and holder unit scan everything",
       {.card = v1::CARD_YELLOW, .holder_unit = "units/nongye"},
       'a'},
      {"parent over all",
       {.unit = "units/nongye",
        .stage = v1::STAGE_IMPLEMENT,
        .location = "units/chengguan-dongjie",
        .parent = "tickets/7",
        .responsible_principal = "principals/staff-nongye"},
       'p'},
  };
  for (const Case& c : cases) {
    const std::string prefix = IndexPrefixFor(c.query);
    ASSERT_FALSE(prefix.empty()) << c.what;
    EXPECT_EQ(prefix[0], c.tag) << c.what;
    // The ticket matches every query above, so exactly one of its entries
    // lies in the scanned range.
    int inside = 0;
    for (const IndexEntry& entry : TicketIndexEntries(42, ticket)) {
      if (absl::StartsWith(entry.key, prefix)) ++inside;
    }
    EXPECT_EQ(inside, 1) << c.what;
  }
}

TEST(IndexPrefixForTest, UnitPrefixDoesNotCoverAUnitWhoseNameExtendsIt) {
  v1::Ticket village = FullTicket();
  village.set_lead_unit("units/chengguan-dongjie");
  village.clear_cooperating_units();
  const std::string prefix = IndexPrefixFor({.unit = "units/chengguan"});
  const std::string limit = PrefixSuccessor(prefix);
  for (const IndexEntry& entry : TicketIndexEntries(5, village)) {
    EXPECT_FALSE(entry.key >= prefix && entry.key < limit) << absl::CEscape(entry.key);
  }
}

TEST(ChildrenPrefixTest, IsTheParentIndexPrefix) {
  EXPECT_EQ(ChildrenPrefix("tickets/7"), IndexPrefixFor({.parent = "tickets/7"}));
  // tickets/7 is not a prefix match for tickets/70.
  v1::Ticket child = FullTicket();
  child.set_parent("tickets/70");
  for (const IndexEntry& entry : TicketIndexEntries(43, child)) {
    EXPECT_FALSE(absl::StartsWith(entry.key, ChildrenPrefix("tickets/7")));
  }
}

}  // namespace
}  // namespace duban::storage
