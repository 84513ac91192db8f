// Retries, concurrent edits and error details over real gRPC: request ids,
// etags, and the google.rpc details every error carries.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

class RequestsTest : public ::testing::Test {
 protected:
  TestServer server_;
  RpcClient client_{server_};
};

TEST_F(RequestsTest, RetriedCreateReturnsTheFirstAnswerAndCreatesOnce) {
  v1::CreateTicketRequest request = DeployRequest(server_.clock().Now());
  request.set_request_id("deploy-2025-001");
  v1::Ticket first = client_.MustCreate("leader", request);
  server_.clock().Advance(absl::Minutes(5));
  v1::Ticket second = client_.MustCreate("leader", request);
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());

  v1::ListTicketsRequest list;
  v1::ListTicketsResponse page;
  ASSERT_TRUE(client_.Call("leader", &Tickets::ListTickets, list, &page).ok());
  EXPECT_EQ(page.tickets_size(), 1);

  request.mutable_ticket()->set_title("另一个任务");
  v1::Ticket ignored;
  grpc::Status reused = client_.Call("leader", &Tickets::CreateTicket, request, &ignored);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(reused), std::vector<std::string>{"request_id"});
}

TEST_F(RequestsTest, ConcurrentCreatesAreEachWrittenOnceAndRetriesInFlightShareOne) {
  // Creates are written many to a write; each call still gets its own
  // ticket, and copies of one request in flight together get one ticket.
  constexpr int kThreads = 8;
  constexpr int kCreatesEach = 10;
  std::vector<std::vector<std::string>> names(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCreatesEach; ++i) {
        v1::CreateTicketRequest request = DeployRequest(server_.clock().Now());
        // Even threads all send the same request id 0 first.
        const int id = (i == 0 && t % 2 == 0) ? 0 : t * kCreatesEach + i;
        request.set_request_id(absl::StrCat("concurrent-", id));
        v1::Ticket ticket;
        grpc::Status status = client_.Call("leader", &Tickets::CreateTicket, request, &ticket);
        EXPECT_TRUE(status.ok()) << status.error_message();
        names[t].push_back(ticket.name());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> distinct;
  for (const std::vector<std::string>& made : names) distinct.insert(made.begin(), made.end());
  const int shared_copies = kThreads / 2;
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kCreatesEach - shared_copies + 1));
  for (int t = 2; t < kThreads; t += 2) EXPECT_EQ(names[t][0], names[0][0]);

  v1::ListTicketsRequest list;
  list.set_page_size(500);
  v1::ListTicketsResponse page;
  ASSERT_TRUE(client_.Call("leader", &Tickets::ListTickets, list, &page).ok());
  EXPECT_EQ(page.tickets_size(), static_cast<int>(distinct.size())) << "no ticket written twice";
}

TEST_F(RequestsTest, RetriedTransitionHasNoSecondEffect) {
  v1::Ticket ticket = client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  ASSERT_TRUE(
      client_.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ticket)
          .ok());
  auto report = On<v1::ReportTicketProgressRequest>(ticket);
  report.set_comment("第一次汇报");
  report.set_request_id("report-1");
  v1::Ticket first;
  v1::Ticket second;
  ASSERT_TRUE(client_.Call("nongye", &Tickets::ReportTicketProgress, report, &first).ok());
  ASSERT_TRUE(client_.Call("nongye", &Tickets::ReportTicketProgress, report, &second).ok());
  EXPECT_EQ(first.etag(), second.etag());
  EXPECT_EQ(client_.MustHistory("leader", ticket.name()).size(), 3u);  // created, signed, report
}

