// The escalation index (tag 'e' in ticket_index.h): DueForEscalation,
// NextEscalationTime, how writes move entries, and the listener.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "storage/audit_log.h"
#include "storage/audit_verifier.h"
#include "storage/big_endian.h"
#include "storage/ticket_index.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

class EscalationIndexTest : public StoreFixture {
 protected:
  // The times of ticket `id`'s escalation entries, read from the index.
  std::vector<absl::Time> EntriesOf(uint64_t id) {
    std::vector<absl::Time> times;
    for (const auto& [key, value] : Dump(*database_, Family::kTicketIndex)) {
      if (key[0] == 'e' && IndexKeyTicketId(key) == id) {
        times.push_back(TimeOfDueOrder(IndexKeyDue(key)));
      }
    }
    return times;
  }

  // What DueForEscalation should say, worked out from the tickets
  // themselves: those with a next escalation time at or before `as_of`, by
  // time then id, at most `limit`.
  std::vector<uint64_t> ExpectedDue(absl::Time as_of, int limit) {
    std::vector<std::pair<absl::Time, uint64_t>> due;
    for (uint64_t id = 1; id <= tickets_->last_ticket_id(); ++id) {
      absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
      EXPECT_TRUE(ticket.ok()) << ticket.status();
      if (!ticket.ok() || !IsSet(ticket->next_escalation_time())) continue;
      const absl::Time next = FromTimestamp(ticket->next_escalation_time());
      if (next <= as_of) due.emplace_back(next, id);
    }
    std::sort(due.begin(), due.end());
    std::vector<uint64_t> ids;
    for (const auto& [time, id] : due) {
      if (static_cast<int>(ids.size()) == limit) break;
      ids.push_back(id);
    }
    return ids;
  }

  absl::Time NextOf(uint64_t id) {
    absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
    EXPECT_TRUE(ticket.ok()) << ticket.status();
    if (!ticket.ok() || !IsSet(ticket->next_escalation_time())) return absl::InfiniteFuture();
    return FromTimestamp(ticket->next_escalation_time());
  }
};

TEST_F(EscalationIndexTest, EmptyStoreHasNothingDue) {
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> due,
                       tickets_->DueForEscalation(absl::InfiniteFuture(), 10));
  EXPECT_TRUE(due.empty());
  ASSERT_OK_AND_ASSIGN(absl::Time next, tickets_->NextEscalationTime());
  EXPECT_EQ(next, absl::InfiniteFuture());
}

TEST_F(EscalationIndexTest, DueForEscalationIsTheDueTicketsEarliestFirst) {
  // Stage clocks of 3, 1, 4, 1 and 2 working days: reminders due in the
  // order tickets/2, tickets/4 (a tie, broken by id), 5, 1, 3.
  for (int days : {3, 1, 4, 1, 2}) {
    ASSERT_TRUE(CreateTicket({.lead = "units/nongye", .stage_days = days}).ok());
  }
  // Cancelled: nothing pending.
  ASSERT_TRUE(CreateTicket({.lead = "units/ziran", .stage_days = 1}).ok());
  ASSERT_TRUE(Cancel(6).ok());
  EXPECT_TRUE(EntriesOf(6).empty());

  const absl::Time first = NextOf(2);
  ASSERT_EQ(NextOf(4), first);
  ASSERT_LT(first, NextOf(5));
  ASSERT_LT(NextOf(5), NextOf(1));
  ASSERT_LT(NextOf(1), NextOf(3));
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> everything,
                       tickets_->DueForEscalation(absl::InfiniteFuture(), 100));
  EXPECT_EQ(everything, (std::vector<uint64_t>{2, 4, 5, 1, 3}));

  struct Case {
    const char* what;
    absl::Time as_of;
    int limit;
  };
  const Case cases[] = {
      {"before anything", now_, 100},
      {"a microsecond before the first", first - absl::Microseconds(1), 100},
      {"exactly the first (a tie)", first, 100},
      {"the third", NextOf(5), 100},
      {"between the fourth and fifth", NextOf(1) + absl::Hours(1), 100},
      {"the end of time", absl::InfiniteFuture(), 100},
      {"limit 2", absl::InfiniteFuture(), 2},
      {"limit 1 within a tie", first, 1},
      {"limit 0", absl::InfiniteFuture(), 0},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> due, tickets_->DueForEscalation(c.as_of, c.limit));
    EXPECT_EQ(due, ExpectedDue(c.as_of, c.limit)) << c.what;
  }
  ASSERT_OK_AND_ASSIGN(absl::Time next, tickets_->NextEscalationTime());
  EXPECT_EQ(next, first);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// Each firing moves the ticket's entry to the next level's time; after the
