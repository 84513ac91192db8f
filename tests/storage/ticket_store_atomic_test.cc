// Every mutation writes the ticket, its event and its index entries
// together, or writes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/errors.h"
#include "storage/audit_log.h"
#include "storage/big_endian.h"
#include "storage/record.h"
#include "storage/referral_keys.h"
#include "storage/ticket_index.h"
#include "storage/ticket_keys.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

class TicketStoreAtomicTest : public StoreFixture {
 protected:
  // The 's' (stage) index keys of ticket `id`.
  std::vector<std::string> StageKeys(uint64_t id) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : Dump(*database_, Family::kTicketIndex)) {
      if (key[0] == 's' && IndexKeyTicketId(key) == id) keys.push_back(key);
    }
    return keys;
  }

  // Everything the store has written.
  std::vector<std::map<std::string, std::string>> Snapshot() {
    return {Dump(*database_, Family::kTickets),     Dump(*database_, Family::kEvents),
            Dump(*database_, Family::kTicketIndex), Dump(*database_, Family::kRequests),
            Dump(*database_, Family::kLog),         Dump(*database_, Family::kReferrals)};
  }
};

// The checker the other tests lean on notices each kind of damage.
TEST_F(TicketStoreAtomicTest, ConsistencyCheckerNoticesDamage) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created,
                       CreateTicket({.lead = "units/nongye", .indicator = "indicators/gengdi"}));
  ASSERT_TRUE(Sign(TicketId(created)).ok());
  // tickets/2, referred at filing as referrals/1: events at cursors 3 and 4.
  ASSERT_OK_AND_ASSIGN(v1::Ticket flaw, CreateTicket({.kind = v1::TICKET_KIND_FINDING,
                                                      .lead = "units/ziran",
                                                      .severity = v1::SEVERITY_HARD_FLAW}));
  ASSERT_EQ(flaw.referrals_size(), 1);
  ASSERT_TRUE(StoreIsConsistent(*database_));
  ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, tickets_->Get(TicketId(created)));
  rocksdb::DB* db = database_->db();
  rocksdb::ColumnFamilyHandle* index = database_->family(Family::kTicketIndex);
  rocksdb::ColumnFamilyHandle* events = database_->family(Family::kEvents);
  const std::vector<IndexEntry> entries = TicketIndexEntries(1, ticket);
  v1::Ticket before_sign = ticket;
  before_sign.set_stage(v1::STAGE_DEPLOY);
  // The stage index entry ('s'), before the sign and now.
  const auto stage_entry = [](const std::vector<IndexEntry>& all) {
    return *std::find_if(all.begin(), all.end(), [](const IndexEntry& e) { return e.key[0] == 's'; });
  };
  const std::string stale_key = stage_entry(TicketIndexEntries(1, before_sign)).key;
  ASSERT_NE(stale_key, stage_entry(entries).key);
  const std::string second_event = Dump(*database_, Family::kEvents).at(EventKey(1, 2));
  rocksdb::ColumnFamilyHandle* log = database_->family(Family::kLog);
  // The log keys of tickets/1's two events, and an entry for an event that
  // does not exist.
  std::string first_key, second_key;
  for (const auto& [key, value] : Dump(*database_, Family::kLog)) {
    ASSERT_OK_AND_ASSIGN(LogEntry entry, DecodeLogEntry(ReadBigEndian64(key), value));
    if (entry.kind != AuditKind::kTicketEvent) continue;
    if (entry.key == EventKey(1, 1)) first_key = key;
    if (entry.key == EventKey(1, 2)) second_key = key;
  }
  ASSERT_FALSE(first_key.empty());
  ASSERT_FALSE(second_key.empty());
  const std::string first_logged = Dump(*database_, Family::kLog).at(first_key);
  const std::string second_logged = Dump(*database_, Family::kLog).at(second_key);
  const std::string logged_missing_event = EncodeLogValue(
      {.kind = AuditKind::kTicketEvent, .key = EventKey(1, 9), .sha256 = std::string(32, 'x')});
  rocksdb::ColumnFamilyHandle* referrals = database_->family(Family::kReferrals);
  const std::string referral_record = Dump(*database_, Family::kReferrals).at(ReferralKey(1));
  ASSERT_OK_AND_ASSIGN(v1::Referral referral, tickets_->GetReferral(1));
  const std::vector<std::string> referral_index = ReferralIndexKeys(1, referral);
  v1::Referral moved = referral;
  moved.set_unit("units/nongye");
  const std::string stale_referral_key = ReferralIndexKeys(1, moved)[1];
  ASSERT_EQ(stale_referral_key[0], 'u');
  rocksdb::ColumnFamilyHandle* stored_tickets = database_->family(Family::kTickets);
  const std::string flaw_record = Dump(*database_, Family::kTickets).at(TicketKey(2));
  v1::Ticket unlisted = flaw;
  unlisted.clear_referrals();
  v1::Referral with_trail = referral;
  *with_trail.add_trail() = AllEvents(2)[0];
  const std::string escalation_key = [&] {
    for (const IndexEntry& entry : entries) {
      if (entry.key[0] == 'e') return entry.key;
    }
    return std::string();
  }();
  ASSERT_FALSE(escalation_key.empty());

  struct Case {
    const char* what;
    std::function<rocksdb::Status()> damage;
    std::function<rocksdb::Status()> repair;
  };
  const rocksdb::WriteOptions write;
  const Case cases[] = {
      {"stale entry", [&] { return db->Put(write, index, stale_key, stage_entry(entries).value); },
       [&] { return db->Delete(write, index, stale_key); }},
      {"missing entry", [&] { return db->Delete(write, index, entries[0].key); },
       [&] { return db->Put(write, index, entries[0].key, entries[0].value); }},
      {"wrong value", [&] { return db->Put(write, index, entries[2].key, entries[0].value + "x"); },
       [&] { return db->Put(write, index, entries[2].key, entries[2].value); }},
      {"missing event", [&] { return db->Delete(write, events, EventKey(1, 2)); },
       [&] { return db->Put(write, events, EventKey(1, 2), second_event); }},
      {"event under the wrong sequence",
       [&] { return db->Put(write, events, EventKey(1, 3), second_event); },
       [&] { return db->Delete(write, events, EventKey(1, 3)); }},
      {"missing escalation entry", [&] { return db->Delete(write, index, escalation_key); },
       [&] { return db->Put(write, index, escalation_key, entries[0].value); }},
      {"event missing from the log", [&] { return db->Delete(write, log, first_key); },
       [&] { return db->Put(write, log, first_key, first_logged); }},
      {"event logged twice", [&] { return db->Put(write, log, TicketKey(99), first_logged); },
       [&] { return db->Delete(write, log, TicketKey(99)); }},
      {"log entry of a missing event",
       [&] { return db->Put(write, log, TicketKey(99), logged_missing_event); },
       [&] { return db->Delete(write, log, TicketKey(99)); }},
      {"ticket's events logged out of order",
       [&] {
         rocksdb::WriteBatch swap;
         swap.Put(log, first_key, second_logged);
         swap.Put(log, second_key, first_logged);
         return db->Write(write, &swap);
       },
       [&] {
         rocksdb::WriteBatch swap;
         swap.Put(log, first_key, first_logged);
         swap.Put(log, second_key, second_logged);
         return db->Write(write, &swap);
       }},
      {"missing referral index entry",
       [&] { return db->Delete(write, referrals, referral_index.back()); },
       [&] { return db->Put(write, referrals, referral_index.back(), ""); }},
      {"stale referral index entry",
       [&] { return db->Put(write, referrals, stale_referral_key, ""); },
       [&] { return db->Delete(write, referrals, stale_referral_key); }},
      {"referral stored with its trail",
       [&] { return db->Put(write, referrals, ReferralKey(1), EncodeRecord(with_trail)); },
       [&] { return db->Put(write, referrals, ReferralKey(1), referral_record); }},
      {"ticket that does not list its referral",
       [&] { return db->Put(write, stored_tickets, TicketKey(2), EncodeRecord(unlisted)); },
       [&] { return db->Put(write, stored_tickets, TicketKey(2), flaw_record); }},
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(c.damage().ok()) << c.what;
    EXPECT_FALSE(StoreIsConsistent(*database_)) << c.what;
    ASSERT_TRUE(c.repair().ok()) << c.what;
    EXPECT_TRUE(StoreIsConsistent(*database_)) << "after repairing " << c.what;
  }
}

