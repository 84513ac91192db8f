// Sweeps of the escalation ladder through the store: each level fires once
// per ticket and stage cycle, however sweeps overlap, stop or restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

constexpr v1::EscalationLevel kLevels[] = {v1::ESCALATION_LEVEL_REMINDER,
                                           v1::ESCALATION_LEVEL_YELLOW, v1::ESCALATION_LEVEL_RED,
                                           v1::ESCALATION_LEVEL_REFERRAL};

class EscalationSweepTest : public StoreFixture {
 protected:
  // What the sweeper does: fires what is due at `as_of` on each ticket
  // DueForEscalation names, stopping after `stop_after` tickets.
  absl::Status Sweep(absl::Time as_of, int stop_after = INT_MAX) {
    absl::StatusOr<std::vector<uint64_t>> due = tickets_->DueForEscalation(as_of, 1000);
    if (!due.ok()) return due.status();
    int swept = 0;
    for (uint64_t id : *due) {
      if (swept++ == stop_after) break;
      absl::StatusOr<v1::Ticket> escalated = EscalateAt(id, as_of);
      if (!escalated.ok() && !absl::IsNotFound(escalated.status())) return escalated.status();
    }
    return absl::OkStatus();
  }

  // ESCALATED events of ticket `id` by level.
  std::map<v1::EscalationLevel, int> FiringsOf(uint64_t id) {
    std::map<v1::EscalationLevel, int> firings;
    for (const v1::TicketEvent& event : AllEvents(id)) {
      if (event.type() == v1::EVENT_TYPE_ESCALATED) ++firings[event.level()];
    }
    return firings;
  }

  // Each ticket's escalation records name each (stage cycle, level) once,
  // and there is one ESCALATED event per record.
  ::testing::AssertionResult OncePerCycle(uint64_t id) {
    absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
    if (!ticket.ok()) return ::testing::AssertionFailure() << ticket.status();
    std::set<std::pair<int64_t, int>> seen;
    std::map<v1::EscalationLevel, int> recorded;
    for (const v1::EscalationRecord& record : ticket->escalations()) {
      if (!seen.emplace(record.stage_cycle(), record.level()).second) {
        return ::testing::AssertionFailure()
               << ticket->name() << " fired " << v1::EscalationLevel_Name(record.level())
               << " twice in stage cycle " << record.stage_cycle();
      }
      ++recorded[record.level()];
    }
    if (recorded != FiringsOf(id)) {
      return ::testing::AssertionFailure()
             << ticket->name() << " has escalation records and ESCALATED events that differ";
    }
    return ::testing::AssertionSuccess();
  }

  // Makes `count` tickets in DEPLOY; returns their ids and the time by
  // which every level of every one of them is due.
  std::pair<std::vector<uint64_t>, absl::Time> MakeTickets(int count) {
    std::vector<uint64_t> ids;
    absl::Time all_due = absl::InfinitePast();
    for (int i = 0; i < count; ++i) {
      absl::StatusOr<v1::Ticket> created =
          CreateTicket({.title = absl::StrCat("ticket ", i),
                        .lead = i % 2 == 0 ? "units/nongye" : "units/chengguan",
                        .stage_days = 1 + i % 3});
      EXPECT_TRUE(created.ok()) << created.status();
      if (!created.ok()) continue;
      ids.push_back(TicketId(*created));
      all_due = std::max(all_due, FireTimes(*created).at(v1::ESCALATION_LEVEL_REFERRAL));
    }
    return {ids, all_due};
  }

