// The ledger entries the rules make (a deduction for a referral, for a late
// close) are written in the ticket's own write: stored with the change that
// caused them, or not at all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "domain/escalation_ladder.h"
#include "domain/ledger.h"
#include "storage/big_endian.h"
#include "storage/ledger_keys.h"
#include "storage/record.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class LedgerRulesStoreTest : public StoreFixture {
 protected:
  // Long after every level of a new ticket's first ladder is due.
  absl::Time Late() const { return TestStart() + absl::Hours(24 * 30); }

  std::vector<std::string> LedgerNames(const LedgerQuery& query = {}) {
    absl::StatusOr<LedgerPage> page = ledger_->List(query, 100, "");
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> names;
    if (page.ok()) {
      for (const v1::LedgerEntry& entry : page->entries) names.push_back(entry.name());
    }
    return names;
  }

  // The name of the event of `id` that escalated to REFERRAL.
  std::string ReferralEventOf(uint64_t id) {
    for (const v1::TicketEvent& event : AllEvents(id)) {
      if (event.type() == v1::EVENT_TYPE_ESCALATED &&
          event.level() == v1::ESCALATION_LEVEL_REFERRAL) {
        return event.name();
      }
    }
    return "";
  }

  std::vector<std::map<std::string, std::string>> Snapshot() {
    return {Dump(*database_, Family::kTickets),     Dump(*database_, Family::kEvents),
            Dump(*database_, Family::kTicketIndex), Dump(*database_, Family::kLog),
            Dump(*database_, Family::kReferrals),   Dump(*database_, Family::kLedger),
            Dump(*database_, Family::kRequests)};
  }
};

