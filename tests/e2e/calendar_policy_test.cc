// The calendar and the escalation policy over real gRPC: counting working
// days on the official calendar, loading a year, changing the ladder.
#include <gtest/gtest.h>

#include "base/time_convert.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

struct WorkdayCase {
  const char* from;
  int days;
  const char* expected;
};

TEST(CalendarPolicyTest, AddWorkingDaysLandsOnOfficialWorkingDays) {
  TestServer server;
  RpcClient client(server);
  const WorkdayCase cases[] = {
      {"2024-09-27", 1, "2024-09-29"},  // Friday before National Day → make-up Sunday
      {"2024-09-30", 1, "2024-10-08"},  // across the National Day holiday
      {"2024-02-09", 1, "2024-02-18"},  // 除夕 2024 → across Spring Festival to the make-up Sunday
      {"2024-12-31", 1, "2025-01-02"},  // across New Year
      {"2025-01-24", 1, "2025-01-26"},  // make-up Sunday before Spring Festival 2025
      {"2025-01-27", 1, "2025-02-05"},  // Spring Festival 2025
      {"2025-09-30", 1, "2025-10-09"},  // National Day 2025
  };
  for (const WorkdayCase& test : cases) {
    v1::AddWorkingDaysRequest request;
    request.set_from_date(test.from);
    request.set_days(test.days);
    v1::AddWorkingDaysResponse response;
    ASSERT_TRUE(client.Call("nongye", &Calendars::AddWorkingDays, request, &response).ok());
    EXPECT_EQ(response.date(), test.expected) << test.from;
    EXPECT_FALSE(response.weekends_only()) << test.from;
  }
  v1::AddWorkingDaysRequest beyond;
  beyond.set_from_date("2026-12-30");
  beyond.set_days(3);
  v1::AddWorkingDaysResponse response;
  ASSERT_TRUE(client.Call("nongye", &Calendars::AddWorkingDays, beyond, &response).ok());
  EXPECT_TRUE(response.weekends_only());  // 2027 has no calendar data
}

TEST(CalendarPolicyTest, AdminLoadsAYearAndDeadlinesRecordTheVersion) {
  TestServer server;
  RpcClient client(server);
  v1::LoadCalendarRequest load;
  load.set_source("国务院办公厅关于2027年部分节假日安排的通知");
  v1::CalendarYear& year = *load.add_years();
  year.set_year(2027);
  year.add_holidays("2027-01-01");
  year.add_makeup_workdays("2027-01-02");
  v1::Calendar calendar;
  EXPECT_EQ(client.Call("leader", &Calendars::LoadCalendar, load, &calendar).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(client.Call("admin", &Calendars::LoadCalendar, load, &calendar).ok());
  EXPECT_EQ(calendar.version(), 2);
  EXPECT_EQ(calendar.years().rbegin()->year(), 2027);
  EXPECT_EQ(calendar.years().rbegin()->source(), load.source());

  v1::AddWorkingDaysRequest request;
  request.set_from_date("2026-12-31");
  request.set_days(1);
  v1::AddWorkingDaysResponse response;
  ASSERT_TRUE(client.Call("nongye", &Calendars::AddWorkingDays, request, &response).ok());
  EXPECT_EQ(response.date(), "2027-01-02");
  EXPECT_FALSE(response.weekends_only());
  EXPECT_EQ(response.calendar_version(), 2);

  v1::Ticket ticket = client.MustCreate("leader", DeployRequest(server.clock().Now()));
  EXPECT_EQ(ticket.stage_due_basis().calendar_version(), 2);
  EXPECT_EQ(ticket.stage_due_basis().working_days(), 1);

  v1::LoadCalendarRequest bad;
  v1::CalendarYear& wrong = *bad.add_years();
  wrong.set_year(2028);
  wrong.add_makeup_workdays("2028-01-05");  // a Wednesday
  grpc::Status refused = client.Call("admin", &Calendars::LoadCalendar, bad, &calendar);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(refused), std::vector<std::string>{"years[0].makeup_workdays[0]"});
}

TEST(CalendarPolicyTest, AdminChangesTheLadderAndOpenTicketsFollow) {
  TestServer server(/*scheduler=*/false);
  RpcClient client(server);
  v1::Ticket ticket = DeployAndSign(client, 2);
  const absl::Time reminder = FromTimestamp(ticket.next_escalation_time());

  v1::EscalationPolicy policy;
  ASSERT_TRUE(client
                  .Call("nongye", &Escalations::GetEscalationPolicy,
                        v1::GetEscalationPolicyRequest(), &policy)
                  .ok());
  ASSERT_EQ(policy.ladder_size(), 4);
  policy.mutable_ladder(0)->set_offset_working_days(0);  // no reminder before the deadline
  v1::UpdateEscalationPolicyRequest update;
  *update.mutable_policy() = policy;
  v1::EscalationPolicy updated;
  EXPECT_EQ(
      client.Call("leader", &Escalations::UpdateEscalationPolicy, update, &updated).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(client.Call("admin", &Escalations::UpdateEscalationPolicy, update, &updated).ok());
  EXPECT_EQ(updated.version(), policy.version() + 1);
  grpc::Status stale = client.Call("admin", &Escalations::UpdateEscalationPolicy, update, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);

  v1::Ticket moved = client.MustGet("leader", ticket.name());
  EXPECT_EQ(FromTimestamp(moved.next_escalation_time()), FromTimestamp(moved.stage_due_time()));
  EXPECT_GT(FromTimestamp(moved.next_escalation_time()), reminder);
  EXPECT_EQ(moved.etag(), ticket.etag());

  update.mutable_policy()->set_etag(updated.etag());
  update.mutable_policy()->mutable_stage_clocks()->set_inspect_days(0);
  grpc::Status invalid =
      client.Call("admin", &Escalations::UpdateEscalationPolicy, update, &updated);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(invalid), std::vector<std::string>{"policy.stage_clocks.inspect_days"});
}

}  // namespace
}  // namespace duban::testing