  void ExpectEachLevelFiredOnce(const std::vector<uint64_t>& ids, const std::string& what) {
    for (uint64_t id : ids) {
      const std::map<v1::EscalationLevel, int> firings = FiringsOf(id);
      for (v1::EscalationLevel level : kLevels) {
        auto found = firings.find(level);
        EXPECT_EQ(found == firings.end() ? 0 : found->second, 1)
            << what << ": tickets/" << id << " " << v1::EscalationLevel_Name(level);
      }
      EXPECT_TRUE(OncePerCycle(id)) << what;
      absl::StatusOr<ReferralPage> referrals =
          tickets_->ListReferrals({.ticket = TicketName(id)}, 10, "");
      ASSERT_TRUE(referrals.ok()) << referrals.status();
      EXPECT_EQ(referrals->referrals.size(), 1u) << what << ": tickets/" << id;
      absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
      ASSERT_TRUE(ticket.ok());
      EXPECT_EQ(ticket->referrals_size(), 1) << what << ": tickets/" << id;
      EXPECT_FALSE(IsSet(ticket->next_escalation_time())) << what << ": tickets/" << id;
    }
  }
};

// Two sweeps over the same due tickets at once, each stepping through the
// levels' times: every level fires once per ticket, one referral each.
TEST_F(EscalationSweepTest, ConcurrentSweepsFireEachLevelOnce) {
  const auto made = MakeTickets(6);
  const std::vector<uint64_t>& ids = made.first;
  const absl::Time all_due = made.second;
  ASSERT_EQ(ids.size(), 6u);
  // The times at which some level of some ticket comes due, in order.
  std::set<absl::Time> times;
  for (uint64_t id : ids) {
    for (const auto& [level, time] : FireTimes(*tickets_->Get(id))) times.insert(time);
  }
  std::vector<absl::Status> results(2);
  std::vector<std::thread> sweepers;
  for (int s = 0; s < 2; ++s) {
    sweepers.emplace_back([&, s] {
      for (absl::Time as_of : times) {
        absl::Status swept = Sweep(as_of);
        if (!swept.ok()) results[s] = swept;
      }
    });
  }
  for (std::thread& sweeper : sweepers) sweeper.join();
  for (const absl::Status& result : results) EXPECT_TRUE(result.ok()) << result;

  ExpectEachLevelFiredOnce(ids, "two sweeps");
  ASSERT_OK_AND_ASSIGN(ReferralPage all, tickets_->ListReferrals({}, 100, ""));
  EXPECT_EQ(all.referrals.size(), ids.size());
  int escalated = 0;
  for (const LoggedEvent& logged : WholeLog()) {
    escalated += logged.event.type() == v1::EVENT_TYPE_ESCALATED;
  }
  EXPECT_EQ(escalated, static_cast<int>(ids.size() * std::size(kLevels)));
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> due, tickets_->DueForEscalation(all_due, 100));
  EXPECT_TRUE(due.empty());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// The same as a race: both sweeps go straight to the time when everything
// is due, so each ticket's four levels are fought over in one step.
TEST_F(EscalationSweepTest, ConcurrentSweepsAtOneTimeFireEachLevelOnce) {
  const auto made = MakeTickets(6);
  const std::vector<uint64_t>& ids = made.first;
  const absl::Time all_due = made.second;
  ASSERT_EQ(ids.size(), 6u);
  std::vector<absl::Status> results(2);
  std::thread first([&] { results[0] = Sweep(all_due); });
  std::thread second([&] { results[1] = Sweep(all_due); });
  first.join();
  second.join();
  for (const absl::Status& result : results) EXPECT_TRUE(result.ok()) << result;
  ExpectEachLevelFiredOnce(ids, "two sweeps at once");
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// A sweep that stops half-way (a crash, a limit, a shutdown), then a full
// one — with the database closed and reopened in between or not.
TEST_F(EscalationSweepTest, InterruptedSweepThenFullSweepFiresEachLevelOnce) {
  struct Case {
    const char* what;
    int stop_after;
    bool reopen;
  };
  const Case cases[] = {
      {"stopped after 2 of 4", 2, false},
      {"stopped after 2 of 4, reopened", 2, true},
      {"stopped after 3 of 4, reopened", 3, true},
      {"not stopped, reopened, swept again", INT_MAX, true},
  };
  for (const Case& c : cases) {
    // Earlier cases' tickets have nothing left to fire.
    const auto made = MakeTickets(4);
    const std::vector<uint64_t>& ids = made.first;
    const absl::Time all_due = made.second;
    ASSERT_EQ(ids.size(), 4u);
    ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> due, tickets_->DueForEscalation(all_due, 100));
    ASSERT_EQ(due.size(), ids.size()) << c.what;

    ASSERT_TRUE(Sweep(all_due, c.stop_after).ok()) << c.what;
    // The first stop_after due tickets have fired everything, the rest nothing.
    for (size_t i = 0; i < due.size(); ++i) {
      const size_t fired = FiringsOf(due[i]).size();
      EXPECT_EQ(fired, static_cast<int>(i) < c.stop_after ? 4u : 0u)
          << c.what << ": tickets/" << due[i];
    }
    if (c.reopen) {
      ASSERT_NO_FATAL_FAILURE(ReopenStores());
    }
    ASSERT_TRUE(Sweep(all_due).ok()) << c.what;
    ExpectEachLevelFiredOnce(ids, c.what);
    EXPECT_TRUE(StoreIsConsistent(*database_)) << c.what;
  }
}

