// What the edge puts in a request's key: the caller, the request id, a
// fingerprint of the rest, and the call's deadline — which a retry may
// change without becoming a different request.
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "duban/v1/ticket_service.pb.h"
#include "server/edge/request_fingerprint.h"

namespace duban {
namespace {

constexpr absl::string_view kMethod = "duban.v1.TicketService/SignTicket";

v1::SignTicketRequest Sign(const std::string& name, const std::string& request_id) {
  v1::SignTicketRequest request;
  request.set_name(name);
  request.set_request_id(request_id);
  return request;
}

Caller Staff(absl::Time deadline) {
  Caller caller;
  caller.principal = "principals/staff-nongye";
  caller.unit = "units/nongye";
  caller.roles = {v1::ROLE_UNIT_STAFF};
  caller.deadline = deadline;
  return caller;
}

TEST(RequestKeyTest, TheKeyCarriesTheCallersDeadline) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  const storage::RequestKey key = RequestKeyFor(Staff(deadline), kMethod, Sign("tickets/1", "r1"));
  EXPECT_EQ(key.deadline, deadline);
  EXPECT_EQ(key.principal, "principals/staff-nongye");
  EXPECT_EQ(key.request_id, "r1");
  EXPECT_EQ(RequestKeyFor(Staff(absl::InfiniteFuture()), kMethod, Sign("tickets/1", "")).deadline,
            absl::InfiniteFuture());
}

TEST(RequestKeyTest, ARetryWithAnotherDeadlineIsTheSameRequest) {
  const storage::RequestKey first =
      RequestKeyFor(Staff(absl::Now() + absl::Seconds(1)), kMethod, Sign("tickets/1", "r1"));
  const storage::RequestKey retry =
      RequestKeyFor(Staff(absl::Now() + absl::Minutes(1)), kMethod, Sign("tickets/1", "r1"));
  EXPECT_EQ(first.fingerprint, retry.fingerprint);
  const storage::RequestKey other =
      RequestKeyFor(Staff(absl::Now() + absl::Seconds(1)), kMethod, Sign("tickets/2", "r1"));
  EXPECT_NE(first.fingerprint, other.fingerprint);
}

}  // namespace
}  // namespace duban