TEST_F(TicketStoreAtomicTest, CreateWritesTicketEventAndIndexes) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye",
                                                         .cooperating = {"units/ziran"},
                                                         .indicator = "indicators/gengdi",
                                                         .location = "units/chengguan"}));
  EXPECT_EQ(created.name(), "tickets/1");
  EXPECT_EQ(created.etag(), "1");
  EXPECT_EQ(created.stage(), v1::STAGE_DEPLOY);
  EXPECT_FALSE(created.has_rollup());

  ASSERT_OK_AND_ASSIGN(v1::Ticket stored, tickets_->Get(1));
  EXPECT_EQ(stored.SerializeAsString(), created.SerializeAsString());
  const std::vector<v1::TicketEvent> events = AllEvents(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(events[0].sequence(), 1);
  // a, s, v, two units, i, l, the default inspection unit and the pending
  // reminder; nobody has signed yet, so no 'w'.
  std::map<char, int> by_tag;
  for (const auto& [key, value] : Dump(*database_, Family::kTicketIndex)) ++by_tag[key[0]];
  const std::map<char, int> expected = {{'a', 1}, {'s', 1}, {'v', 1}, {'u', 2},
                                        {'i', 1}, {'l', 1}, {'n', 1}, {'e', 1}};
  EXPECT_EQ(by_tag, expected);
  // The creation is logged.
  const std::vector<LoggedEvent> logged = WholeLog();
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].event.SerializeAsString(), events[0].SerializeAsString());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// One ticket walked around the loop twice; after every step the ticket, its
// history and its indexes agree.
TEST_F(TicketStoreAtomicTest, EveryTransitionKeepsTicketEventsAndIndexesInStep) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye",
                                                         .cooperating = {"units/ziran"},
                                                         .severity = v1::SEVERITY_MAJOR,
                                                         .location = "units/chengguan"}));
  const uint64_t id = TicketId(created);
  ASSERT_TRUE(StoreIsConsistent(*database_));

  struct Transition {
    const char* what;
    std::function<absl::StatusOr<v1::Ticket>()> run;
    v1::Stage stage;
    v1::EventType event;
  };
  const Transition steps[] = {
      {"sign", [&] { return Sign(id); }, v1::STAGE_IMPLEMENT, v1::EVENT_TYPE_SIGNED},
      {"report", [&] { return Report(id, "half way"); }, v1::STAGE_IMPLEMENT,
       v1::EVENT_TYPE_PROGRESS_REPORTED},
      {"submit", [&] { return Submit(id); }, v1::STAGE_INSPECT, v1::EVENT_TYPE_SUBMITTED},
      {"reject", [&] { return Review(id, false); }, v1::STAGE_FEEDBACK, v1::EVENT_TYPE_REJECTED},
      {"plan", [&] { return FilePlan(id); }, v1::STAGE_IMPROVE, v1::EVENT_TYPE_PLAN_FILED},
      {"report again", [&] { return Report(id, "fixing"); }, v1::STAGE_IMPROVE,
       v1::EVENT_TYPE_PROGRESS_REPORTED},
      {"submit again", [&] { return Submit(id); }, v1::STAGE_INSPECT, v1::EVENT_TYPE_SUBMITTED},
      {"accept", [&] { return Review(id, true); }, v1::STAGE_CLOSED, v1::EVENT_TYPE_ACCEPTED},
      {"reopen",
       [&] {
         v1::ReopenTicketRequest request;
         request.set_findings("looked again");
         return this->Step(id, Inspector(), request);
       },
       v1::STAGE_FEEDBACK, v1::EVENT_TYPE_REOPENED},
      {"plan after reopen", [&] { return FilePlan(id); }, v1::STAGE_IMPROVE,
       v1::EVENT_TYPE_PLAN_FILED},
      {"cancel", [&] { return Cancel(id); }, v1::STAGE_CANCELLED, v1::EVENT_TYPE_CANCELLED},
  };
  int64_t revision = 1;
  for (const Transition& step : steps) {
    now_ += absl::Hours(1);
    absl::StatusOr<v1::Ticket> result = step.run();
    ASSERT_TRUE(result.ok()) << step.what << ": " << result.status();
    ++revision;
    EXPECT_EQ(result->stage(), step.stage) << step.what;
    EXPECT_EQ(result->etag(), absl::StrCat(revision)) << step.what;

    ASSERT_OK_AND_ASSIGN(v1::Ticket stored, tickets_->Get(id));
    EXPECT_EQ(stored.SerializeAsString(), result->SerializeAsString()) << step.what;

    const std::vector<v1::TicketEvent> events = AllEvents(id, 3);
    ASSERT_EQ(events.size(), static_cast<size_t>(revision)) << step.what;
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].sequence(), static_cast<int64_t>(i + 1)) << step.what;
    }
    EXPECT_EQ(events.back().type(), step.event) << step.what;
    EXPECT_EQ(events.back().to_stage(), step.stage) << step.what;

    // Exactly one stage entry, for the stage the ticket is in now.
    const std::vector<std::string> stage_keys = StageKeys(id);
    ASSERT_EQ(stage_keys.size(), 1u) << step.what;
    EXPECT_EQ(stage_keys[0][1], static_cast<char>(step.stage)) << step.what;
    EXPECT_TRUE(StoreIsConsistent(*database_)) << step.what;
  }
}

