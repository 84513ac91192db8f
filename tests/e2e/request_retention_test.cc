// request_id over real gRPC: a retried mutation takes effect once and gets
// the first answer byte for byte, however often and however concurrently it
// is retried; a reused id with another request is refused; and the first
// answer is kept for storage::kRequestRetention (24 hours, docs/api.md) —
// after that the id is free and a retry is a new request.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "storage/request_log.h"
#include "tests/e2e/raw_call.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

constexpr char kCreateTicket[] = "duban.v1.TicketService/CreateTicket";

class RequestRetentionTest : public ::testing::Test {
 protected:
  // The retried request: a TASK deployed by the leader.
  v1::CreateTicketRequest Deploy(const std::string& request_id) {
    v1::CreateTicketRequest request = DeployRequest(server_.clock().Now());
    request.set_request_id(request_id);
    return request;
  }

  // The reply's bytes exactly as the server sent them.
  std::string MustCreateRaw(const v1::CreateTicketRequest& request) {
    const RawReply reply =
        RawCall(server_.channel(), kCreateTicket, "leader", request.SerializeAsString());
    EXPECT_TRUE(reply.status.ok()) << reply.status.error_message();
    return reply.message.value_or("");
  }

  std::vector<std::string> TicketNames() {
    v1::ListTicketsRequest list;
    list.set_page_size(500);
    v1::ListTicketsResponse page;
    grpc::Status status = client_.Call("leader", &Tickets::ListTickets, list, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> names;
    for (const v1::Ticket& ticket : page.tickets()) names.push_back(ticket.name());
    std::sort(names.begin(), names.end());
    return names;
  }

  TestServer server_{/*scheduler=*/false};
  RpcClient client_{server_};
};

TEST_F(RequestRetentionTest, AThousandRetriesMakeOneTicketAndOneAnswer) {
  const std::string request = Deploy("deploy-retried").SerializeAsString();
  constexpr int kThreads = 8;
  constexpr int kRetriesPerThread = 125;
  std::vector<std::vector<std::string>> replies(kThreads);
  std::vector<std::vector<std::string>> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRetriesPerThread; ++i) {
        const RawReply reply = RawCall(server_.channel(), kCreateTicket, "leader", request);
        if (!reply.status.ok() || !reply.message) {
          errors[t].push_back(reply.status.error_message());
        } else {
          replies[t].push_back(*reply.message);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::string first;
  int answers = 0;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(errors[t].empty()) << errors[t].size() << " calls failed, e.g. " << errors[t][0];
    for (const std::string& reply : replies[t]) {
      if (answers++ == 0) first = reply;
      ASSERT_TRUE(reply == first) << "reply " << answers << " differs from the first";
    }
  }
  EXPECT_EQ(answers, kThreads * kRetriesPerThread);
  v1::Ticket ticket;
  ASSERT_TRUE(ticket.ParseFromString(first));
  EXPECT_EQ(TicketNames(), std::vector<std::string>{ticket.name()});
  EXPECT_EQ(client_.MustHistory("leader", ticket.name()).size(), 1u);
}

TEST_F(RequestRetentionTest, TheSameIdForAnotherRequestIsRefusedOnRequestId) {
  v1::CreateTicketRequest request = Deploy("deploy-reused");
  const std::string first = MustCreateRaw(request);

  request.mutable_ticket()->set_title("另一个任务");
  RawReply other =
      RawCall(server_.channel(), kCreateTicket, "leader", request.SerializeAsString());
  EXPECT_EQ(other.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(other.status), std::vector<std::string>{"request_id"});
  EXPECT_NE(other.status.error_message().find("request_id"), std::string::npos)
      << other.status.error_message();

  // Another method with the same id, by the same principal.
  v1::Ticket ticket;
  ASSERT_TRUE(ticket.ParseFromString(first));
  v1::CancelTicketRequest cancel;
  cancel.set_name(ticket.name());
  cancel.set_reason("重复部署");
  cancel.set_request_id("deploy-reused");
  v1::Ticket ignored;
  grpc::Status cancelled = client_.Call("leader", &Tickets::CancelTicket, cancel, &ignored);
  EXPECT_EQ(cancelled.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(cancelled), std::vector<std::string>{"request_id"});

  EXPECT_EQ(TicketNames(), std::vector<std::string>{ticket.name()});
  EXPECT_EQ(client_.MustGet("leader", ticket.name()).stage(), v1::STAGE_DEPLOY);
}

TEST_F(RequestRetentionTest, AnAnswerIsKeptForTheRetentionAndNotAfter) {
  ASSERT_EQ(storage::kRequestRetention, absl::Hours(24)) << "docs/api.md says 24 hours";
  const v1::CreateTicketRequest request = Deploy("deploy-kept");
  const std::string first = MustCreateRaw(request);

  // At the very end of the window the retry is still a retry.
  server_.Advance(storage::kRequestRetention);
  EXPECT_TRUE(MustCreateRaw(request) == first) << "a retry at 24 hours got another answer";
  EXPECT_EQ(TicketNames(), std::vector<std::string>{"tickets/1"});

  // Past it, the id is free: the same request is a new one, with a new
  // answer that later retries get.
  server_.Advance(absl::Seconds(1));
  const std::string second = MustCreateRaw(request);
  EXPECT_FALSE(second == first) << "a retry past 24 hours got the first answer back";
  v1::Ticket made;
  ASSERT_TRUE(made.ParseFromString(second));
  EXPECT_EQ(made.name(), "tickets/2");
  EXPECT_EQ(TicketNames(), (std::vector<std::string>{"tickets/1", "tickets/2"}));
  server_.Advance(absl::Hours(1));
  EXPECT_TRUE(MustCreateRaw(request) == second) << "a retry of the new request got another answer";
  EXPECT_EQ(TicketNames().size(), 2u);
}

TEST_F(RequestRetentionTest, PastTheRetentionAnIdMayCarryAnotherRequest) {
  v1::CreateTicketRequest request = Deploy("deploy-reused-later");
  MustCreateRaw(request);
  server_.Advance(storage::kRequestRetention + absl::Seconds(1));
  request.mutable_ticket()->set_title("第二天的另一个任务");
  v1::Ticket second;
  ASSERT_TRUE(second.ParseFromString(MustCreateRaw(request)));
  EXPECT_EQ(second.title(), "第二天的另一个任务");
  EXPECT_EQ(TicketNames(), (std::vector<std::string>{"tickets/1", "tickets/2"}));
}

}  // namespace
}  // namespace duban::testing
