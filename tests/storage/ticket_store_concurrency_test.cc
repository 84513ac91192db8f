// Concurrent mutations: no lost update, no gap in a history, no shared id.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

class TicketStoreConcurrencyTest : public StoreFixture {};

TEST_F(TicketStoreConcurrencyTest, ConcurrentUpdatesOfOneTicketAllLand) {
  constexpr int kThreads = 8;
  constexpr int kReportsPerThread = 50;
  ASSERT_OK_AND_ASSIGN(v1::Ticket created,
                       CreateTicket({.lead = "units/nongye", .cooperating = {"units/ziran"}}));
  const uint64_t id = TicketId(created);
  ASSERT_OK_AND_ASSIGN(v1::Ticket signed_for, Sign(id));
  const int64_t start = Revision(signed_for);  // created, signed

  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half the threads act for the lead unit, half for the cooperating one.
      const Caller caller = StaffOf(t % 2 == 0 ? "units/nongye" : "units/ziran");
      for (int i = 0; i < kReportsPerThread; ++i) {
        v1::ReportTicketProgressRequest request;
        request.set_comment(absl::StrCat("thread ", t, " report ", i));
        request.set_progress_percent(i % 100);
        if (!Step(id, caller, request).ok()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;

  const int64_t expected = start + kThreads * kReportsPerThread;
  ASSERT_OK_AND_ASSIGN(v1::Ticket final_ticket, tickets_->Get(id));
  EXPECT_EQ(final_ticket.etag(), absl::StrCat(expected));

  const std::vector<v1::TicketEvent> events = AllEvents(id, 97);
  ASSERT_EQ(events.size(), static_cast<size_t>(expected));
  std::set<std::string> comments;
  std::vector<int> last_seen(kThreads, -1);
  for (size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].sequence(), static_cast<int64_t>(i + 1)) << "gap or reorder at " << i;
    EXPECT_EQ(events[i].etag(), absl::StrCat(i + 1));
    if (events[i].type() != v1::EVENT_TYPE_PROGRESS_REPORTED) continue;
    comments.insert(events[i].comment());
    // Each thread's reports land in the order it made them.
    int thread = -1, report = -1;
    ASSERT_EQ(sscanf(events[i].comment().c_str(), "thread %d report %d", &thread, &report), 2);
    ASSERT_GE(thread, 0);
    ASSERT_LT(thread, kThreads);
    EXPECT_EQ(report, last_seen[thread] + 1) << "thread " << thread;
    last_seen[thread] = report;
  }
  EXPECT_EQ(comments.size(), static_cast<size_t>(kThreads * kReportsPerThread));
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(TicketStoreConcurrencyTest, ConcurrentCreatesGetDistinctIds) {
  constexpr int kThreads = 6;
  constexpr int kCreatesPerThread = 10;
  std::vector<std::vector<std::string>> names(kThreads);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCreatesPerThread; ++i) {
        absl::StatusOr<v1::Ticket> created =
            CreateTicket({.title = absl::StrCat("thread ", t, " ticket ", i),
                          .lead = t % 2 == 0 ? "units/nongye" : "units/chengguan",
                          .location = i % 2 == 0 ? "units/chengguan-dongjie" : ""});
        if (created.ok()) {
          names[t].push_back(created->name());
        } else {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::set<std::string> distinct;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0) << "thread " << t;
    distinct.insert(names[t].begin(), names[t].end());
  }
  constexpr int kTotal = kThreads * kCreatesPerThread;
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kTotal));
  EXPECT_EQ(tickets_->last_ticket_id(), static_cast<uint64_t>(kTotal));
  for (uint64_t id = 1; id <= kTotal; ++id) {
    absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
    ASSERT_TRUE(ticket.ok()) << id << ": " << ticket.status();
    EXPECT_TRUE(distinct.contains(ticket->name())) << id;
  }
  ASSERT_OK_AND_ASSIGN(TicketPage page, tickets_->List({}, 1000, ""));
  EXPECT_EQ(page.tickets.size(), static_cast<size_t>(kTotal));
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

// Readers never see a ticket without its index entries or the reverse.
TEST_F(TicketStoreConcurrencyTest, ListsDuringWritesSeeWholeTickets) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const uint64_t id = TicketId(created);
  ASSERT_TRUE(Sign(id).ok());
  std::atomic<bool> done = false;
  std::thread writer([&] {
    for (int i = 0; i < 60; ++i) {
      if (!Report(id, absl::StrCat("report ", i)).ok()) ADD_FAILURE() << "report " << i;
    }
    done = true;
  });
  int reads = 0;
  while (!done || reads == 0) {
    ++reads;
    absl::StatusOr<TicketPage> page = tickets_->List({.unit = "units/nongye"}, 10, "");
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_EQ(page->tickets.size(), 1u);
    EXPECT_EQ(page->tickets[0].stage(), v1::STAGE_IMPLEMENT);
    absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
    ASSERT_TRUE(ticket.ok());
    // The history is never behind the ticket it was read after.
    const std::vector<v1::TicketEvent> events = AllEvents(id);
    EXPECT_GE(events.size(), static_cast<size_t>(Revision(*ticket)));
  }
  writer.join();
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