// last level there is no entry.
TEST_F(EscalationIndexTest, FiringMovesTheEntryToTheNextLevel) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const uint64_t id = TicketId(created);
  const std::map<v1::EscalationLevel, absl::Time> fire = FireTimes(created);
  ASSERT_EQ(fire.size(), 4u);
  EXPECT_EQ(EntriesOf(id), std::vector<absl::Time>{fire.at(v1::ESCALATION_LEVEL_REMINDER)});

  struct Step {
    absl::Time as_of;
    v1::EscalationLevel fires;
    absl::Time next;  // InfiniteFuture: nothing left
    v1::Card card;
  };
  const Step steps[] = {
      {fire.at(v1::ESCALATION_LEVEL_REMINDER), v1::ESCALATION_LEVEL_REMINDER,
       fire.at(v1::ESCALATION_LEVEL_YELLOW), v1::CARD_REMINDER},
      {fire.at(v1::ESCALATION_LEVEL_YELLOW), v1::ESCALATION_LEVEL_YELLOW,
       fire.at(v1::ESCALATION_LEVEL_RED), v1::CARD_YELLOW},
      {fire.at(v1::ESCALATION_LEVEL_RED) + absl::Hours(5), v1::ESCALATION_LEVEL_RED,
       fire.at(v1::ESCALATION_LEVEL_REFERRAL), v1::CARD_RED},
      {fire.at(v1::ESCALATION_LEVEL_REFERRAL), v1::ESCALATION_LEVEL_REFERRAL,
       absl::InfiniteFuture(), v1::CARD_REFERRED},
  };
  int64_t revision = Revision(created);
  for (const Step& step : steps) {
    const std::string what = v1::EscalationLevel_Name(step.fires);
    ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> due, tickets_->DueForEscalation(step.as_of, 10));
    EXPECT_EQ(due, std::vector<uint64_t>{id}) << what;
    ASSERT_OK_AND_ASSIGN(v1::Ticket escalated, EscalateAt(id, step.as_of));
    EXPECT_EQ(Revision(escalated), ++revision) << what;
    EXPECT_EQ(escalated.card(), step.card) << what;
    ASSERT_FALSE(escalated.fired_levels().empty()) << what;
    EXPECT_EQ(escalated.fired_levels(escalated.fired_levels_size() - 1), step.fires) << what;
    EXPECT_EQ(NextOf(id), step.next) << what;

    ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> still_due,
                         tickets_->DueForEscalation(step.as_of, 10));
    EXPECT_TRUE(still_due.empty()) << what;
    ASSERT_OK_AND_ASSIGN(absl::Time next, tickets_->NextEscalationTime());
    EXPECT_EQ(next, step.next) << what;
    if (step.next == absl::InfiniteFuture()) {
      EXPECT_TRUE(EntriesOf(id).empty()) << what;
    } else {
      EXPECT_EQ(EntriesOf(id), std::vector<absl::Time>{step.next}) << what;
    }
    EXPECT_TRUE(StoreIsConsistent(*database_)) << what;
  }
}

TEST_F(EscalationIndexTest, ClosingOrCancellingRemovesTheEntry) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket cancelled, CreateTicket({.lead = "units/nongye"}));
  ASSERT_OK_AND_ASSIGN(v1::Ticket closed, CreateTicket({.lead = "units/ziran"}));
  ASSERT_OK_AND_ASSIGN(v1::Ticket open, CreateTicket({.lead = "units/ziran", .stage_days = 5}));

  struct Step {
    const char* what;
    std::function<absl::StatusOr<v1::Ticket>()> run;
    uint64_t id;
    bool pending_after;
  };
  const Step steps[] = {
      {"cancel", [&] { return Cancel(TicketId(cancelled)); }, TicketId(cancelled), false},
      {"sign", [&] { return Sign(TicketId(closed)); }, TicketId(closed), true},
      {"submit", [&] { return Submit(TicketId(closed)); }, TicketId(closed), true},
      {"accept", [&] { return Review(TicketId(closed), true); }, TicketId(closed), false},
  };
  for (const Step& step : steps) {
    now_ += absl::Hours(1);
    ASSERT_FALSE(EntriesOf(step.id).empty()) << step.what;
    ASSERT_OK_AND_ASSIGN(v1::Ticket after, step.run());
    EXPECT_EQ(IsSet(after.next_escalation_time()), step.pending_after) << step.what;
    EXPECT_EQ(EntriesOf(step.id).size(), step.pending_after ? 1u : 0u) << step.what;
    EXPECT_TRUE(StoreIsConsistent(*database_)) << step.what;
  }
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> due,
                       tickets_->DueForEscalation(absl::InfiniteFuture(), 10));
  EXPECT_EQ(due, std::vector<uint64_t>{TicketId(open)});
  ASSERT_OK_AND_ASSIGN(absl::Time next, tickets_->NextEscalationTime());
  EXPECT_EQ(next, NextOf(TicketId(open)));
}

