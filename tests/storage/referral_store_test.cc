// Referrals in the store: written with their ticket, listed through their
// indexes, decided through UpdateWithReply.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "base/time_convert.h"
#include "domain/referrals.h"
#include "storage/referral_keys.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

class ReferralStoreTest : public StoreFixture {
 protected:
  absl::StatusOr<v1::Ticket> FileHardFlaw(const std::string& lead) {
    return CreateTicket(
        {.kind = v1::TICKET_KIND_FINDING, .lead = lead, .severity = v1::SEVERITY_HARD_FLAW});
  }

  // Escalates ticket `id` through its whole ladder, which ends in a
  // referral.
  absl::StatusOr<v1::Ticket> EscalateToReferral(uint64_t id) {
    absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
    if (!ticket.ok()) return ticket.status();
    return EscalateAt(id, FireTimes(*ticket).at(v1::ESCALATION_LEVEL_REFERRAL));
  }

  // Records a disposition of referral `referral_id` (about ticket
  // `ticket_id`) as the discipline commission; the answer is the updated
  // referral.
  absl::StatusOr<v1::Referral> Decide(uint64_t ticket_id, uint64_t referral_id,
                                      const std::string& etag, const RequestKey& key = {}) {
    v1::DecideReferralRequest request;
    request.set_name(ReferralName(referral_id));
    request.set_etag(etag);
    request.set_request_id(key.request_id);
    request.set_kind(v1::DISPOSITION_KIND_TALK);
    request.set_reason("talked it through");
    const LoopContext context = ContextFor(Discipline());
    absl::StatusOr<std::string> reply = tickets_->UpdateWithReply(
        ticket_id, key, now_,
        [&](const v1::Ticket& current) -> absl::StatusOr<TicketChange> {
          absl::StatusOr<v1::Referral> referral = tickets_->GetReferral(referral_id);
          if (!referral.ok()) return referral.status();
          return Apply(current, *referral, request, context);
        },
        [](const TicketChange& change) {
          return change.referrals.empty() ? std::string() : change.referrals[0].SerializeAsString();
        });
    if (!reply.ok()) return reply.status();
    v1::Referral decided;
    if (!decided.ParseFromString(*reply)) return absl::DataLossError("reply does not parse");
    return decided;
  }

  // Names of every referral `query` lists, paging `page_size` at a time.
  std::vector<std::string> ListAll(const ReferralQuery& query, int page_size) {
    std::vector<std::string> names;
    std::string token;
    for (int page = 0; page < 1000; ++page) {
      absl::StatusOr<ReferralPage> listed = tickets_->ListReferrals(query, page_size, token);
      EXPECT_TRUE(listed.ok()) << listed.status();
      if (!listed.ok()) return names;
      EXPECT_LE(listed->referrals.size(), static_cast<size_t>(page_size));
      for (const v1::Referral& referral : listed->referrals) names.push_back(referral.name());
      token = listed->next_page_token;
      if (token.empty()) return names;
    }
    ADD_FAILURE() << "ListReferrals never ran out of pages";
    return names;
  }
};