TEST_F(RequestsTest, StaleEtagIsAbortedAndChangesNothing) {
  v1::Ticket ticket = client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  const std::string stale = ticket.etag();
  auto sign = On<v1::SignTicketRequest>(ticket);
  sign.set_etag(stale);
  ASSERT_TRUE(client_.Call("nongye", &Tickets::SignTicket, sign, &ticket).ok());

  auto report = On<v1::ReportTicketProgressRequest>(ticket);
  report.set_comment("基于旧版本的汇报");
  report.set_etag(stale);
  v1::Ticket ignored;
  grpc::Status status = client_.Call("nongye", &Tickets::ReportTicketProgress, report, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReason(status), "ETAG_MISMATCH");
  EXPECT_EQ(client_.MustGet("leader", ticket.name()).etag(), ticket.etag());

  report.set_etag(ticket.etag());
  EXPECT_TRUE(client_.Call("nongye", &Tickets::ReportTicketProgress, report, &ignored).ok());
}

TEST_F(RequestsTest, BadFieldsAreNamedAndChangeNothing) {
  v1::CreateTicketRequest request = DeployRequest(server_.clock().Now());
  request.mutable_ticket()->clear_title();
  request.mutable_ticket()->set_lead_unit("units/no-such-unit");
  request.mutable_ticket()->clear_cooperating_units();
  request.mutable_ticket()->add_cooperating_units("units/no-such-unit");
  v1::Ticket ignored;
  grpc::Status status = client_.Call("leader", &Tickets::CreateTicket, request, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorReason(status), "INVALID_FIELD");
  std::vector<std::string> fields = BadFields(status);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{"ticket.cooperating_units[0]", "ticket.lead_unit",
                                              "ticket.title"}));

  v1::ListTicketsRequest list;
  v1::ListTicketsResponse page;
  ASSERT_TRUE(client_.Call("leader", &Tickets::ListTickets, list, &page).ok());
  EXPECT_EQ(page.tickets_size(), 0);

  v1::GetTicketRequest get;
  get.set_name("ticket/1");
  EXPECT_EQ(client_.Call("leader", &Tickets::GetTicket, get, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  get.set_name("tickets/42");
  grpc::Status missing = client_.Call("leader", &Tickets::GetTicket, get, &ignored);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(missing), "TICKET_NOT_FOUND");

  list.set_filter("stage=NOWHERE");
  status = client_.Call("leader", &Tickets::ListTickets, list, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"filter"});
}

TEST_F(RequestsTest, ListsPageByStageDueTimeAndFilterOverdue) {
  const absl::Time now = server_.clock().Now();
  for (int days : {30, 10, 20}) {
    v1::Ticket ticket = client_.MustCreate("leader", DeployRequest(now, absl::Hours(24 * days)));
    ASSERT_TRUE(
        client_.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ticket)
            .ok());
  }
  v1::ListTicketsRequest list;
  list.set_page_size(2);
  v1::ListTicketsResponse page;
  ASSERT_TRUE(client_.Call("leader", &Tickets::ListTickets, list, &page).ok());
  ASSERT_EQ(page.tickets_size(), 2);
  EXPECT_EQ(page.tickets(0).name(), "tickets/2");  // due in 10 days
  EXPECT_EQ(page.tickets(1).name(), "tickets/3");  // 20
  ASSERT_FALSE(page.next_page_token().empty());
  list.set_page_token(page.next_page_token());
  ASSERT_TRUE(client_.Call("leader", &Tickets::ListTickets, list, &page).ok());
  ASSERT_EQ(page.tickets_size(), 1);
  EXPECT_EQ(page.tickets(0).name(), "tickets/1");
  EXPECT_TRUE(page.next_page_token().empty());

  server_.clock().Advance(absl::Hours(24 * 15));
  v1::ListTicketsRequest overdue;
  overdue.set_filter("overdue=true AND unit=units/nongye");
  ASSERT_TRUE(client_.Call("leader", &Tickets::ListTickets, overdue, &page).ok());
  ASSERT_EQ(page.tickets_size(), 1);
  EXPECT_EQ(page.tickets(0).name(), "tickets/2");
  *overdue.mutable_as_of_time() = ToTimestamp(now + absl::Hours(24 * 25));
  ASSERT_TRUE(client_.Call("leader", &Tickets::ListTickets, overdue, &page).ok());
  EXPECT_EQ(page.tickets_size(), 2);
}

}  // namespace
}  // namespace duban::testing