// A policy change recomputes every open ticket's next escalation time: the
// entries move, and nothing else — no events, no new etags, closed tickets
// untouched. The listener hears each new time.
TEST_F(EscalationIndexTest, RescheduleUnderANewPolicyMovesEntriesOnly) {
  for (int days : {1, 2, 3}) {
    ASSERT_TRUE(CreateTicket({.lead = "units/nongye", .stage_days = days}).ok());
  }
  ASSERT_TRUE(CreateTicket({.lead = "units/ziran"}).ok());
  ASSERT_TRUE(Cancel(4).ok());
  // tickets/1 has had its reminder.
  ASSERT_OK_AND_ASSIGN(
      v1::Ticket reminded,
      EscalateAt(1, FireTimes(*tickets_->Get(1)).at(v1::ESCALATION_LEVEL_REMINDER)));
  ASSERT_EQ(reminded.fired_levels_size(), 1);

  std::map<uint64_t, v1::Ticket> before;
  for (uint64_t id = 1; id <= 4; ++id) before[id] = *tickets_->Get(id);
  const auto events_before = Dump(*database_, Family::kEvents);
  const auto log_before = Dump(*database_, Family::kLog);

  std::mutex heard_mutex;
  std::vector<absl::Time> heard;
  tickets_->set_escalation_listener([&](absl::Time time) {
    std::lock_guard lock(heard_mutex);
    heard.push_back(time);
  });

  // No reminder; yellow a working day after the deadline.
  v1::EscalationPolicy changed = policy_;
  changed.mutable_ladder()->erase(changed.mutable_ladder()->begin());
  changed.mutable_ladder(0)->set_offset_working_days(1);
  policy_ = changed;
  const LoopContext context = ContextFor(Scheduler());
  ASSERT_TRUE(tickets_
                  ->UpdateOpenTickets(now_,
                                      [&](const v1::Ticket& current) {
                                        return absl::StatusOr<TicketChange>(
                                            Reschedule(current, context));
                                      })
                  .ok());

  EXPECT_TRUE(Dump(*database_, Family::kEvents) == events_before);
  // The log only gains the rescheduled tickets' new versions.
  for (const auto& [key, value] : Dump(*database_, Family::kLog)) {
    if (log_before.contains(key)) {
      EXPECT_EQ(value, log_before.at(key));
      continue;
    }
    ASSERT_OK_AND_ASSIGN(LogEntry entry, DecodeLogEntry(ReadBigEndian64(key), value));
    EXPECT_EQ(entry.kind, AuditKind::kTicket) << AuditedName(entry.kind, entry.key);
  }
  std::vector<absl::Time> expected_heard;
  for (uint64_t id = 1; id <= 3; ++id) {
    ASSERT_OK_AND_ASSIGN(v1::Ticket after, tickets_->Get(id));
    EXPECT_EQ(after.etag(), before[id].etag()) << id;
    const absl::Time yellow = FireTimes(after).at(v1::ESCALATION_LEVEL_YELLOW);
    EXPECT_NE(FromTimestamp(before[id].next_escalation_time()), yellow) << id;
    EXPECT_EQ(NextOf(id), yellow) << id;
    EXPECT_EQ(EntriesOf(id), std::vector<absl::Time>{yellow}) << id;
    // Apart from the time, the ticket is as it was.
    v1::Ticket unmoved = after;
    *unmoved.mutable_next_escalation_time() = before[id].next_escalation_time();
    EXPECT_EQ(unmoved.SerializeAsString(), before[id].SerializeAsString()) << id;
    expected_heard.push_back(yellow);
  }
  ASSERT_OK_AND_ASSIGN(v1::Ticket cancelled, tickets_->Get(4));
  EXPECT_EQ(cancelled.SerializeAsString(), before[4].SerializeAsString());

  std::sort(heard.begin(), heard.end());
  std::sort(expected_heard.begin(), expected_heard.end());
  EXPECT_EQ(heard, expected_heard);

  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> due,
                       tickets_->DueForEscalation(absl::InfiniteFuture(), 10));
  EXPECT_EQ(due, ExpectedDue(absl::InfiniteFuture(), 10));
  EXPECT_EQ(due.size(), 3u);
  EXPECT_TRUE(StoreIsConsistent(*database_));

  // Run again under the same policy: nothing to move, nothing written.
  const auto index_after = Dump(*database_, Family::kTicketIndex);
  const auto tickets_after = Dump(*database_, Family::kTickets);
  heard.clear();
  ASSERT_TRUE(tickets_
                  ->UpdateOpenTickets(now_,
                                      [&](const v1::Ticket& current) {
                                        return absl::StatusOr<TicketChange>(
                                            Reschedule(current, context));
                                      })
                  .ok());
  EXPECT_TRUE(Dump(*database_, Family::kTicketIndex) == index_after);
  EXPECT_TRUE(Dump(*database_, Family::kTickets) == tickets_after);
  EXPECT_TRUE(heard.empty());
}