TEST_F(ReferralStoreTest, HardFlawIsReferredInTheSameWriteAsTheTicket) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket flaw, FileHardFlaw("units/nongye"));
  ASSERT_EQ(flaw.referrals_size(), 1);
  EXPECT_EQ(flaw.referrals(0), "referrals/1");
  EXPECT_EQ(flaw.card(), v1::CARD_REFERRED);

  const std::vector<v1::TicketEvent> events = AllEvents(TicketId(flaw));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(events[1].type(), v1::EVENT_TYPE_REFERRED);
  EXPECT_EQ(events[1].referral(), "referrals/1");
  EXPECT_EQ(WholeLog().size(), 2u);

  ASSERT_OK_AND_ASSIGN(v1::Referral referral, tickets_->GetReferral(1));
  EXPECT_EQ(referral.name(), "referrals/1");
  EXPECT_EQ(referral.ticket(), flaw.name());
  EXPECT_EQ(referral.trigger(), v1::REFERRAL_TRIGGER_HARD_FLAW);
  EXPECT_EQ(referral.unit(), "units/nongye");
  EXPECT_EQ(referral.trail_until_sequence(), 2);
  EXPECT_TRUE(referral.trail().empty());
  EXPECT_TRUE(referral.dispositions().empty());
  EXPECT_EQ(referral.etag(), "1");

  struct Case {
    const char* what;
    ReferralQuery query;
    size_t count;
  };
  const Case cases[] = {
      {"all", {}, 1},
      {"its ticket", {.ticket = flaw.name()}, 1},
      {"its unit", {.unit = "units/nongye"}, 1},
      {"another unit", {.unit = "units/ziran"}, 0},
      {"undecided", {.decided = false}, 1},
      {"decided", {.decided = true}, 0},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(ReferralPage page, tickets_->ListReferrals(c.query, 10, ""));
    EXPECT_EQ(page.referrals.size(), c.count) << c.what;
  }
  EXPECT_TRUE(StoreIsConsistent(*database_));

  // A filing that is refused leaves no referral behind.
  EXPECT_FALSE(FileHardFlaw("units/nowhere").ok());
  ASSERT_OK_AND_ASSIGN(ReferralPage all, tickets_->ListReferrals({}, 10, ""));
  EXPECT_EQ(all.referrals.size(), 1u);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// The ladder's referral names the unit holding the ticket and, when that is