TEST_F(TicketStoreAtomicTest, ReassigningTheLeadUnitMovesItsUnitEntries) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created,
                       CreateTicket({.lead = "units/nongye", .cooperating = {"units/ziran"}}));
  const uint64_t id = TicketId(created);
  v1::DisputeTicketRequest dispute;
  dispute.set_reason("not ours");
  ASSERT_TRUE(Step(id, StaffOf("units/nongye"), dispute).ok());
  v1::ResolveTicketDisputeRequest resolve;
  resolve.set_resolution(v1::DISPUTE_RESOLUTION_REASSIGN);
  resolve.set_new_lead_unit("units/ziran");
  ASSERT_OK_AND_ASSIGN(v1::Ticket reassigned, Step(id, Leader(), resolve));
  EXPECT_EQ(reassigned.lead_unit(), "units/ziran");
  EXPECT_EQ(reassigned.cooperating_units_size(), 0);
  EXPECT_TRUE(StoreIsConsistent(*database_));

  ASSERT_OK_AND_ASSIGN(TicketPage nongye, tickets_->List({.unit = "units/nongye"}, 10, ""));
  EXPECT_TRUE(nongye.tickets.empty());
  ASSERT_OK_AND_ASSIGN(TicketPage ziran, tickets_->List({.unit = "units/ziran"}, 10, ""));
  ASSERT_EQ(ziran.tickets.size(), 1u);
  EXPECT_EQ(ziran.tickets[0].name(), created.name());
}


