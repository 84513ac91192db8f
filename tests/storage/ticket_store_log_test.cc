// The event log as TicketStore writes and reads it: every event once, in
// commit order, among the other records the audit log holds.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/escalation_ladder.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

constexpr absl::Duration kGenerous = absl::Seconds(60);

class TicketStoreLogTest : public StoreFixture {
 protected:
  // Follows the log from the start until it has read `expected` events,
  // `page_size` at a time, waiting when it has caught up. Checks that no
  // cursor comes back at or below one already seen.
  std::vector<LoggedEvent> Follow(size_t expected, int page_size) {
    std::vector<LoggedEvent> seen;
    uint64_t after = 0;
    while (seen.size() < expected) {
      uint64_t through = after;
      absl::StatusOr<std::vector<LoggedEvent>> batch =
          tickets_->ReadLog(after, page_size, &through);
      if (!batch.ok()) {
        ADD_FAILURE() << batch.status();
        break;
      }
      if (batch->empty()) {
        after = std::max(after, through);  // past the log's other records
        if (!tickets_->log().WaitBeyond(after, kGenerous)) {
          ADD_FAILURE() << "no event after cursor " << after << " within " << kGenerous;
          break;
        }
        continue;
      }
      EXPECT_LE(batch->size(), static_cast<size_t>(page_size));
      for (LoggedEvent& logged : *batch) {
        EXPECT_GT(logged.cursor, after) << "cursor went back after " << seen.size() << " events";
        after = std::max(after, logged.cursor);
        seen.push_back(std::move(logged));
      }
      if (batch->size() == static_cast<size_t>(page_size)) {
        EXPECT_EQ(through, after) << "a full page ends at its last event";
      } else {
        EXPECT_GE(through, after);
        after = through;
      }
    }
    return seen;
  }
};

