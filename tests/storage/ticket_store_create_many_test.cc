// TicketStore::CreateMany: several new tickets and another record (a draw)
// in one write — all of them or none.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/errors.h"
#include "domain/deadlines.h"
#include "domain/ticket_loop.h"
#include "storage/draw_store.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class CreateManyTest : public StoreFixture {
 protected:
  CreateManyTest() {
    units_.Add("chengguan-xijie", v1::UNIT_KIND_VILLAGE, "chengguan");
    units_.Add("chengguan-nanyuan", v1::UNIT_KIND_VILLAGE, "chengguan");
  }

  void SetUp() override {
    StoreFixture::SetUp();
    absl::StatusOr<std::unique_ptr<DrawStore>> draws = DrawStore::Open(database_.get());
    ASSERT_TRUE(draws.ok()) << draws.status();
    draws_ = *std::move(draws);
    tickets_->set_escalation_listener([this](absl::Time) { ++notified_; });
  }

  // Everything a write could have touched.
  std::vector<std::map<std::string, std::string>> Snapshot() {
    return {Dump(*database_, Family::kTickets),     Dump(*database_, Family::kEvents),
            Dump(*database_, Family::kTicketIndex), Dump(*database_, Family::kRequests),
            Dump(*database_, Family::kLog),         Dump(*database_, Family::kDraws),
            Dump(*database_, Family::kLedger)};
  }

  // What the draw service does: one inspection task per drawn village,
  // the draw listing them, staged in the same batch. `fail_after` (when
  // not negative) refuses once that many changes are built.
  absl::StatusOr<v1::Draw> DrawWithTickets(const std::vector<std::string>& villages,
                                           const RequestKey& key = RequestKey{},
                                           int fail_after = -1) {
    v1::Draw draw;
    draw.set_name(DrawName(draws_->NewDrawId()));
    draw.set_seed(2023);
    v1::DrawnTownship& drawn = *draw.add_townships();
    drawn.set_township("units/chengguan");
    drawn.set_tier(v1::TIER_NEAR);
    for (const std::string& village : villages) drawn.add_villages(village);
    const LoopContext context = ContextFor(Inspector());
    const Deadline due = WorkingDaysFromNow(context, 10);
    absl::StatusOr<std::string> reply = tickets_->CreateMany(
        key, now_, static_cast<int>(villages.size()),
        [&](const std::vector<uint64_t>& ids, AuditedBatch& batch,
            std::vector<TicketChange>& changes) -> absl::StatusOr<std::string> {
          ++builds_;
          draws_->Stage(batch, draw);  // staged first: a refusal must drop it too
          for (size_t i = 0; i < ids.size(); ++i) {
            if (fail_after >= 0 && static_cast<int>(i) == fail_after) {
              return absl::AbortedError("the directory changed");
            }
            changes.push_back(NewDrawTicket(ids[i], *units_.FindUnit("units/chengguan"),
                                            *units_.FindUnit(villages[i]), draw.name(), due,
                                            context));
            draw.add_tickets(changes.back().ticket.name());
          }
          draws_->Stage(batch, draw);
          return draw.SerializeAsString();
        });
    if (!reply.ok()) return reply.status();
    v1::Draw stored;
    if (!stored.ParseFromString(*reply)) return absl::DataLossError("reply does not parse");
    return stored;
  }

  std::unique_ptr<DrawStore> draws_;
  int notified_ = 0;
  int builds_ = 0;
};

