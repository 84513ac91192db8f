// TicketStore::CreateEach: many creates, each with its own request, in one
// synced write — each answered as Create would have answered it alone.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

class CreateEachTest : public StoreFixture {
 protected:
  // A create of a TASK titled `title` under request id `request_id` ("" for
  // none).
  TicketStore::PendingCreate Pending(const std::string& title, const std::string& request_id) {
    requests_.push_back(CreateRequest({.title = title}));
    const v1::CreateTicketRequest* request = &requests_.back();
    return {.request = {.principal = "principals/leader",
                        .request_id = request_id,
                        .fingerprint = title},
            .build = [this, request](uint64_t id, const v1::Ticket*) {
              return NewTicket(id, *request, nullptr, context_);
            }};
  }

  void SetUp() override {
    StoreFixture::SetUp();
    context_ = ContextFor(Leader());
    requests_.reserve(16);
  }

  LoopContext context_;
  std::vector<v1::CreateTicketRequest> requests_;
};

TEST_F(CreateEachTest, CreatesEachTicketWithItsOwnIdAndRequestRecord) {
  std::vector<TicketStore::PendingCreate> creates = {Pending("a", "r-a"), Pending("b", "r-b"),
                                                     Pending("c", "")};
  std::vector<absl::StatusOr<v1::Ticket>> created = tickets_->CreateEach(creates, now_);
  ASSERT_EQ(created.size(), 3u);
  for (size_t i = 0; i < created.size(); ++i) {
    ASSERT_TRUE(created[i].ok()) << i << ": " << created[i].status();
    EXPECT_EQ(created[i]->title(), std::string(1, static_cast<char>('a' + i)));
    EXPECT_EQ(created[i]->name(), TicketName(i + 1));
    ASSERT_OK_AND_ASSIGN(v1::Ticket stored, tickets_->Get(i + 1));
    EXPECT_EQ(stored.title(), created[i]->title());
  }
  EXPECT_EQ(Dump(*database_, Family::kRequests).size(), 2u) << "one record per request id";
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(CreateEachTest, AFailedBuildIsItsOwnAnswerAndTheRestAreWritten) {
  std::vector<TicketStore::PendingCreate> creates = {Pending("a", "r-a"), Pending("b", "r-b"),
                                                     Pending("c", "r-c")};
  creates[1].build = [](uint64_t, const v1::Ticket*) -> absl::StatusOr<TicketChange> {
    return absl::FailedPreconditionError("refused");
  };
  std::vector<absl::StatusOr<v1::Ticket>> created = tickets_->CreateEach(creates, now_);
  ASSERT_TRUE(created[0].ok()) << created[0].status();
  EXPECT_EQ(created[1].status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(created[2].ok()) << created[2].status();
  EXPECT_EQ(Dump(*database_, Family::kTickets).size(), 2u);
  EXPECT_EQ(Dump(*database_, Family::kRequests).size(), 2u)
      << "the refused create leaves no record, so a retry runs again";
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(CreateEachTest, ACreateWhoseDeadlinePassedIsRefusedAndNotWritten) {
  std::vector<TicketStore::PendingCreate> creates = {Pending("a", "r-a"), Pending("b", "r-b")};
  creates[0].request.deadline = absl::Now() - absl::Seconds(1);
  std::vector<absl::StatusOr<v1::Ticket>> created = tickets_->CreateEach(creates, now_);
  EXPECT_EQ(created[0].status().code(), absl::StatusCode::kDeadlineExceeded);
  ASSERT_TRUE(created[1].ok()) << created[1].status();
  EXPECT_EQ(Dump(*database_, Family::kTickets).size(), 1u);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(CreateEachTest, RetriesInTheSameWriteAndAfterItGetTheFirstTicket) {
  std::vector<TicketStore::PendingCreate> creates = {Pending("a", "r-a"), Pending("a", "r-a"),
                                                     Pending("other", "r-a")};
  std::vector<absl::StatusOr<v1::Ticket>> created = tickets_->CreateEach(creates, now_);
  ASSERT_TRUE(created[0].ok()) << created[0].status();
  ASSERT_TRUE(created[1].ok()) << created[1].status();
  EXPECT_EQ(created[1]->name(), created[0]->name());
  EXPECT_EQ(created[2].status().code(), absl::StatusCode::kInvalidArgument)
      << "the same id for a different request";

  std::vector<TicketStore::PendingCreate> again = {Pending("a", "r-a")};
  std::vector<absl::StatusOr<v1::Ticket>> retried = tickets_->CreateEach(again, now_);
  ASSERT_TRUE(retried[0].ok()) << retried[0].status();
  EXPECT_EQ(retried[0]->name(), created[0]->name());
  EXPECT_EQ(Dump(*database_, Family::kTickets).size(), 1u);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