// A change that leaves the index as it was writes no index entry: a
// progress report in IMPLEMENT writes the ticket and its event, each with
// its audit log entry, and nothing else (RocksDB numbers every put and
// delete of a write).
TEST_F(TicketStoreAtomicTest, AChangeThatMovesNoIndexEntryWritesNone) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const uint64_t id = TicketId(created);
  ASSERT_TRUE(Sign(id).ok());
  const auto index_before = Dump(*database_, Family::kTicketIndex);
  const rocksdb::SequenceNumber before = database_->db()->GetLatestSequenceNumber();
  ASSERT_TRUE(Report(id, "half the fields are re-surveyed").ok());
  EXPECT_EQ(database_->db()->GetLatestSequenceNumber() - before, 4u)
      << "the ticket, the event and their two log entries";
  EXPECT_TRUE(Dump(*database_, Family::kTicketIndex) == index_before);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}
// A refused mutation leaves every column family as it was.
TEST_F(TicketStoreAtomicTest, RefusedMutationWritesNothing) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const uint64_t id = TicketId(created);
  ASSERT_TRUE(Sign(id).ok());
  ASSERT_TRUE(Report(id, "started").ok());
  now_ += absl::Hours(1);

  struct Case {
    const char* what;
    std::function<absl::StatusOr<v1::Ticket>()> run;
    absl::StatusCode code;
  };
  const Case cases[] = {
      {"sign in the wrong stage", [&] { return Sign(id); }, absl::StatusCode::kFailedPrecondition},
      {"stale etag",
       [&] {
         v1::ReportTicketProgressRequest request;
         request.set_comment("late");
         request.set_etag("1");
         return Step(id, StaffOf("units/nongye"), request);
       },
       absl::StatusCode::kAborted},
      {"not the lead unit",
       [&] {
         v1::SubmitTicketRequest request;
         request.set_comment("not mine");
         return Step(id, StaffOf("units/ziran"), request);
       },
       absl::StatusCode::kPermissionDenied},
      {"mutate fails",
       [&] {
         return tickets_->Update(id, RequestKey{}, now_,
                                 [](const v1::Ticket&) -> absl::StatusOr<TicketChange> {
                                   return absl::UnavailableError("try later");
                                 });
       },
       absl::StatusCode::kUnavailable},
      {"mutate fails with a request id",
       [&] {
         return tickets_->Update(
             id,
             RequestKey{.principal = "principals/leader", .request_id = "r1", .fingerprint = "f"},
             now_, [](const v1::Ticket&) -> absl::StatusOr<TicketChange> {
               return absl::FailedPreconditionError("no");
             });
       },
       absl::StatusCode::kFailedPrecondition},
      {"inconsistent change (etag not bumped)",
       [&] {
         return tickets_->Update(id, RequestKey{}, now_,
                                 [&](const v1::Ticket& current) -> absl::StatusOr<TicketChange> {
                                   TicketChange change;
                                   change.ticket = current;
                                   change.ticket.set_title("sneaky");
                                   v1::TicketEvent& event = change.events.emplace_back();
                                   event.set_ticket(current.name());
                                   event.set_sequence(Revision(current));
                                   return change;
                                 });
       },
       absl::StatusCode::kInternal},
      {"change that touches another ticket's referral",
       [&] {
         return tickets_->Update(id, RequestKey{}, now_,
                                 [&](const v1::Ticket& current) -> absl::StatusOr<TicketChange> {
                                   TicketChange change;
                                   change.ticket = current;
                                   const int64_t next = Revision(current) + 1;
                                   change.ticket.set_etag(absl::StrCat(next));
                                   v1::TicketEvent& event = change.events.emplace_back();
                                   event.set_ticket(current.name());
                                   event.set_sequence(next);
                                   event.set_type(v1::EVENT_TYPE_PROGRESS_REPORTED);
                                   v1::Referral& other = change.referrals.emplace_back();
                                   other.set_name("referrals/77");
                                   other.set_ticket("tickets/99");
                                   return change;
                                 });
       },
       absl::StatusCode::kInternal},
      {"missing ticket",
       [&] {
         return tickets_->Update(99, RequestKey{}, now_,
                                 [](const v1::Ticket&) -> absl::StatusOr<TicketChange> {
                                   ADD_FAILURE() << "mutate called for a missing ticket";
                                   return absl::InternalError("unreachable");
                                 });
       },
       absl::StatusCode::kNotFound},
  };
  for (const Case& c : cases) {
    const auto before = Snapshot();
    ASSERT_OK_AND_ASSIGN(v1::Ticket ticket_before, tickets_->Get(id));
    absl::StatusOr<v1::Ticket> result = c.run();
    EXPECT_EQ(result.status().code(), c.code) << c.what << ": " << result.status();
    ASSERT_OK_AND_ASSIGN(v1::Ticket ticket_after, tickets_->Get(id));
    EXPECT_EQ(ticket_after.etag(), ticket_before.etag()) << c.what;
    EXPECT_EQ(ticket_after.SerializeAsString(), ticket_before.SerializeAsString()) << c.what;
    EXPECT_EQ(AllEvents(id).size(), 3u) << c.what;
    EXPECT_TRUE(Snapshot() == before) << c.what << " changed the stored bytes";
  }
  EXPECT_TRUE(StoreIsConsistent(*database_));
  // Cursors the refused writes held are skipped: the next event is read.
  ASSERT_OK_AND_ASSIGN(v1::Ticket reported, Report(id, "after the refusals"));
  const std::vector<LoggedEvent> logged = WholeLog();
  ASSERT_EQ(logged.size(), 4u);
  EXPECT_EQ(logged.back().event.comment(), "after the refusals");
  EXPECT_EQ(logged.back().event.etag(), reported.etag());
}