// the lead unit, who signed for it.
TEST_F(ReferralStoreTest, LadderReferralIsStoredWithTheFiringThatMadeIt) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket task, CreateTicket({.lead = "units/nongye"}));
  const uint64_t id = TicketId(task);
  ASSERT_OK_AND_ASSIGN(v1::Ticket signed_for, Sign(id));
  ASSERT_EQ(signed_for.responsible_principal(), "principals/staff-nongye");
  ASSERT_OK_AND_ASSIGN(v1::Ticket escalated, EscalateToReferral(id));
  ASSERT_EQ(escalated.referrals_size(), 1);
  const std::string name = escalated.referrals(0);

  ASSERT_OK_AND_ASSIGN(uint64_t referral_id, ParseReferralName(name, "name"));
  ASSERT_OK_AND_ASSIGN(v1::Referral referral, tickets_->GetReferral(referral_id));
  EXPECT_EQ(referral.trigger(), v1::REFERRAL_TRIGGER_LADDER);
  EXPECT_EQ(referral.ticket(), task.name());
  EXPECT_EQ(referral.unit(), "units/nongye");
  EXPECT_EQ(referral.responsible_principal(), "principals/staff-nongye");
  EXPECT_EQ(referral.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(FromTimestamp(referral.deadline()), FromTimestamp(escalated.stage_due_time()));

  // Exactly one event names it: the REFERRAL firing, the last of the change.
  int naming = 0;
  for (const v1::TicketEvent& event : AllEvents(id)) {
    if (event.referral() != name) continue;
    ++naming;
    EXPECT_EQ(event.type(), v1::EVENT_TYPE_ESCALATED);
    EXPECT_EQ(event.level(), v1::ESCALATION_LEVEL_REFERRAL);
    EXPECT_EQ(event.sequence(), Revision(escalated));
    EXPECT_EQ(referral.trail_until_sequence(), event.sequence());
  }
  EXPECT_EQ(naming, 1);
  ASSERT_OK_AND_ASSIGN(ReferralPage by_principal,
                       tickets_->ListReferrals({.principal = "principals/staff-nongye"}, 10, ""));
  ASSERT_EQ(by_principal.referrals.size(), 1u);
  EXPECT_EQ(by_principal.referrals[0].SerializeAsString(), referral.SerializeAsString());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(ReferralStoreTest, ListsAreNewestFirstByEveryIndexAndPage) {
  // referrals/1: tickets/1 (nongye), hard flaw — decided below.
  // referrals/2: tickets/2 (ziran), hard flaw.
  // referrals/3: tickets/3 (nongye, signed by staff-nongye), the ladder.
  // referrals/4: tickets/4 (nongye), hard flaw.
  // referrals/5: tickets/1 again, its ladder.
  ASSERT_OK_AND_ASSIGN(v1::Ticket first, FileHardFlaw("units/nongye"));
  ASSERT_TRUE(FileHardFlaw("units/ziran").ok());
  ASSERT_OK_AND_ASSIGN(v1::Ticket task, CreateTicket({.lead = "units/nongye"}));
  ASSERT_TRUE(Sign(TicketId(task)).ok());
  ASSERT_TRUE(EscalateToReferral(TicketId(task)).ok());
  ASSERT_TRUE(FileHardFlaw("units/nongye").ok());
  ASSERT_OK_AND_ASSIGN(v1::Ticket first_escalated, EscalateToReferral(TicketId(first)));
  ASSERT_EQ(first_escalated.referrals_size(), 2);
  ASSERT_EQ(first_escalated.referrals(1), "referrals/5");
  ASSERT_TRUE(Decide(TicketId(first), 1, "1").ok());

  const auto names = [](std::initializer_list<int> ids) {
    std::vector<std::string> out;
    for (int id : ids) out.push_back(ReferralName(id));
    return out;
  };
  struct Case {
    const char* what;
    ReferralQuery query;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"all", {}, names({5, 4, 3, 2, 1})},
      {"unit nongye", {.unit = "units/nongye"}, names({5, 4, 3, 1})},
      {"unit ziran", {.unit = "units/ziran"}, names({2})},
      {"unit with none", {.unit = "units/chengguan"}, {}},
      {"principal", {.principal = "principals/staff-nongye"}, names({3})},
      {"ticket", {.ticket = first.name()}, names({5, 1})},
      {"undecided", {.decided = false}, names({5, 4, 3, 2})},
      {"decided", {.decided = true}, names({1})},
      {"unit and decided", {.unit = "units/nongye", .decided = true}, names({1})},
      {"ticket and undecided", {.ticket = first.name(), .decided = false}, names({5})},
      {"unit and principal", {.unit = "units/ziran", .principal = "principals/staff-nongye"}, {}},
  };
  for (const Case& c : cases) {
    for (int page_size : {1, 2, 3, 100}) {
      EXPECT_EQ(ListAll(c.query, page_size), c.expected) << c.what << ", pages of " << page_size;
    }
  }
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(ReferralStoreTest, TokenFromAnotherQueryIsInvalidArgument) {
  for (const char* lead : {"units/nongye", "units/nongye", "units/ziran", "units/ziran"}) {
    ASSERT_TRUE(FileHardFlaw(lead).ok());
  }
  ASSERT_OK_AND_ASSIGN(ReferralPage nongye,
                       tickets_->ListReferrals({.unit = "units/nongye"}, 1, ""));
  ASSERT_FALSE(nongye.next_page_token.empty());
  ASSERT_OK_AND_ASSIGN(ReferralPage undecided, tickets_->ListReferrals({.decided = false}, 1, ""));
  ASSERT_FALSE(undecided.next_page_token.empty());

  struct Case {
    const char* what;
    ReferralQuery query;
    std::string token;
  };
  const Case cases[] = {
      {"another unit", {.unit = "units/ziran"}, nongye.next_page_token},
      {"no filter", {}, nongye.next_page_token},
      {"unit plus decided", {.unit = "units/nongye", .decided = false}, nongye.next_page_token},
      {"decided instead of undecided", {.decided = true}, undecided.next_page_token},
      {"garbage", {.unit = "units/nongye"}, "not-a-token"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(tickets_->ListReferrals(c.query, 1, c.token).status().code(),
              absl::StatusCode::kInvalidArgument)
        << c.what;
  }
  // Its own query takes it.
  ASSERT_OK_AND_ASSIGN(ReferralPage second, tickets_->ListReferrals({.unit = "units/nongye"}, 1,
                                                                    nongye.next_page_token));
  ASSERT_EQ(second.referrals.size(), 1u);
  EXPECT_EQ(second.referrals[0].name(), "referrals/1");
}

TEST_F(ReferralStoreTest, DecisionMovesTheReferralOutOfTheUndecidedIndex) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket flaw, FileHardFlaw("units/nongye"));
  const uint64_t id = TicketId(flaw);
  const RequestKey key{
      .principal = "principals/jiwei", .request_id = "decide-1", .fingerprint = "f"};
  ASSERT_OK_AND_ASSIGN(v1::Referral decided, Decide(id, 1, "1", key));
  EXPECT_EQ(decided.name(), "referrals/1");
  EXPECT_EQ(decided.etag(), "2");
  ASSERT_EQ(decided.dispositions_size(), 1);
  EXPECT_EQ(decided.dispositions(0).kind(), v1::DISPOSITION_KIND_TALK);
  EXPECT_EQ(decided.dispositions(0).decided_by(), "principals/jiwei");
  ASSERT_OK_AND_ASSIGN(v1::Referral stored, tickets_->GetReferral(1));
  EXPECT_EQ(stored.SerializeAsString(), decided.SerializeAsString());

  const std::vector<v1::TicketEvent> events = AllEvents(id);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].type(), v1::EVENT_TYPE_REFERRAL_DECIDED);
  EXPECT_EQ(events[2].referral(), "referrals/1");
  ASSERT_OK_AND_ASSIGN(v1::Ticket after, tickets_->Get(id));
  EXPECT_EQ(after.referrals_size(), 1);
  EXPECT_EQ(WholeLog().back().event.type(), v1::EVENT_TYPE_REFERRAL_DECIDED);

  ASSERT_OK_AND_ASSIGN(ReferralPage undecided, tickets_->ListReferrals({.decided = false}, 10, ""));
  EXPECT_TRUE(undecided.referrals.empty());
  ASSERT_OK_AND_ASSIGN(ReferralPage decided_page,
                       tickets_->ListReferrals({.decided = true}, 10, ""));
  ASSERT_EQ(decided_page.referrals.size(), 1u);
  EXPECT_EQ(decided_page.referrals[0].etag(), "2");
  for (const std::string& index_key : ReferralIndexKeys(1, decided)) {
    EXPECT_NE(index_key[0], 'o');
  }
  EXPECT_TRUE(StoreIsConsistent(*database_));

  // A retry gets the first answer and writes nothing; a stale etag is
  // refused and writes nothing.
  const auto before =
      std::vector{Dump(*database_, Family::kTickets), Dump(*database_, Family::kEvents),
                  Dump(*database_, Family::kLog), Dump(*database_, Family::kReferrals)};
  ASSERT_OK_AND_ASSIGN(v1::Referral retried, Decide(id, 1, "1", key));
  EXPECT_EQ(retried.SerializeAsString(), decided.SerializeAsString());
  absl::StatusOr<v1::Referral> stale = Decide(id, 1, "1");
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
  const auto after_both =
      std::vector{Dump(*database_, Family::kTickets), Dump(*database_, Family::kEvents),
                  Dump(*database_, Family::kLog), Dump(*database_, Family::kReferrals)};
  EXPECT_TRUE(after_both == before);
}