// A granted extension starts a new stage cycle: the reminder may fire
// again, once, however many sweeps run.
TEST_F(EscalationSweepTest, ALevelFiresAgainOnlyInANewStageCycle) {
  // A finding, in FEEDBACK: a stage the lead unit may ask more time in.
  ASSERT_OK_AND_ASSIGN(
      v1::Ticket created,
      CreateTicket({.kind = v1::TICKET_KIND_FINDING, .lead = "units/nongye", .stage_days = 2}));
  const uint64_t id = TicketId(created);
  const absl::Time reminder = FireTimes(created).at(v1::ESCALATION_LEVEL_REMINDER);
  const absl::Time deadline = FromTimestamp(created.stage_due_time());
  ASSERT_LT(reminder, deadline);
  ASSERT_TRUE(Sweep(reminder).ok());
  ASSERT_TRUE(Sweep(reminder).ok());
  EXPECT_EQ(FiringsOf(id)[v1::ESCALATION_LEVEL_REMINDER], 1);

  now_ = reminder + absl::Hours(1);
  v1::RequestExtensionRequest ask;
  ask.set_reason("the rain");
  *ask.mutable_proposed_due_time() = ToTimestamp(deadline + absl::Hours(24 * 7));
  absl::StatusOr<v1::Ticket> asked = Step(id, StaffOf("units/nongye"), ask);
  ASSERT_TRUE(asked.ok()) << asked.status();
  v1::DecideExtensionRequest grant;
  grant.set_decision(v1::EXTENSION_DECISION_GRANT);
  ASSERT_OK_AND_ASSIGN(v1::Ticket extended, Step(id, Leader(), grant));
  ASSERT_EQ(extended.stage_cycle(), created.stage_cycle() + 1);
  ASSERT_TRUE(extended.fired_levels().empty());
  const absl::Time second_reminder = FireTimes(extended).at(v1::ESCALATION_LEVEL_REMINDER);
  EXPECT_EQ(FromTimestamp(extended.next_escalation_time()), second_reminder);

  std::vector<absl::Status> results(3);
  std::vector<std::thread> sweepers;
  for (int s = 0; s < 3; ++s) {
    sweepers.emplace_back([&, s] { results[s] = Sweep(second_reminder); });
  }
  for (std::thread& sweeper : sweepers) sweeper.join();
  for (const absl::Status& result : results) EXPECT_TRUE(result.ok()) << result;
  ASSERT_NO_FATAL_FAILURE(ReopenStores());
  ASSERT_TRUE(Sweep(second_reminder).ok());

  const std::map<v1::EscalationLevel, int> firings = FiringsOf(id);
  EXPECT_EQ(firings, (std::map<v1::EscalationLevel, int>{{v1::ESCALATION_LEVEL_REMINDER, 2}}));
  EXPECT_TRUE(OncePerCycle(id));
  ASSERT_OK_AND_ASSIGN(v1::Ticket after, tickets_->Get(id));
  ASSERT_EQ(after.escalations_size(), 2);
  EXPECT_NE(after.escalations(0).stage_cycle(), after.escalations(1).stage_cycle());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