// Writers on many tickets at once; two readers follow the log while they
// write. Everyone ends up with the same log: every event exactly once,
// cursors strictly increasing, each ticket's events in sequence order.
TEST_F(TicketStoreLogTest, ConcurrentWritersLogEveryEventOnceInOrder) {
  constexpr int kThreads = 4;
  constexpr int kTasksPerThread = 2;
  constexpr int kReportsPerTask = 2;
  // Per task: created, signed, the reports; per thread one hard flaw:
  // created and referred.
  constexpr size_t kExpected = kThreads * (kTasksPerThread * (2 + kReportsPerTask) + 2);

  std::vector<LoggedEvent> followed_one_by_one;
  std::vector<LoggedEvent> followed_in_sevens;
  std::thread follower_one([&] { followed_one_by_one = Follow(kExpected, 1); });
  std::thread follower_seven([&] { followed_in_sevens = Follow(kExpected, 7); });

  std::vector<std::thread> writers;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      const std::string lead = t % 2 == 0 ? "units/nongye" : "units/ziran";
      for (int k = 0; k < kTasksPerThread; ++k) {
        absl::StatusOr<v1::Ticket> task =
            CreateTicket({.title = absl::StrCat("thread ", t, " task ", k), .lead = lead});
        if (!task.ok() || !Sign(TicketId(*task)).ok()) {
          ++failures[t];
          continue;
        }
        for (int r = 0; r < kReportsPerTask; ++r) {
          if (!Report(TicketId(*task), absl::StrCat("report ", r)).ok()) ++failures[t];
        }
      }
      if (!CreateTicket({.kind = v1::TICKET_KIND_FINDING,
                         .title = absl::StrCat("thread ", t, " flaw"),
                         .lead = lead,
                         .severity = v1::SEVERITY_HARD_FLAW})
               .ok()) {
        ++failures[t];
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  follower_one.join();
  follower_seven.join();
  for (int t = 0; t < kThreads; ++t) ASSERT_EQ(failures[t], 0) << "thread " << t;

  // Every stored event, by ticket and sequence.
  std::map<std::pair<std::string, int64_t>, std::string> stored;
  for (uint64_t id = 1; id <= tickets_->last_ticket_id(); ++id) {
    for (const v1::TicketEvent& event : AllEvents(id)) {
      stored.emplace(std::make_pair(event.ticket(), event.sequence()), event.SerializeAsString());
    }
  }
  ASSERT_EQ(stored.size(), kExpected);

  const std::vector<LoggedEvent> log = WholeLog(0, 5);
  ASSERT_EQ(log.size(), kExpected);
  std::set<std::pair<std::string, int64_t>> logged;
  std::map<std::string, int64_t> last_sequence;
  uint64_t previous_cursor = 0;
  for (const LoggedEvent& entry : log) {
    EXPECT_GT(entry.cursor, previous_cursor);
    previous_cursor = entry.cursor;
    const auto key = std::make_pair(entry.event.ticket(), entry.event.sequence());
    EXPECT_TRUE(logged.insert(key).second) << entry.event.name() << " is logged twice";
    auto found = stored.find(key);
    ASSERT_NE(found, stored.end()) << entry.event.name() << " is logged but not stored";
    EXPECT_EQ(entry.event.SerializeAsString(), found->second) << entry.event.name();
    EXPECT_EQ(entry.event.sequence(), ++last_sequence[entry.event.ticket()])
        << entry.event.name() << " is out of its ticket's order";
  }
  EXPECT_EQ(logged.size(), stored.size());

  // The followers saw the same log, in the same order, while it was written.
  for (const std::vector<LoggedEvent>* followed : {&followed_one_by_one, &followed_in_sevens}) {
    ASSERT_EQ(followed->size(), log.size());
    for (size_t i = 0; i < log.size(); ++i) {
      EXPECT_EQ((*followed)[i].cursor, log[i].cursor) << i;
      EXPECT_EQ((*followed)[i].event.name(), log[i].event.name()) << i;
    }
  }
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// One change with several events takes a run of consecutive cursors.
TEST_F(TicketStoreLogTest, EventsOfOneChangeAreConsecutive) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket task, CreateTicket({.lead = "units/nongye"}));
  ASSERT_OK_AND_ASSIGN(v1::Ticket flaw, CreateTicket({.kind = v1::TICKET_KIND_FINDING,
                                                      .lead = "units/ziran",
                                                      .severity = v1::SEVERITY_HARD_FLAW}));
  // All four levels of the task's ladder at once.
  const std::map<v1::EscalationLevel, absl::Time> fire = FireTimes(task);
  ASSERT_EQ(fire.size(), 4u);
  ASSERT_OK_AND_ASSIGN(v1::Ticket escalated,
                       EscalateAt(TicketId(task), fire.at(v1::ESCALATION_LEVEL_REFERRAL)));
  ASSERT_EQ(escalated.etag(), "5");

  const std::vector<LoggedEvent> log = WholeLog();
  ASSERT_EQ(log.size(), 7u);
  struct Expected {
    uint64_t cursor;  // counting events only
    std::string ticket;
    v1::EventType type;
  };
  const Expected expected[] = {
      {1, task.name(), v1::EVENT_TYPE_CREATED},   {2, flaw.name(), v1::EVENT_TYPE_CREATED},
      {3, flaw.name(), v1::EVENT_TYPE_REFERRED},  {4, task.name(), v1::EVENT_TYPE_ESCALATED},
      {5, task.name(), v1::EVENT_TYPE_ESCALATED}, {6, task.name(), v1::EVENT_TYPE_ESCALATED},
      {7, task.name(), v1::EVENT_TYPE_ESCALATED},
  };
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].event.ticket(), expected[i].ticket) << i;
    EXPECT_EQ(log[i].event.type(), expected[i].type) << i;
    if (i == 0) continue;
    // A change's events take consecutive cursors; its ticket (and
    // referral) records follow them, before the next change's.
    const bool same_change = expected[i].cursor == 3 || expected[i].cursor >= 5;
    if (same_change) {
      EXPECT_EQ(log[i].cursor, log[i - 1].cursor + 1) << i;
    } else {
      EXPECT_GT(log[i].cursor, log[i - 1].cursor + 1) << i;
    }
  }
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// A retried request, a change that changes nothing, and a change without
// events (a rescheduled ladder) add no event to the log; the last logs the
// ticket's new version only.
TEST_F(TicketStoreLogTest, WritesWithoutEventsAddNothingToTheLog) {
  const RequestKey retried{
      .principal = "principals/leader", .request_id = "create-1", .fingerprint = "f"};
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}, retried));
  const uint64_t id = TicketId(created);
  ASSERT_EQ(WholeLog().size(), 1u);

  struct Case {
    const char* what;
    std::function<absl::StatusOr<v1::Ticket>()> run;
    bool ticket_changes;
  };
  v1::EscalationPolicy without_reminder = policy_;
  without_reminder.mutable_ladder()->erase(without_reminder.mutable_ladder()->begin());
  const Case cases[] = {
      {"retried create", [&] { return CreateTicket({.lead = "units/nongye"}, retried); }, false},
      {"change that changes nothing",
       [&] {
         return tickets_->Update(id, RequestKey{}, now_, [](const v1::Ticket& current) {
           return absl::StatusOr<TicketChange>(TicketChange{current, {}, {}});
         });
       },
       false},
      {"escalation with nothing due", [&] { return EscalateAt(id, now_ + absl::Minutes(1)); },
       false},
      {"reschedule under a policy without the reminder",
       [&] {
         LoopContext context = ContextFor(Scheduler());
         context.policy = &without_reminder;
         return tickets_->Update(id, RequestKey{}, now_, [&](const v1::Ticket& current) {
           return absl::StatusOr<TicketChange>(Reschedule(current, context));
         });
       },
       true},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(v1::Ticket before, tickets_->Get(id));
    const auto events_before = Dump(*database_, Family::kEvents);
    const auto log_before = Dump(*database_, Family::kLog);
    absl::StatusOr<v1::Ticket> result = c.run();
    ASSERT_TRUE(result.ok()) << c.what << ": " << result.status();
    ASSERT_OK_AND_ASSIGN(v1::Ticket after, tickets_->Get(id));
    EXPECT_EQ(after.etag(), before.etag()) << c.what;
    EXPECT_EQ(after.SerializeAsString() != before.SerializeAsString(), c.ticket_changes) << c.what;
    EXPECT_TRUE(Dump(*database_, Family::kEvents) == events_before) << c.what;
    // Only a changed ticket's new version is logged.
    EXPECT_EQ(Dump(*database_, Family::kLog).size(), log_before.size() + (c.ticket_changes ? 1 : 0))
        << c.what;
  }
  EXPECT_EQ(WholeLog().size(), 1u);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// A change refused after its cursors were reserved (here: it names another
