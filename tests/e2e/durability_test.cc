// What is acknowledged stays: a restart keeps tickets, history, directory
// changes and tokens; concurrent transitions over gRPC lose no update.
#include <gtest/gtest.h>

#include <thread>

#include "base/sha256.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

TEST(DurabilityTest, RestartKeepsEverythingAcknowledged) {
  TestServer server;
  std::string name;
  {
    RpcClient client(server);
    v1::Ticket ticket = client.MustCreate("leader", DeployRequest(server.clock().Now()));
    name = ticket.name();
    ASSERT_TRUE(
        client.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ticket)
            .ok());

    v1::CreatePrincipalRequest create;
    create.set_principal_id("wang");
    create.mutable_principal()->set_display_name("王干事");
    create.mutable_principal()->add_roles(v1::ROLE_UNIT_STAFF);
    create.mutable_principal()->set_unit("units/nongye");
    create.mutable_principal()->set_token_sha256(Sha256Hex("wang-secret"));
    v1::Principal principal;
    ASSERT_TRUE(client.Call("admin", &Directory::CreatePrincipal, create, &principal).ok());
    EXPECT_TRUE(principal.token_sha256().empty()) << "token hash must not be returned";
  }

  server.Restart();
  RpcClient client(server);
  v1::Ticket ticket = client.MustGet("wang-secret", name);  // the new principal's token works
  EXPECT_EQ(ticket.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(ticket.etag(), "2");
  std::vector<v1::TicketEvent> history = client.MustHistory("leader", name);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].type(), v1::EVENT_TYPE_SIGNED);

  // Ids continue after the restart; the demo county is not seeded twice.
  v1::Ticket next = client.MustCreate("leader", DeployRequest(server.clock().Now()));
  EXPECT_EQ(next.name(), "tickets/2");
  v1::ListPrincipalsRequest list;
  list.set_filter("unit=units/nongye");
  v1::ListPrincipalsResponse principals;
  ASSERT_TRUE(client.Call("leader", &Directory::ListPrincipals, list, &principals).ok());
  EXPECT_EQ(principals.principals_size(), 2);  // nongye (demo) and wang
}

TEST(DurabilityTest, ConcurrentTransitionsOfOneTicketLoseNoUpdate) {
  TestServer server;
  RpcClient setup(server);
  v1::Ticket ticket = setup.MustCreate("leader", DeployRequest(server.clock().Now()));
  ASSERT_TRUE(
      setup.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ticket).ok());

  constexpr int kThreads = 6;
  constexpr int kReportsEach = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      RpcClient client(server);
      for (int i = 0; i < kReportsEach; ++i) {
        auto report = On<v1::ReportTicketProgressRequest>(ticket);
        report.set_comment("线程 " + std::to_string(t) + " 第 " + std::to_string(i) + " 次");
        v1::Ticket ignored;
        if (!client
                 .Call(t % 2 == 0 ? "nongye" : "ziran", &Tickets::ReportTicketProgress, report,
                       &ignored)
                 .ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const int expected_revision = 2 + kThreads * kReportsEach;
  EXPECT_EQ(setup.MustGet("leader", ticket.name()).etag(), std::to_string(expected_revision));
  std::vector<v1::TicketEvent> history = setup.MustHistory("leader", ticket.name());
  ASSERT_EQ(history.size(), static_cast<size_t>(expected_revision));
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].sequence(), static_cast<int64_t>(i + 1));
  }
}

}  // namespace
}  // namespace duban::testing