TEST_F(CreateManyTest, CreatesEveryTicketAndTheDrawInOneWrite) {
  ASSERT_OK_AND_ASSIGN(v1::Draw draw,
                       DrawWithTickets({"units/chengguan-dongjie", "units/chengguan-xijie",
                                        "units/chengguan-nanyuan"}));
  EXPECT_THAT(draw.tickets(), ElementsAre("tickets/1", "tickets/2", "tickets/3"));
  ASSERT_OK_AND_ASSIGN(v1::Draw stored, draws_->Get(1));
  EXPECT_EQ(stored.SerializeAsString(), draw.SerializeAsString());

  const char* const villages[] = {"units/chengguan-dongjie", "units/chengguan-xijie",
                                  "units/chengguan-nanyuan"};
  for (uint64_t id = 1; id <= 3; ++id) {
    ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, tickets_->Get(id));
    EXPECT_EQ(ticket.kind(), v1::TICKET_KIND_TASK) << id;
    EXPECT_EQ(ticket.stage(), v1::STAGE_IMPLEMENT) << id << ": the drawer's unit takes it at once";
    EXPECT_EQ(ticket.lead_unit(), "units/ducha") << id;
    EXPECT_EQ(ticket.responsible_principal(), "principals/inspector") << id;
    EXPECT_FALSE(ticket.requires_inspection()) << id;
    EXPECT_EQ(ticket.location(), villages[id - 1]) << id;
    EXPECT_EQ(ticket.detail(), "spot-check draw draws/1") << id;
    EXPECT_THAT(AllEvents(id), SizeIs(1)) << id;
  }
  // One log entry per event, in ticket order.
  const std::vector<LoggedEvent> log = WholeLog();
  ASSERT_EQ(log.size(), 3u);
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].event.ticket(), TicketName(i + 1)) << i;
    EXPECT_EQ(log[i].event.type(), v1::EVENT_TYPE_CREATED) << i;
  }
  EXPECT_EQ(notified_, 3) << "the escalation listener hears of every new ticket";
  EXPECT_EQ(tickets_->last_ticket_id(), 3u);
  EXPECT_TRUE(StoreIsConsistent(*database_));

  // The next ticket, made one at a time, follows on.
  ASSERT_OK_AND_ASSIGN(v1::Ticket next, CreateTicket({}));
  EXPECT_EQ(next.name(), "tickets/4");
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(CreateManyTest, ARefusalWritesNothingAtAll) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket before, CreateTicket({}));
  const auto snapshot = Snapshot();
  const int notified = notified_;
  const RequestKey key{
      .principal = "principals/inspector", .request_id = "draw-1", .fingerprint = "f"};
  for (int fail_after : {0, 1, 2}) {
    absl::StatusOr<v1::Draw> refused = DrawWithTickets(
        {"units/chengguan-dongjie", "units/chengguan-xijie", "units/chengguan-nanyuan"}, key,
        fail_after);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kAborted) << fail_after;
    EXPECT_TRUE(Snapshot() == snapshot) << "refused after " << fail_after << " changes";
  }
  EXPECT_EQ(notified_, notified);
  EXPECT_FALSE(tickets_->Get(2).ok());
  absl::StatusOr<DrawPage> draws = draws_->List(10, "");
  ASSERT_TRUE(draws.ok());
  EXPECT_THAT(draws->draws, IsEmpty());
  EXPECT_TRUE(StoreIsConsistent(*database_));

  // The request id was not used up: the same request now succeeds.
  ASSERT_OK_AND_ASSIGN(v1::Draw draw, DrawWithTickets({"units/chengguan-dongjie"}, key));
  ASSERT_EQ(draw.tickets_size(), 1);
  EXPECT_TRUE(tickets_->Get(TicketId(before)).ok());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(CreateManyTest, ABadChangeWritesNothingAtAll) {
  const auto snapshot = Snapshot();
  struct Case {
    const char* what;
    // Spoils the changes built for ids 1 and 2.
    void (*spoil)(std::vector<TicketChange>&);
  } cases[] = {
      {"one change too few", [](std::vector<TicketChange>& c) { c.pop_back(); }},
      {"a change for another id",
       [](std::vector<TicketChange>& c) { c[1].ticket.set_name("tickets/99"); }},
      {"a ledger entry that does not trace back to its ticket",
       [](std::vector<TicketChange>& c) {
         v1::LedgerEntry& entry = c[1].ledger_entries.emplace_back();
         entry.set_name("ledgerEntries/1");
         entry.set_source_ticket("tickets/42");
       }},
  };
  for (const Case& c : cases) {
    const LoopContext context = ContextFor(Inspector());
    const Deadline due = WorkingDaysFromNow(context, 10);
    absl::StatusOr<std::string> reply = tickets_->CreateMany(
        RequestKey{}, now_, 2,
        [&](const std::vector<uint64_t>& ids, AuditedBatch& batch,
            std::vector<TicketChange>& changes) -> absl::StatusOr<std::string> {
          for (uint64_t id : ids) {
            changes.push_back(NewDrawTicket(id, *units_.FindUnit("units/chengguan"),
                                            *units_.FindUnit("units/chengguan-dongjie"), "draws/1",
                                            due, context));
          }
          c.spoil(changes);
          return std::string("reply");
        });
    EXPECT_FALSE(reply.ok()) << c.what;
    EXPECT_TRUE(Snapshot() == snapshot) << c.what;
  }
  EXPECT_EQ(notified_, 0);
}

// Create refuses a new ticket without its CREATED event ("a new ticket
// needs an event"); CreateMany must not let one reach the disk either.
TEST_F(CreateManyTest, ANewTicketWithoutEventsIsRefused) {
  const auto snapshot = Snapshot();
  const LoopContext context = ContextFor(Inspector());
  const Deadline due = WorkingDaysFromNow(context, 10);
  absl::StatusOr<std::string> reply = tickets_->CreateMany(
      RequestKey{}, now_, 1,
      [&](const std::vector<uint64_t>& ids, AuditedBatch& batch,
          std::vector<TicketChange>& changes) -> absl::StatusOr<std::string> {
        TicketChange change =
            NewDrawTicket(ids[0], *units_.FindUnit("units/chengguan"),
                          *units_.FindUnit("units/chengguan-dongjie"), "draws/1", due, context);
        change.events.clear();
        change.ticket.clear_etag();
        changes.push_back(std::move(change));
        return std::string("reply");
      });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(Snapshot() == snapshot);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(CreateManyTest, ARetryReturnsTheFirstAnswerAndCreatesNothingMore) {
  const RequestKey key{
      .principal = "principals/inspector", .request_id = "draw-7", .fingerprint = "seed 2023"};
  ASSERT_OK_AND_ASSIGN(v1::Draw first, DrawWithTickets({"units/chengguan-dongjie"}, key));
  const auto snapshot = Snapshot();
  ASSERT_OK_AND_ASSIGN(v1::Draw again,
                       DrawWithTickets({"units/chengguan-xijie", "units/chengguan-nanyuan"}, key));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(builds_, 1);
  EXPECT_TRUE(Snapshot() == snapshot);
  EXPECT_EQ(notified_, 1);
}

TEST_F(CreateManyTest, ZeroTicketsStoresOnlyTheOtherRecord) {
  ASSERT_OK_AND_ASSIGN(v1::Draw draw, DrawWithTickets({}));
  EXPECT_THAT(draw.tickets(), IsEmpty());
  EXPECT_TRUE(draws_->Get(1).ok());
  EXPECT_THAT(Dump(*database_, Family::kTickets), IsEmpty());
  EXPECT_THAT(WholeLog(), IsEmpty());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