TEST_F(TicketStoreAtomicTest, RefusedCreateWritesNothing) {
  ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  const auto before =
      std::vector{Dump(*database_, Family::kTickets), Dump(*database_, Family::kEvents),
                  Dump(*database_, Family::kTicketIndex)};
  struct Case {
    const char* what;
    TicketSpec spec;
    absl::StatusCode code;
  };
  const Case cases[] = {
      {"unknown lead unit", {.lead = "units/nowhere"}, absl::StatusCode::kInvalidArgument},
      {"location not a township", {.location = "units/ziran"}, absl::StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::Ticket> result = CreateTicket(c.spec);
    EXPECT_EQ(result.status().code(), c.code) << c.what << ": " << result.status();
  }
  // A parent the store does not have, passed through to NewTicket.
  absl::StatusOr<v1::Ticket> orphan = tickets_->Create(RequestKey{}, now_, [&](uint64_t id) {
    TicketSpec spec{.parent = "tickets/77"};
    return NewTicket(id, CreateRequest(spec), nullptr, ContextFor(Leader()));
  });
  EXPECT_EQ(orphan.status().code(), absl::StatusCode::kInvalidArgument) << orphan.status();
  const auto after =
      std::vector{Dump(*database_, Family::kTickets), Dump(*database_, Family::kEvents),
                  Dump(*database_, Family::kTicketIndex)};
  EXPECT_TRUE(after == before);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(TicketStoreAtomicTest, GetOfAMissingTicketIsNotFoundNamingIt) {
  absl::StatusOr<v1::Ticket> missing = tickets_->Get(5);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("tickets/5"));
  EXPECT_EQ(ErrorReason(missing.status()), "TICKET_NOT_FOUND");
}

TEST_F(TicketStoreAtomicTest, ListEventsPagesInOrder) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const uint64_t id = TicketId(created);
  ASSERT_TRUE(Sign(id).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Report(id, absl::StrCat("report ", i)).ok());
  ASSERT_OK_AND_ASSIGN(v1::Ticket other, CreateTicket({.lead = "units/ziran"}));

  for (int page_size : {1, 2, 3, 7, 100}) {
    const std::vector<v1::TicketEvent> events = AllEvents(id, page_size);
    ASSERT_EQ(events.size(), 7u) << page_size;
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].sequence(), static_cast<int64_t>(i + 1)) << page_size;
      EXPECT_EQ(events[i].ticket(), created.name()) << page_size;
    }
    EXPECT_EQ(events[6].comment(), "report 4");
  }
  ASSERT_OK_AND_ASSIGN(EventPage first, tickets_->ListEvents(id, 2, ""));
  ASSERT_FALSE(first.next_page_token.empty());
  EXPECT_EQ(tickets_->ListEvents(TicketId(other), 2, first.next_page_token).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tickets_->ListEvents(id, 2, "garbage!").status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(EventPage all, tickets_->ListEvents(id, 7, ""));
  EXPECT_EQ(all.events.size(), 7u);
  EXPECT_TRUE(all.next_page_token.empty());
}

}  // namespace
}  // namespace duban::storage
