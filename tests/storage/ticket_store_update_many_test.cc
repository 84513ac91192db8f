// TicketStore::UpdateMany: changes of many tickets in one write — all of
// them or none — under all their locks, so concurrent bulk and single
// changes neither deadlock nor fire a step twice.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "domain/escalation_ladder.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

class UpdateManyTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    tickets_->set_escalation_listener([this](absl::Time) { ++notified_; });
    for (int i = 0; i < kTickets; ++i) {
      absl::StatusOr<v1::Ticket> created = CreateTicket({.lead = "units/nongye"});
      ASSERT_TRUE(created.ok()) << created.status();
      reminder_ = FireTimes(*created).at(v1::ESCALATION_LEVEL_REMINDER);
    }
    notified_ = 0;
  }

  // Everything a write could have touched.
  std::vector<std::map<std::string, std::string>> Snapshot() {
    return {Dump(*database_, Family::kTickets), Dump(*database_, Family::kEvents),
            Dump(*database_, Family::kTicketIndex), Dump(*database_, Family::kLog),
            Dump(*database_, Family::kReferrals)};
  }

  // Fires what is due at `as_of` on each of `ids`, as a sweep does; with
  // `refuse` set, the mutation of that ticket fails.
  absl::StatusOr<std::vector<std::optional<TicketChange>>> EscalateAll(
      const std::vector<uint64_t>& ids, absl::Time as_of, std::optional<uint64_t> refuse = {}) {
    LoopContext context = ContextFor(Scheduler());
    context.now = as_of;
    return tickets_->UpdateMany(
        ids, as_of, WriteOptions{}, [&](const v1::Ticket& current) -> absl::StatusOr<TicketChange> {
          if (refuse && current.name() == TicketName(*refuse)) {
            return absl::AbortedError("refused");
          }
          return Escalate(current, as_of, context);
        });
  }

  // How many REMINDER escalations ticket `id`'s history holds.
  int RemindersOf(uint64_t id) {
    int reminders = 0;
    for (const v1::TicketEvent& event : AllEvents(id)) {
      reminders += event.type() == v1::EVENT_TYPE_ESCALATED &&
                   event.level() == v1::ESCALATION_LEVEL_REMINDER;
    }
    return reminders;
  }

  static constexpr int kTickets = 6;
  absl::Time reminder_;
  std::atomic<int> notified_{0};
};