// The listener is told the new time after each write that leaves an
// escalation pending, and only then.
TEST_F(EscalationIndexTest, ListenerHearsTheNewTimeAfterWrites) {
  std::vector<absl::Time> heard;
  tickets_->set_escalation_listener([&](absl::Time time) { heard.push_back(time); });
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const uint64_t id = TicketId(created);
  EXPECT_EQ(heard, std::vector<absl::Time>{NextOf(id)});

  struct Step {
    const char* what;
    std::function<absl::StatusOr<v1::Ticket>()> run;
    bool heard;
  };
  const absl::Time reminder = FireTimes(created).at(v1::ESCALATION_LEVEL_REMINDER);
  const Step steps[] = {
      {"escalation with nothing due", [&] { return EscalateAt(id, now_); }, false},
      {"reminder fires", [&] { return EscalateAt(id, reminder); }, true},
      {"sign", [&] { return Sign(id); }, true},
      {"report", [&] { return Report(id, "going"); }, true},
      {"refused step", [&] { return Sign(id); }, false},
      {"cancel", [&] { return Cancel(id); }, false},
  };
  for (const Step& step : steps) {
    heard.clear();
    const bool ok = step.run().ok();
    EXPECT_EQ(ok, std::string(step.what) != "refused step") << step.what;
    if (step.heard) {
      EXPECT_EQ(heard, std::vector<absl::Time>{NextOf(id)}) << step.what;
    } else {
      EXPECT_TRUE(heard.empty()) << step.what;
    }
  }
}

// A retried request writes nothing, so there is nothing new to hear — and
// the time in its first answer may be long gone.
TEST_F(EscalationIndexTest, ListenerIsNotCalledForARetriedRequest) {
  const RequestKey create{.principal = "principals/leader", .request_id = "c", .fingerprint = "f"};
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}, create));
  const uint64_t id = TicketId(created);
  v1::ReportTicketProgressRequest report;
  report.set_comment("half");
  const RequestKey report_key{
      .principal = "principals/staff-nongye", .request_id = "r", .fingerprint = "f"};
  ASSERT_TRUE(Sign(id).ok());
  ASSERT_TRUE(Step(id, StaffOf("units/nongye"), report, report_key).ok());

  std::vector<absl::Time> heard;
  tickets_->set_escalation_listener([&](absl::Time time) { heard.push_back(time); });
  ASSERT_OK_AND_ASSIGN(v1::Ticket retried_report,
                       Step(id, StaffOf("units/nongye"), report, report_key));
  EXPECT_TRUE(heard.empty()) << "retried update";
  ASSERT_OK_AND_ASSIGN(v1::Ticket retried_create, CreateTicket({.lead = "units/nongye"}, create));
  EXPECT_EQ(retried_create.SerializeAsString(), created.SerializeAsString());
  EXPECT_TRUE(heard.empty()) << "retried create: the listener was told "
                             << (heard.empty() ? absl::InfinitePast() : heard[0])
                             << ", the reminder time of the first answer";
}

}  // namespace
}  // namespace duban::storage
