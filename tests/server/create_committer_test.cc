// CreateCommitter on a real store: every create answered once, the calls
// queued during a write grouped into the next, refusals kept to their own
// call, and nothing submitted before the committer goes away left
// unwritten.
#include "server/runtime/create_committer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/mutex.h"
#include "tests/storage/store_fixture.h"

namespace duban {
namespace {

using storage::Family;
using storage::Leader;
using storage::TicketStore;

class CreateCommitterTest : public storage::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    context_ = ContextFor(Leader());
    committer_ = std::make_unique<CreateCommitter>(
        tickets_.get(), [this] { return now_; });
  }

  // A create of a TASK titled `title` under request id `request_id`.
  TicketStore::PendingCreate Pending(const std::string& title, const std::string& request_id) {
    auto request = std::make_shared<v1::CreateTicketRequest>(CreateRequest({.title = title}));
    return {.request = {.principal = "principals/leader",
                        .request_id = request_id,
                        .fingerprint = title},
            .build = [this, request](uint64_t id, const v1::Ticket*) {
              return NewTicket(id, *request, nullptr, context_);
            }};
  }

  // Pending, but its build — on the commit thread — notifies building_
  // and waits for release_: the commit thread is held inside a write.
  TicketStore::PendingCreate Held(const std::string& title, const std::string& request_id) {
    TicketStore::PendingCreate create = Pending(title, request_id);
    create.build = [this, inner = std::move(create.build)](uint64_t id, const v1::Ticket* parent) {
      building_.Notify();
      release_.WaitForNotification();
      return inner(id, parent);
    };
    return create;
  }

  void TearDown() override {
    // A test that stopped early must not leave the commit thread held.
    if (!release_.HasBeenNotified()) release_.Notify();
    committer_.reset();
    StoreFixture::TearDown();
  }

  LoopContext context_;
  Notification building_, release_;
  std::unique_ptr<CreateCommitter> committer_;
};

TEST_F(CreateCommitterTest, ConcurrentCreatesGetTheirOwnTickets) {
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::vector<std::vector<absl::StatusOr<v1::Ticket>>> answers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string title = absl::StrCat("t", t, "-", i);
        answers[t].push_back(committer_->Create(Pending(title, title)));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> names;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      ASSERT_TRUE(answers[t][i].ok()) << answers[t][i].status();
      EXPECT_EQ(answers[t][i]->title(), absl::StrCat("t", t, "-", i));
      names.insert(answers[t][i]->name());
    }
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(Dump(*database_, Family::kTickets).size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(CreateCommitterTest, CallsQueuedDuringAWriteGoInTheNextAndEachIsAnsweredOnce) {
  std::vector<std::atomic<int>> calls(6);
  std::vector<absl::StatusOr<v1::Ticket>> answers(6, absl::UnknownError("not answered"));
  auto submit = [&](size_t i, TicketStore::PendingCreate create) {
    committer_->Submit({.create = std::move(create), .answer = [&, i](auto ticket) {
                          answers[i] = std::move(ticket);
                          ++calls[i];
                        }});
  };
  submit(0, Held("first", "r-first"));
  // The first group is being written (bounded, so a broken committer fails
  // rather than hangs).
  ASSERT_TRUE(building_.WaitForNotificationWithTimeout(absl::Seconds(60)));
  submit(1, Pending("b", "r-b"));
  TicketStore::PendingCreate refused = Pending("c", "r-c");
  refused.build = [](uint64_t, const v1::Ticket*) -> absl::StatusOr<TicketChange> {
    return absl::FailedPreconditionError("refused");
  };
  submit(2, std::move(refused));
  submit(3, Pending("b", "r-b"));  // a retry of 1 in the same group
  TicketStore::PendingCreate late = Pending("d", "r-d");
  late.request.deadline = absl::Now() - absl::Seconds(1);
  submit(4, std::move(late));
  submit(5, Pending("e", ""));
  release_.Notify();
  committer_.reset();  // writes what is queued, then joins

  for (size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(calls[i].load(), 1) << i;
  ASSERT_TRUE(answers[0].ok()) << answers[0].status();
  ASSERT_TRUE(answers[1].ok()) << answers[1].status();
  EXPECT_EQ(answers[2].status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(answers[3].ok()) << answers[3].status();
  EXPECT_EQ(answers[3]->name(), answers[1]->name()) << "the retry gets the first answer";
  EXPECT_EQ(answers[4].status().code(), absl::StatusCode::kDeadlineExceeded);
  ASSERT_TRUE(answers[5].ok()) << answers[5].status();
  EXPECT_EQ(Dump(*database_, Family::kTickets).size(), 3u) << "first, b and e";
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(CreateCommitterTest, GroupsTheCallsQueuedDuringAWrite) {
  std::atomic<int> answered{0};
  auto count = [&](const absl::StatusOr<v1::Ticket>& ticket) {
    EXPECT_TRUE(ticket.ok()) << ticket.status();
    ++answered;
  };
  committer_->Submit({.create = Held("first", ""), .answer = count});
  ASSERT_TRUE(building_.WaitForNotificationWithTimeout(absl::Seconds(60)));
  for (int i = 0; i < 9; ++i) {
    committer_->Submit({.create = Pending(absl::StrCat("n", i), ""), .answer = count});
  }
  release_.Notify();
  // Create waits, so once it returns the nine queued before it are written.
  ASSERT_TRUE(committer_->Create(Pending("last", "")).ok());
  EXPECT_EQ(answered.load(), 10);
  // Writes: {first}, then the nine (and perhaps "last") together, then at
  // most "last": at least 11 calls in at most 3 writes.
  EXPECT_GE(committer_->MeanGroupSize(), 11.0 / 3.0);
}

}  // namespace
}  // namespace duban
