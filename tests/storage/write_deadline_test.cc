// A write whose call's deadline has passed is not made: the deadline travels
// with the request (RequestKey::deadline, WriteOptions::deadline).
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
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

RequestKey Due(absl::Time deadline) { return RequestKey{.deadline = deadline}; }

TEST_F(WriteDeadlineTest, APassedDeadlineWritesNothing) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const auto before = Everything(*database_);
  const absl::Time passed = absl::Now() - absl::Milliseconds(1);

  absl::StatusOr<v1::Ticket> refused = CreateTicket({.lead = "units/nongye"}, Due(passed));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDeadlineExceeded) << refused.status();
  absl::StatusOr<v1::Ticket> unsigned_ticket =
      Step(TicketId(created), StaffOf("units/nongye"), v1::SignTicketRequest(), Due(passed));
  EXPECT_EQ(unsigned_ticket.status().code(), absl::StatusCode::kDeadlineExceeded);
  absl::StatusOr<std::vector<std::optional<TicketChange>>> swept = tickets_->UpdateMany(
      {TicketId(created)}, now_, WriteOptions{.deadline = passed},
      [](const v1::Ticket& current) -> absl::StatusOr<TicketChange> {
        TicketChange change;
        change.ticket = current;
        change.ticket.set_title("changed");
        return change;
      });
  EXPECT_EQ(swept.status().code(), absl::StatusCode::kDeadlineExceeded) << swept.status();

  EXPECT_EQ(Everything(*database_), before);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(WriteDeadlineTest, AFutureDeadlineWrites) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created,
                       CreateTicket({.lead = "units/nongye"}, Due(absl::Now() + absl::Hours(1))));
  ASSERT_OK_AND_ASSIGN(v1::Ticket stored, tickets_->Get(TicketId(created)));
  EXPECT_EQ(stored.etag(), created.etag());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
