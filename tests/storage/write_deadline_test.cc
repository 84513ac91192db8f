// A write whose call's deadline has passed is not made.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "storage/write_deadline.h"
#include "tests/storage/store_checks.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using WriteDeadlineTest = StoreFixture;

std::map<std::string, std::string> Everything(const Database& database) {
  std::map<std::string, std::string> all;
  for (Family family : {Family::kTickets, Family::kEvents, Family::kTicketIndex, Family::kRequests,
                        Family::kLog}) {
    for (auto& [key, value] : Dump(database, family)) {
      all.emplace(absl::StrCat(static_cast<int>(family), "/", key), value);
    }
  }
  return all;
}

TEST_F(WriteDeadlineTest, APassedDeadlineWritesNothing) {
  ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  const auto before = Everything(*database_);
  {
    ScopedWriteDeadline deadline(absl::Now() - absl::Milliseconds(1));
    absl::StatusOr<v1::Ticket> refused = CreateTicket({.lead = "units/nongye"});
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kDeadlineExceeded) << refused.status();
    EXPECT_EQ(Sign(1).status().code(), absl::StatusCode::kDeadlineExceeded);
  }
  EXPECT_EQ(Everything(*database_), before);
  EXPECT_EQ(CurrentWriteDeadline(), absl::InfiniteFuture());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(WriteDeadlineTest, AFutureDeadlineWritesAndScopesNest) {
  ScopedWriteDeadline outer(absl::Now() + absl::Hours(1));
  {
    ScopedWriteDeadline inner(absl::Now() - absl::Seconds(1));
    EXPECT_FALSE(CreateTicket({.lead = "units/nongye"}).ok());
  }
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  ASSERT_OK_AND_ASSIGN(v1::Ticket stored, tickets_->Get(TicketId(created)));
  EXPECT_EQ(stored.etag(), created.etag());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