// ticket's referral, which Stage checks after reserving) must not leave a
// follower that has read everything believing there is more: WatchEvents
// would spin between an empty ReadLog and a WaitBeyond that returns at once.
TEST_F(TicketStoreLogTest, RefusedChangeLeavesAFollowerNothingToWakeFor) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const std::vector<LoggedEvent> before = WholeLog();
  ASSERT_EQ(before.size(), 1u);
  absl::StatusOr<v1::Ticket> refused =
      tickets_->Update(TicketId(created), RequestKey{}, now_,
                       [&](const v1::Ticket& current) -> absl::StatusOr<TicketChange> {
                         TicketChange change{current, {}, {}};
                         const int64_t next = Revision(current) + 1;
                         change.ticket.set_etag(absl::StrCat(next));
                         v1::TicketEvent& event = change.events.emplace_back();
                         event.set_ticket(current.name());
                         event.set_sequence(next);
                         v1::Referral& other = change.referrals.emplace_back();
                         other.set_name("referrals/5");
                         other.set_ticket("tickets/9");
                         return change;
                       });
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInternal) << refused.status();
  EXPECT_TRUE(WholeLog(before.back().cursor).empty());
  uint64_t through = 0;
  ASSERT_TRUE(tickets_->ReadLog(0, 100, &through).ok());
  const absl::Time start = absl::Now();
  EXPECT_FALSE(tickets_->log().WaitBeyond(through, absl::Milliseconds(50)))
      << "nothing was logged after cursor " << through;
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(50)) << "WaitBeyond did not wait";
}

TEST_F(TicketStoreLogTest, LogSurvivesReopenAndContinuesAfterIt) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  ASSERT_TRUE(Sign(TicketId(created)).ok());
  const std::vector<LoggedEvent> before = WholeLog();
  ASSERT_EQ(before.size(), 2u);
  ASSERT_NO_FATAL_FAILURE(ReopenStores());
  const std::vector<LoggedEvent> reread = WholeLog();
  ASSERT_EQ(reread.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(reread[i].cursor, before[i].cursor) << i;
    EXPECT_EQ(reread[i].event.SerializeAsString(), before[i].event.SerializeAsString()) << i;
  }
  ASSERT_TRUE(Report(TicketId(created), "after the restart").ok());
  const std::vector<LoggedEvent> after = WholeLog(before.back().cursor);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_GT(after[0].cursor, before.back().cursor);
  EXPECT_EQ(after[0].event.comment(), "after the restart");
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