TEST_F(LedgerRulesStoreTest, AReferralIsStoredWithItsDeduction) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created,
                       CreateTicket({.lead = "units/nongye", .indicator = "indicators/renju"}));
  const uint64_t id = TicketId(created);
  ASSERT_OK_AND_ASSIGN(v1::Ticket escalated, EscalateAt(id, Late()));
  ASSERT_EQ(escalated.card(), v1::CARD_REFERRED);
  const std::string cause = ReferralEventOf(id);
  ASSERT_FALSE(cause.empty());

  EXPECT_THAT(LedgerNames(), ElementsAre("ledgerEntries/1"));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry entry, ledger_->Get(1));
  EXPECT_EQ(entry.source(), v1::LEDGER_SOURCE_REFERRAL_RULE);
  EXPECT_EQ(entry.source_ticket(), created.name());
  EXPECT_THAT(entry.source_events(), ElementsAre(cause));
  EXPECT_EQ(entry.indicator(), "indicators/renju");
  EXPECT_EQ(entry.period(), "2025");
  EXPECT_EQ(entry.county_points(), "1");
  EXPECT_EQ(entry.policy_version(), 1);
  ASSERT_EQ(entry.charges_size(), 3);
  EXPECT_EQ(entry.charges(0).unit(), "units/nongye");
  EXPECT_EQ(entry.charges(0).points(), "-3");
  EXPECT_EQ(entry.charges(2).unit(), "units/chengguan");
  EXPECT_EQ(entry.charges(2).points(), "-2.1");
  // Indexed like the office's entries.
  EXPECT_THAT(LedgerNames({.unit = "units/chengguan"}), ElementsAre("ledgerEntries/1"));
  EXPECT_THAT(LedgerNames({.period = "2025", .indicator = "indicators/renju"}),
              ElementsAre("ledgerEntries/1"));
  EXPECT_TRUE(StoreIsConsistent(*database_));

  // Sweeping again fires nothing and deducts nothing more.
  ASSERT_TRUE(EscalateAt(id, Late() + absl::Hours(1)).ok());
  EXPECT_THAT(LedgerNames(), ElementsAre("ledgerEntries/1"));
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerRulesStoreTest, AHardFlawFiledAboutAnIndicatorIsStoredWithItsDeduction) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket flaw, CreateTicket({.kind = v1::TICKET_KIND_FINDING,
                                                      .lead = "units/ziran",
                                                      .severity = v1::SEVERITY_HARD_FLAW,
                                                      .indicator = "indicators/gengdi"}));
  ASSERT_EQ(flaw.referrals_size(), 1);
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry entry, ledger_->Get(1));
  EXPECT_EQ(entry.source_ticket(), flaw.name());
  EXPECT_THAT(entry.source_events(), ElementsAre(flaw.name() + "/events/2"));
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerRulesStoreTest, NoIndicatorOrNoRuleNoEntry) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket plain, CreateTicket({.lead = "units/nongye"}));
  ASSERT_TRUE(EscalateAt(TicketId(plain), Late()).ok());
  ledger_policy_.set_deduct_on_referral(false);
  ASSERT_OK_AND_ASSIGN(v1::Ticket about, CreateTicket({.indicator = "indicators/renju"}));
  ASSERT_OK_AND_ASSIGN(v1::Ticket escalated, EscalateAt(TicketId(about), Late()));
  EXPECT_EQ(escalated.card(), v1::CARD_REFERRED);
  EXPECT_THAT(Dump(*database_, Family::kLedger), IsEmpty());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerRulesStoreTest, ALateCloseIsStoredWithItsDeductionWhenTheRuleIsOn) {
  ledger_policy_.set_deduct_on_late_close(true);
  ASSERT_OK_AND_ASSIGN(v1::Ticket on_time,
                       CreateTicket({.indicator = "indicators/liangshi", .due_days = 30}));
  ASSERT_OK_AND_ASSIGN(v1::Ticket late,
                       CreateTicket({.indicator = "indicators/liangshi", .due_days = 2}));
  for (const v1::Ticket& ticket : {on_time, late}) {
    ASSERT_TRUE(Sign(TicketId(ticket)).ok());
    ASSERT_TRUE(Submit(TicketId(ticket)).ok());
  }
  now_ += absl::Hours(24 * 3);
  ASSERT_OK_AND_ASSIGN(v1::Ticket closed_on_time, Review(TicketId(on_time), true));
  ASSERT_OK_AND_ASSIGN(v1::Ticket closed_late, Review(TicketId(late), true));
  ASSERT_EQ(closed_late.stage(), v1::STAGE_CLOSED);
  ASSERT_EQ(closed_on_time.stage(), v1::STAGE_CLOSED);

  EXPECT_THAT(LedgerNames(), ElementsAre("ledgerEntries/1"));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry entry, ledger_->Get(1));
  EXPECT_EQ(entry.source(), v1::LEDGER_SOURCE_LATE_CLOSE_RULE);
  EXPECT_EQ(entry.source_ticket(), late.name());
  EXPECT_THAT(entry.source_events(), ElementsAre(AllEvents(TicketId(late)).back().name()));
  EXPECT_EQ(entry.county_points(), "0.5");
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// A change the store refuses writes neither the ticket nor its entry.
TEST_F(LedgerRulesStoreTest, ARefusedChangeWritesNoEntry) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.indicator = "indicators/renju"}));
  const uint64_t id = TicketId(created);
  const auto snapshot = Snapshot();
  struct Case {
    const char* what;
    // What becomes of the escalation's change before the store sees it.
    absl::StatusOr<TicketChange> (*spoil)(TicketChange);
    absl::StatusCode code;
  } cases[] = {
      {"the domain refuses after deciding",
       [](TicketChange) -> absl::StatusOr<TicketChange> {
         return absl::AbortedError("refused after deciding");
       },
       absl::StatusCode::kAborted},
      {"an entry naming another ticket",
       [](TicketChange change) -> absl::StatusOr<TicketChange> {
         change.ledger_entries[0].set_source_ticket("tickets/99");
         return change;
       },
       absl::StatusCode::kInternal},
      {"an event out of sequence",
       [](TicketChange change) -> absl::StatusOr<TicketChange> {
         change.events.back().set_sequence(99);
         return change;
       },
       absl::StatusCode::kInternal},
  };
  for (const Case& c : cases) {
    LoopContext context = ContextFor(Scheduler());
    context.now = Late();
    absl::StatusOr<v1::Ticket> result = tickets_->Update(
        id, RequestKey{}, Late(), [&](const v1::Ticket& current) -> absl::StatusOr<TicketChange> {
          absl::StatusOr<TicketChange> change = Escalate(current, Late(), context);
          if (!change.ok()) return change.status();
          if (change->ledger_entries.size() != 1) {
            return absl::FailedPreconditionError("expected one rule entry");
          }
          return c.spoil(*std::move(change));
        });
    EXPECT_EQ(result.status().code(), c.code) << c.what << ": " << result.status();
    EXPECT_TRUE(Snapshot() == snapshot) << c.what;
  }
  EXPECT_TRUE(StoreIsConsistent(*database_));

  // The same escalation, unspoiled, stores both.
  ASSERT_TRUE(EscalateAt(id, Late()).ok());
  EXPECT_EQ(LedgerNames().size(), 1u);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerRulesStoreTest, ARetriedEscalationDeductsOnce) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.indicator = "indicators/renju"}));
  const uint64_t id = TicketId(created);
  const RequestKey key{
      .principal = "duband/scheduler", .request_id = "sweep-1", .fingerprint = "f"};
  LoopContext context = ContextFor(Scheduler());
  context.now = Late();
  auto escalate = [&] {
    return tickets_->Update(id, key, Late(), [&](const v1::Ticket& current) {
      return Escalate(current, Late(), context);
    });
  };
  ASSERT_OK_AND_ASSIGN(v1::Ticket first, escalate());
  ASSERT_OK_AND_ASSIGN(v1::Ticket again, escalate());
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(LedgerNames().size(), 1u);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerRulesStoreTest, EntriesMadeWithTicketsContinueTheOfficesIds) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.indicator = "indicators/renju"}));
  ASSERT_TRUE(EscalateAt(TicketId(created), Late()).ok());
  ReopenStores();
  v1::CreateDeductionRequest request;
  request.set_indicator("indicators/gengdi");
  request.set_points("1");
  request.set_period("2025");
  request.set_reason("manual");
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry manual,
                       ledger_->Put(RequestKey{}, now_, [&]() -> absl::StatusOr<v1::LedgerEntry> {
                         absl::StatusOr<v1::LedgerEntry> entry =
                             NewDeduction(request, LedgerContext{.caller = Leader(),
                                                                 .now = now_,
                                                                 .zone = Shanghai(),
                                                                 .policy = &ledger_policy_,
                                                                 .indicators = &units_,
                                                                 .name = ""});
                         if (entry.ok()) entry->set_name(LedgerEntryName(ledger_->NewEntryId()));
                         return entry;
                       }));
  EXPECT_EQ(manual.name(), "ledgerEntries/2");
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// The checker the other tests lean on notices each kind of ledger damage.
TEST_F(LedgerRulesStoreTest, ConsistencyCheckerNoticesLedgerDamage) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.indicator = "indicators/renju"}));
  ASSERT_TRUE(EscalateAt(TicketId(created), Late()).ok());
  ASSERT_TRUE(StoreIsConsistent(*database_));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry entry, ledger_->Get(1));
  rocksdb::DB* db = database_->db();
  rocksdb::ColumnFamilyHandle* ledger = database_->family(Family::kLedger);
  const rocksdb::WriteOptions write;
  auto index_key = [](char tag, const std::string& dimension, uint64_t id) {
    std::string key(1, tag);
    key += dimension;
    key.push_back('\0');
    AppendBigEndian64(key, id);
    return key;
  };
  auto rewrite = [&](const v1::LedgerEntry& changed) {
    ASSERT_TRUE(db->Put(write, ledger, LedgerEntryKey(1), EncodeRecord(changed)).ok());
  };

  struct Case {
    const char* what;
    std::function<void()> damage;
    std::function<void()> repair;
    const char* message;
  };
  const Case cases[] = {
      {"a unit index key missing",
       [&] { ASSERT_TRUE(db->Delete(write, ledger, index_key('u', "units/ziran", 1)).ok()); },
       [&] { ASSERT_TRUE(db->Put(write, ledger, index_key('u', "units/ziran", 1), "").ok()); },
       "missing ledger index entry tag 'u'"},
      {"a stale period key",
       [&] { ASSERT_TRUE(db->Put(write, ledger, index_key('p', "2024", 1), "").ok()); },
       [&] { ASSERT_TRUE(db->Delete(write, ledger, index_key('p', "2024", 1)).ok()); },
       "stale ledger index entry tag 'p'"},
      {"an indicator key with a value",
       [&] {
         ASSERT_TRUE(db->Put(write, ledger, index_key('i', "indicators/renju", 1), "x").ok());
       },
       [&] { ASSERT_TRUE(db->Put(write, ledger, index_key('i', "indicators/renju", 1), "").ok()); },
       "wrong value"},
      {"a reversal marker without a reversal",
       [&] { ASSERT_TRUE(db->Put(write, ledger, ReversedByKey(1), std::string(8, '\2')).ok()); },
       [&] { ASSERT_TRUE(db->Delete(write, ledger, ReversedByKey(1)).ok()); },
       "stale ledger index entry tag 'r'"},
      {"a rule entry naming an event that does not exist",
       [&] {
         v1::LedgerEntry changed = entry;
         changed.set_source_events(0, created.name() + "/events/99");
         rewrite(changed);
       },
       [&] { rewrite(entry); }, "not an event of"},
      {"a referral-rule entry naming another kind of event",
       [&] {
         v1::LedgerEntry changed = entry;
         changed.set_source_events(0, created.name() + "/events/1");
         rewrite(changed);
       },
       [&] { rewrite(entry); }, "does not react to"},
      {"a rule entry without its ticket",
       [&] {
         v1::LedgerEntry changed = entry;
         changed.clear_source_ticket();
         rewrite(changed);
       },
       [&] { rewrite(entry); }, "names missing ticket"},
      {"an entry stored under another id",
       [&] {
         v1::LedgerEntry changed = entry;
         changed.set_name("ledgerEntries/7");
         rewrite(changed);
       },
       [&] { rewrite(entry); }, "holds ledgerEntries/7"},
  };
  for (const Case& c : cases) {
    ASSERT_NO_FATAL_FAILURE(c.damage()) << c.what;
    ::testing::AssertionResult result = StoreIsConsistent(*database_);
    EXPECT_FALSE(result) << c.what;
    EXPECT_THAT(result.message(), HasSubstr(c.message)) << c.what;
    ASSERT_NO_FATAL_FAILURE(c.repair()) << c.what;
    EXPECT_TRUE(StoreIsConsistent(*database_)) << "after repairing " << c.what;
  }
}

}  // namespace
}  // namespace duban::storage