TEST_F(ReferralStoreTest, ReferralIdsContinueAfterReopen) {
  EXPECT_EQ(tickets_->NewReferralId(), 1u);  // taken, never stored: a harmless gap
  ASSERT_OK_AND_ASSIGN(v1::Ticket first, FileHardFlaw("units/nongye"));
  ASSERT_OK_AND_ASSIGN(v1::Ticket second, FileHardFlaw("units/ziran"));
  ASSERT_EQ(second.referrals(0), "referrals/3");
  ASSERT_NO_FATAL_FAILURE(ReopenStores());

  EXPECT_GT(tickets_->NewReferralId(), 3u);
  ASSERT_OK_AND_ASSIGN(v1::Ticket third, FileHardFlaw("units/nongye"));
  ASSERT_OK_AND_ASSIGN(uint64_t third_id, ParseReferralName(third.referrals(0), "name"));
  EXPECT_GT(third_id, 3u);
  ASSERT_OK_AND_ASSIGN(v1::Referral kept, tickets_->GetReferral(2));
  EXPECT_EQ(kept.ticket(), first.name());
  EXPECT_EQ(tickets_->GetReferral(1).status().code(), absl::StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(ReferralPage all, tickets_->ListReferrals({}, 10, ""));
  EXPECT_EQ(all.referrals.size(), 3u);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