TEST_F(UpdateManyTest, ChangesEveryTicketSkippingTheMissing) {
  ASSERT_OK_AND_ASSIGN(auto changes, EscalateAll({3, 1, 99, 2}, reminder_));
  ASSERT_EQ(changes.size(), 4u);
  for (size_t i : {0, 1, 3}) {
    ASSERT_TRUE(changes[i].has_value()) << i;
    ASSERT_EQ(changes[i]->events.size(), 1u) << i;
    EXPECT_EQ(changes[i]->events[0].type(), v1::EVENT_TYPE_ESCALATED) << i;
    EXPECT_FALSE(changes[i]->ticket.history_head_sha256().empty())
        << i << ": the change is returned as staged";
  }
  EXPECT_EQ(changes[0]->ticket.name(), "tickets/3");
  EXPECT_EQ(changes[1]->ticket.name(), "tickets/1");
  EXPECT_EQ(changes[3]->ticket.name(), "tickets/2");
  EXPECT_FALSE(changes[2].has_value()) << "tickets/99 does not exist";
  const std::map<uint64_t, size_t> index_of = {{3, 0}, {1, 1}, {2, 3}};
  for (const auto& [id, i] : index_of) {
    EXPECT_EQ(RemindersOf(id), 1) << id;
    ASSERT_OK_AND_ASSIGN(v1::Ticket stored, tickets_->Get(id));
    EXPECT_EQ(stored.history_head_sha256(), changes[i]->ticket.history_head_sha256()) << id;
  }
  EXPECT_EQ(RemindersOf(4), 0) << "not asked for";
  EXPECT_EQ(notified_, 3) << "the listener hears of every ticket written";
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(UpdateManyTest, ARefusalWritesNothingAtAll) {
  const auto snapshot = Snapshot();
  for (uint64_t refused : {1, 3, 5}) {
    absl::StatusOr<std::vector<std::optional<TicketChange>>> changes =
        EscalateAll({1, 2, 3, 4, 5}, reminder_, refused);
    EXPECT_EQ(changes.status().code(), absl::StatusCode::kAborted) << refused;
    EXPECT_TRUE(Snapshot() == snapshot) << "refused at tickets/" << refused;
  }
  EXPECT_EQ(notified_, 0);
}

TEST_F(UpdateManyTest, UnchangedTicketsWriteNothing) {
  const auto snapshot = Snapshot();
  ASSERT_OK_AND_ASSIGN(auto changes, EscalateAll({1, 2, 3}, now_));
  for (const std::optional<TicketChange>& change : changes) EXPECT_FALSE(change.has_value());
  EXPECT_TRUE(Snapshot() == snapshot) << "nothing was due";
  EXPECT_EQ(notified_, 0);
}

TEST_F(UpdateManyTest, ATicketTwiceIsRefused) {
  const auto snapshot = Snapshot();
  absl::StatusOr<std::vector<std::optional<TicketChange>>> changes =
      EscalateAll({1, 2, 1}, reminder_);
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(Snapshot() == snapshot);
}

// Bulk changes of overlapping sets in opposite orders, and single changes
// of the same tickets, all at once: none waits forever, and each ticket's
// reminder fires exactly once.
TEST_F(UpdateManyTest, OverlappingBulkAndSingleChangesFireOnce) {
  std::vector<uint64_t> forward;
  for (uint64_t id = 1; id <= kTickets; ++id) forward.push_back(id);
  const std::vector<uint64_t> backward(forward.rbegin(), forward.rend());
  std::atomic<int> fired{0};
  std::atomic<int> failures{0};
  const auto count = [&](const absl::StatusOr<std::vector<std::optional<TicketChange>>>& result) {
    if (!result.ok()) {
      ++failures;
      return;
    }
    for (const std::optional<TicketChange>& change : *result) fired += change.has_value();
  };
  std::vector<std::thread> threads;
  threads.emplace_back([&] { count(EscalateAll(forward, reminder_)); });
  threads.emplace_back([&] { count(EscalateAll(backward, reminder_)); });
  threads.emplace_back([&] { count(EscalateAll({2, 4, 6}, reminder_)); });
  threads.emplace_back([&] {
    for (uint64_t id : backward) {
      absl::StatusOr<v1::Ticket> single = EscalateAt(id, reminder_);
      if (!single.ok()) ++failures;
    }
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  for (uint64_t id : forward) EXPECT_EQ(RemindersOf(id), 1) << id;
  EXPECT_LE(fired, kTickets);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// The shares a sweep fires from in parallel: every ticket in exactly one,
// each in the given order, and no lock shared between two.
TEST(SplitByLockTest, PartsCoverEveryTicketInOrderAndShareNoLock) {
  std::vector<uint64_t> ids;
  for (uint64_t id = 5000; id >= 3; id -= 3) ids.push_back(id);
  const std::vector<std::vector<size_t>> parts = TicketStore::SplitByLock(ids, 3);
  ASSERT_EQ(parts.size(), 3u);
  std::vector<int> seen(ids.size(), 0);
  std::map<size_t, size_t> part_of_stripe;
  for (size_t p = 0; p < parts.size(); ++p) {
    EXPECT_FALSE(parts[p].empty()) << p;
    EXPECT_TRUE(std::is_sorted(parts[p].begin(), parts[p].end())) << p;
    for (size_t position : parts[p]) {
      ASSERT_LT(position, ids.size());
      ++seen[position];
      const size_t stripe = LockTable::StripeOf(ids[position]);
      const auto [it, inserted] = part_of_stripe.emplace(stripe, p);
      EXPECT_EQ(it->second, p) << "stripe " << stripe << " is in two parts";
    }
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<long>(ids.size()));
  EXPECT_EQ(TicketStore::SplitByLock(ids, 0).size(), 1u) << "no parts means one";
}

}  // namespace
}  // namespace duban::storage
