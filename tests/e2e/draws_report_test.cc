// Spot-check draws and the county report over real gRPC.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

using Draws = v1::DrawService::Stub;
using Reports = v1::ReportService::Stub;

// "TIER township: village, village" per drawn township.
std::vector<std::string> Lines(const v1::Draw& draw) {
  std::vector<std::string> lines;
  for (const v1::DrawnTownship& township : draw.townships()) {
    lines.push_back(absl::StrCat(v1::Tier_Name(township.tier()), " ", township.township(), ": ",
                                 absl::StrJoin(township.villages(), ", ")));
  }
  return lines;
}

TEST(DrawsTest, TheSameSeedDrawsTheSameTownshipsAndVillages) {
  TestServer server;
  auto stub = v1::DrawService::NewStub(server.channel());
  auto draw = [&](const v1::DrawSpotCheckRequest& request, v1::Draw* out) {
    grpc::ClientContext context;
    Authorize(context, "inspector");
    return stub->DrawSpotCheck(&context, request, out);
  };
  v1::DrawSpotCheckRequest request;
  request.set_seed(2023);
  v1::Draw first;
  v1::Draw second;
  ASSERT_TRUE(draw(request, &first).ok());
  ASSERT_TRUE(draw(request, &second).ok());
  EXPECT_NE(first.name(), second.name());  // two draws, both recorded
  ASSERT_EQ(first.townships_size(), 3);
  EXPECT_EQ(first.townships(0).tier(), v1::TIER_FAR);
  EXPECT_EQ(first.townships(1).tier(), v1::TIER_MIDDLE);
  EXPECT_EQ(first.townships(2).tier(), v1::TIER_NEAR);
  for (const v1::DrawnTownship& township : first.townships()) {
    EXPECT_EQ(township.villages_size(), 2) << township.township();
  }
  EXPECT_EQ(Lines(first), Lines(second));
  EXPECT_EQ(first.directory_fingerprint(), second.directory_fingerprint());
  EXPECT_EQ(first.actor(), "principals/inspector");

  request.set_per_tier(5);  // the NEAR and MIDDLE tiers have 4 townships
  v1::Draw refused;
  grpc::Status status = draw(request, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("tier"), std::string::npos) << status.error_message();

  request.set_per_tier(1);
  request.add_exclude(first.townships(0).township());
  v1::Draw excluding;
  ASSERT_TRUE(draw(request, &excluding).ok());
  EXPECT_NE(excluding.townships(0).township(), first.townships(0).township());

  grpc::ClientContext context;
  Authorize(context, "leader");
  EXPECT_EQ(stub->DrawSpotCheck(&context, request, &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST(DrawsTest, OpenTicketsCreatesAnInspectionTaskPerVillageWithTheDraw) {
  TestServer server;
  RpcClient client(server);
  auto stub = v1::DrawService::NewStub(server.channel());
  v1::DrawSpotCheckRequest request;
  request.set_seed(7);
  request.set_open_tickets(true);
  request.set_request_id("draw-2025-autumn");
  v1::Draw draw;
  {
    grpc::ClientContext context;
    Authorize(context, "inspector");
    ASSERT_TRUE(stub->DrawSpotCheck(&context, request, &draw).ok());
  }
  ASSERT_EQ(draw.tickets_size(), 6);
  v1::Draw retried;
  {
    grpc::ClientContext context;
    Authorize(context, "inspector");
    ASSERT_TRUE(stub->DrawSpotCheck(&context, request, &retried).ok());
  }
  EXPECT_EQ(retried.SerializeAsString(), draw.SerializeAsString());

  int index = 0;
  for (const v1::DrawnTownship& township : draw.townships()) {
    for (const std::string& village : township.villages()) {
      v1::Ticket ticket = client.MustGet("inspector", draw.tickets(index++));
      EXPECT_EQ(ticket.location(), village);
      EXPECT_EQ(ticket.lead_unit(), "units/ducha");
      EXPECT_EQ(ticket.stage(), v1::STAGE_IMPLEMENT);  // the inspection group takes it at once
      EXPECT_FALSE(ticket.requires_inspection());
    }
  }
  v1::ListTicketsRequest all;
  all.set_page_size(100);
  v1::ListTicketsResponse page;
  ASSERT_TRUE(client.Call("leader", &Tickets::ListTickets, all, &page).ok());
  EXPECT_EQ(page.tickets_size(), 6);  // the retry opened none

  v1::GetDrawRequest get;
  get.set_name(draw.name());
  v1::Draw stored;
  grpc::ClientContext context;
  Authorize(context, "nongye");
  ASSERT_TRUE(stub->GetDraw(&context, get, &stored).ok());
  EXPECT_EQ(stored.tickets_size(), 6);
}

TEST(ReportTest, CountyReportCountsTicketsCardsReferralsAndScores) {
  TestServer server(/*scheduler=*/false);
  RpcClient client(server);
  v1::Ticket late = DeployAndSign(client, 2);
  DeployAndSign(client, 20);
  v1::CreateTicketRequest flaw = FindingRequest();
  flaw.mutable_ticket()->set_severity(v1::SEVERITY_HARD_FLAW);
  client.MustCreate("inspector", flaw);
  server.Advance(absl::Hours(24 * 5));
  v1::SweepResponse swept;
  ASSERT_TRUE(client.Call("escalator", &Escalations::Sweep, v1::SweepRequest(), &swept).ok());

  auto stub = v1::ReportService::NewStub(server.channel());
  v1::CountyReport report;
  {
    grpc::ClientContext context;
    Authorize(context, "leader");
    ASSERT_TRUE(stub->GetCountyReport(&context, v1::GetCountyReportRequest(), &report).ok());
  }
  const v1::UnitReport* nongye = nullptr;
  const v1::UnitReport* chengguan = nullptr;
  for (const v1::UnitReport& line : report.units()) {
    if (line.unit() == "units/nongye") nongye = &line;
    if (line.unit() == "units/chengguan") chengguan = &line;
  }
  ASSERT_NE(nongye, nullptr);
  ASSERT_NE(chengguan, nullptr);
  EXPECT_EQ(nongye->display_name(), "农业农村局");
  EXPECT_EQ(nongye->open(), 2);
  EXPECT_EQ(nongye->overdue(), 1);
  ASSERT_EQ(nongye->cards_size(), 1);
  EXPECT_EQ(nongye->cards(0).card(), v1::CARD_YELLOW);  // due Wednesday; it is Saturday
  EXPECT_EQ(nongye->score(), "100");
  EXPECT_EQ(chengguan->referrals(), 1);
  EXPECT_EQ(report.total().open(), 3);
  EXPECT_EQ(report.total().referrals(), 1);

  grpc::ClientContext context;
  Authorize(context, "nongye");
  EXPECT_EQ(stub->GetCountyReport(&context, v1::GetCountyReportRequest(), &report).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace duban::testing
