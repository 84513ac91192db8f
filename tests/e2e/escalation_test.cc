// The escalation ladder over real gRPC: the built-in scheduler and the
// Sweep RPC fire REMINDER → YELLOW → RED → REFERRAL once each — also with
// two sweeps at once, a sweep stopped half-way, and a restart in between.
#include <gtest/gtest.h>

#include <thread>

#include "base/time_convert.h"
#include "tests/e2e/event_watcher.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

// 24:00 Asia/Shanghai of `day` in March 2025 (no holidays that month).
absl::Time EndOfMarch(int day) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilDay(2025, 3, day + 1), zone);
}

int CountEscalations(RpcClient& client, const std::string& ticket, v1::EscalationLevel level) {
  int count = 0;
  for (const v1::TicketEvent& event : client.MustHistory("leader", ticket)) {
    count += event.type() == v1::EVENT_TYPE_ESCALATED && event.level() == level;
  }
  return count;
}

v1::SweepResponse MustSweep(RpcClient& client, const v1::SweepRequest& request) {
  v1::SweepResponse response;
  grpc::Status status = client.Call("escalator", &Escalations::Sweep, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

constexpr v1::EscalationLevel kLadder[] = {v1::ESCALATION_LEVEL_REMINDER,
                                           v1::ESCALATION_LEVEL_YELLOW, v1::ESCALATION_LEVEL_RED,
                                           v1::ESCALATION_LEVEL_REFERRAL};

TEST(EscalationTest, SchedulerFiresEachLevelOnceAsTheClockMoves) {
  TestServer server;  // Monday 2025-03-03 09:00, built-in scheduler on
  RpcClient client(server);
  // Due 24:00 Wednesday 03-05: REMINDER 24:00 Tuesday, YELLOW 24:00
  // Wednesday, RED 24:00 of the 3rd working day after (Monday 03-10),
  // REFERRAL 24:00 of the 5th (Wednesday 03-12).
  v1::Ticket ticket = DeployAndSign(client, 2);
  ASSERT_EQ(FromTimestamp(ticket.stage_due_time()), EndOfMarch(5));
  EXPECT_EQ(FromTimestamp(ticket.next_escalation_time()), EndOfMarch(4));

  EventWatcher watcher(server, "escalator");
  const std::pair<v1::EscalationLevel, absl::Time> steps[] = {
      {v1::ESCALATION_LEVEL_REMINDER, EndOfMarch(4)},
      {v1::ESCALATION_LEVEL_YELLOW, EndOfMarch(5)},
      {v1::ESCALATION_LEVEL_RED, EndOfMarch(10)},
      {v1::ESCALATION_LEVEL_REFERRAL, EndOfMarch(12)}};
  for (const auto& [level, at] : steps) {
    server.clock().Set(at + absl::Minutes(1));
    server.server().WakeScheduler();
    v1::StreamEvent fired = watcher.WaitFor(Escalated(ticket.name(), level));
    EXPECT_EQ(fired.event().card(), static_cast<v1::Card>(level + 1)) << level;
    EXPECT_EQ(fired.event().holder_unit(), "units/nongye");
    EXPECT_EQ(fired.event().deadline().seconds(), ticket.stage_due_time().seconds());
  }
  const v1::StreamEvent& referral = watcher.seen().back();
  EXPECT_FALSE(referral.event().referral().empty());
  EXPECT_EQ(referral.event().recipients(0), "units/jiwei");

  // Much later: nothing more is due, and each level is in the history once.
  server.Advance(absl::Hours(24 * 30));
  v1::SweepRequest sweep;
  EXPECT_EQ(MustSweep(client, sweep).firings_size(), 0);
  for (v1::EscalationLevel level : kLadder) {
    EXPECT_EQ(CountEscalations(client, ticket.name(), level), 1) << level;
  }
  v1::Ticket read = client.MustGet("leader", ticket.name());
  EXPECT_EQ(read.card(), v1::CARD_REFERRED);
  EXPECT_FALSE(read.has_next_escalation_time());
  EXPECT_EQ(read.referrals_size(), 1);
}

TEST(EscalationTest, DryRunLooksAheadAndChangesNothing) {
  TestServer server(/*scheduler=*/false);
  RpcClient client(server);
  v1::Ticket ticket = DeployAndSign(client, 2);

  v1::SweepRequest dry_run;
  dry_run.set_dry_run(true);
  *dry_run.mutable_as_of_time() = ToTimestamp(EndOfMarch(12) + absl::Minutes(1));
  v1::SweepResponse would = MustSweep(client, dry_run);
  ASSERT_EQ(would.firings_size(), 4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(would.firings(i).level(), kLadder[i]);
  EXPECT_EQ(FromTimestamp(would.firings(2).fire_time()), EndOfMarch(10));
  EXPECT_EQ(client.MustGet("leader", ticket.name()).etag(), ticket.etag());

  v1::SweepRequest future = dry_run;
  future.set_dry_run(false);
  v1::SweepResponse ignored;
  grpc::Status refused = client.Call("escalator", &Escalations::Sweep, future, &ignored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(refused), std::vector<std::string>{"as_of_time"});

  server.clock().Set(EndOfMarch(5) + absl::Minutes(1));
  v1::SweepResponse fired = MustSweep(client, v1::SweepRequest());
  ASSERT_EQ(fired.firings_size(), 2);
  EXPECT_EQ(fired.firings(0).level(), v1::ESCALATION_LEVEL_REMINDER);
  EXPECT_EQ(fired.firings(1).level(), v1::ESCALATION_LEVEL_YELLOW);
  EXPECT_EQ(MustSweep(client, v1::SweepRequest()).firings_size(), 0);
  EXPECT_EQ(client.MustGet("leader", ticket.name()).card(), v1::CARD_YELLOW);
}

TEST(EscalationTest, OnlyEscalatorsAndAdminsSweep) {
  TestServer server(/*scheduler=*/false);
  RpcClient client(server);
  v1::SweepResponse response;
  for (const char* token : {"leader", "inspector", "nongye", "discipline"}) {
    EXPECT_EQ(client.Call(token, &Escalations::Sweep, v1::SweepRequest(), &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  EXPECT_TRUE(client.Call("admin", &Escalations::Sweep, v1::SweepRequest(), &response).ok());
}

TEST(EscalationTest, TwoSweepsAtOnceFireEachLevelOnce) {
  TestServer server(/*scheduler=*/false);
  RpcClient client(server);
  constexpr int kTickets = 12;
  std::vector<std::string> names;
  for (int i = 0; i < kTickets; ++i) names.push_back(DeployAndSign(client, 2).name());
  server.clock().Set(EndOfMarch(12) + absl::Minutes(1));

  std::atomic<int> fired{0};
  std::vector<std::thread> sweepers;
  for (int t = 0; t < 2; ++t) {
    sweepers.emplace_back([&] {
      RpcClient own(server);
      fired += MustSweep(own, v1::SweepRequest()).firings_size();
    });
  }
  for (std::thread& sweeper : sweepers) sweeper.join();
  EXPECT_EQ(fired.load(), kTickets * 4);
  for (const std::string& name : names) {
    for (v1::EscalationLevel level : kLadder) {
      EXPECT_EQ(CountEscalations(client, name, level), 1) << name << " " << level;
    }
  }
  v1::ListReferralsRequest list;
  list.set_page_size(100);
  v1::ListReferralsResponse referrals;
  ASSERT_TRUE(client.Call("discipline", &Accountability::ListReferrals, list, &referrals).ok());
  EXPECT_EQ(referrals.referrals_size(), kTickets);
}

TEST(EscalationTest, ASweepFiresManyTicketsAtOnceAndAnswersInDueOrder) {
  TestServer server(/*scheduler=*/false);
  RpcClient client(server);
  constexpr int kTickets = 40;  // more than the sweeper's firing threads
  std::vector<std::string> names;
  for (int i = 0; i < kTickets; ++i) names.push_back(DeployAndSign(client, 2).name());
  server.clock().Set(EndOfMarch(12) + absl::Minutes(1));

  v1::SweepResponse fired = MustSweep(client, v1::SweepRequest());
  ASSERT_EQ(fired.firings_size(), kTickets * 4);
  // The same due time for all: ticket by ticket in id order, each up its ladder.
  for (int i = 0; i < fired.firings_size(); ++i) {
    EXPECT_EQ(fired.firings(i).ticket(), names[static_cast<size_t>(i / 4)]) << i;
    EXPECT_EQ(fired.firings(i).level(), kLadder[i % 4]) << i;
  }
  for (const std::string& name : names) {
    EXPECT_EQ(CountEscalations(client, name, v1::ESCALATION_LEVEL_REFERRAL), 1) << name;
  }
  EXPECT_EQ(MustSweep(client, v1::SweepRequest()).firings_size(), 0);
}

TEST(EscalationTest, SweepStoppedHalfWayThenRestartedFiresTheRestOnce) {
  TestServer server(/*scheduler=*/false);
  std::vector<std::string> names;
  {
    RpcClient client(server);
    for (int i = 0; i < 6; ++i) names.push_back(DeployAndSign(client, 2).name());
    server.clock().Set(EndOfMarch(12) + absl::Minutes(1));
    v1::SweepRequest partial;
    partial.set_limit(2);
    v1::SweepResponse first = MustSweep(client, partial);
    EXPECT_TRUE(first.truncated());
    EXPECT_EQ(first.firings_size(), 2 * 4);
  }
  server.Restart();
  RpcClient client(server);
  v1::SweepResponse rest = MustSweep(client, v1::SweepRequest());
  EXPECT_EQ(rest.firings_size(), 4 * 4);
  EXPECT_FALSE(rest.truncated());
  for (const std::string& name : names) {
    for (v1::EscalationLevel level : kLadder) {
      EXPECT_EQ(CountEscalations(client, name, level), 1) << name << " " << level;
    }
  }
}

TEST(EscalationTest, ALateReviewIsChargedToTheInspectionUnit) {
  TestServer server(/*scheduler=*/false);
  RpcClient client(server);
  v1::Ticket ticket = DeployAndSign(client, 2);
  auto submit = On<v1::SubmitTicketRequest>(ticket);
  submit.set_comment("办结报告");
  ASSERT_TRUE(client.Call("nongye", &Tickets::SubmitTicket, submit, &ticket).ok());
  EXPECT_EQ(ticket.holder(), v1::HOLDER_INSPECTION);
  EXPECT_EQ(ticket.holder_unit(), "units/ducha");

  server.Advance(absl::Hours(24 * 30));  // the 3-day review slipped far past REFERRAL
  v1::SweepResponse fired = MustSweep(client, v1::SweepRequest());
  ASSERT_EQ(fired.firings_size(), 4);
  for (const v1::Firing& firing : fired.firings()) EXPECT_EQ(firing.holder_unit(), "units/ducha");

  v1::GetUnitRecordRequest department;
  department.set_unit("units/nongye");
  v1::AccountabilityRecord nongye;
  ASSERT_TRUE(
      client.Call("organization", &Accountability::GetUnitRecord, department, &nongye).ok());
  EXPECT_EQ(nongye.referrals(), 0);
  EXPECT_EQ(nongye.escalations_size(), 0);
  v1::GetUnitRecordRequest inspection;
  inspection.set_unit("units/ducha");
  v1::AccountabilityRecord ducha;
  ASSERT_TRUE(client.Call("organization", &Accountability::GetUnitRecord, inspection, &ducha).ok());
  EXPECT_EQ(ducha.referrals(), 1);

  v1::GetTicketClocksRequest clocks_request;
  clocks_request.set_name(ticket.name());
  v1::TicketClocks clocks;
  ASSERT_TRUE(
      client.Call("leader", &Accountability::GetTicketClocks, clocks_request, &clocks).ok());
  ASSERT_EQ(clocks.slips_size(), 1);
  EXPECT_EQ(clocks.slips(0).holder_unit(), "units/ducha");
  EXPECT_EQ(clocks.slips(0).level(), v1::ESCALATION_LEVEL_REFERRAL);
  ASSERT_GE(clocks.intervals_size(), 2);
  EXPECT_EQ(clocks.intervals().rbegin()->holder_unit(), "units/ducha");
}

TEST(EscalationTest, AGrantedExtensionRestartsTheLadder) {
  TestServer server(/*scheduler=*/false);
  RpcClient client(server);
  v1::Ticket ticket = DeployAndSign(client, 2);
  server.clock().Set(EndOfMarch(4) + absl::Minutes(1));
  ASSERT_EQ(MustSweep(client, v1::SweepRequest()).firings_size(), 1);  // REMINDER

  auto ask = On<v1::RequestExtensionRequest>(ticket);
  ask.set_reason("需要等待统计局数据");
  ask.mutable_proposed_due_in()->set_working_days(5);
  ASSERT_TRUE(client.Call("nongye", &Tickets::RequestExtension, ask, &ticket).ok());
  EXPECT_TRUE(ticket.has_pending_extension());
  EXPECT_EQ(ticket.card(), v1::CARD_REMINDER);  // a pending request does not stop the clock

  auto grant = On<v1::DecideExtensionRequest>(ticket);
  grant.set_decision(v1::EXTENSION_DECISION_GRANT);
  v1::Ticket ignored;
  EXPECT_EQ(client.Call("ziran", &Tickets::DecideExtension, grant, &ignored).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(client.Call("leader", &Tickets::DecideExtension, grant, &ticket).ok());
  EXPECT_EQ(ticket.card(), v1::CARD_NONE);
  EXPECT_EQ(ticket.fired_levels_size(), 0);
  EXPECT_EQ(FromTimestamp(ticket.stage_due_time()), EndOfMarch(12));
  EXPECT_EQ(ticket.due_time().seconds(), ticket.stage_due_time().seconds());
  EXPECT_EQ(FromTimestamp(ticket.next_escalation_time()), EndOfMarch(11));
  EXPECT_EQ(MustSweep(client, v1::SweepRequest()).firings_size(), 0);
}

}  // namespace
}  // namespace duban::testing
