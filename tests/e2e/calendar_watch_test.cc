// A missing calendar year never goes unnoticed: `duban calendar status`
// (GetCalendarStatus), the start-up warning, the "duban.calendar" health
// check with its detail, and the duban_calendar_covered_until_year gauge
// — and a store made before the shipped calendar gained a year is told so
// and loads it with one call.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "duban/v1/admin_service.grpc.pb.h"
#include "tests/e2e/health_checks.h"
#include "tests/e2e/rpc_client.h"
#include "tests/support/http_get.h"
#include "tests/support/log_file.h"
#include "tests/support/raw_store.h"

namespace duban::testing {
namespace {

absl::Time Shanghai(int year, int month, int day) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilDay(year, month, day), zone) + absl::Hours(9);
}

v1::CalendarStatus Status(RpcClient& client) {
  v1::CalendarStatus status;
  grpc::Status called =
      client.Call("nongye", &Calendars::GetCalendarStatus, v1::GetCalendarStatusRequest(), &status);
  EXPECT_TRUE(called.ok()) << called.error_message();
  return status;
}

double CoveredUntil(TestServer& server) {
  absl::StatusOr<std::string> body = HttpGet(server.server().metrics_port(), "/metrics");
  EXPECT_TRUE(body.ok()) << body.status();
  for (absl::string_view line : absl::StrSplit(body.value_or(""), '\n')) {
    double value = 0;
    if (absl::StartsWith(line, "duban_calendar_covered_until_year ") &&
        absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) {
      return value;
    }
  }
  ADD_FAILURE() << "no duban_calendar_covered_until_year";
  return -1;
}

class CalendarWatchTest : public ::testing::Test {
 protected:
  CalendarWatchTest()
      : server_(
            [this](ServerOptions& options) {
              options.metrics_listen = "127.0.0.1:0";
              options.log = std::make_shared<JsonLog>(log_.file(), LogLevel::kInfo);
            },
            /*scheduler=*/false) {}
  ~CalendarWatchTest() override { server_.Stop(); }

  // Restarts the server with its clock at `time`.
  void RestartAt(absl::Time time) {
    server_.Stop();
    server_.clock().Set(time);
    server_.Restart();
  }

  LogFile log_;  // outlives the server that writes to it
  TestServer server_;
};

TEST_F(CalendarWatchTest, NextYearMissingFromNovemberIsFlaggedUntilItIsLoaded) {
  // October: 2026 is loaded, 2027 not yet due.
  RestartAt(Shanghai(2026, 10, 30));
  RpcClient client(server_);
  v1::CalendarStatus status = Status(client);
  EXPECT_EQ(status.current_year(), 2026);
  EXPECT_EQ(status.covered_until_year(), 2026);
  EXPECT_TRUE(status.missing_years().empty());
  EXPECT_TRUE(status.warnings().empty());
  ASSERT_EQ(status.years_size(), 4);
  EXPECT_TRUE(absl::StrContains(status.years(3).source(), "2025-11-04"));
  EXPECT_EQ(HealthOf(server_.channel(), "duban.calendar"), "SERVING");
  EXPECT_EQ(CoveredUntil(server_), 2026);

  // November: 2027 is missing, and everyone is told.
  RestartAt(Shanghai(2026, 11, 2));
  RpcClient november(server_);
  status = Status(november);
  EXPECT_EQ(std::vector<int>(status.missing_years().begin(), status.missing_years().end()),
            std::vector<int>{2027});
  ASSERT_EQ(status.warnings_size(), 1);
  EXPECT_TRUE(absl::StrContains(log_.Contents(), status.warnings(0)))
      << "the start-up log says it: " << log_.Contents();
  EXPECT_EQ(HealthOf(server_.channel(), "duban.calendar"), "NOT_SERVING");
  EXPECT_EQ(HealthOf(server_.channel(), ""), "SERVING") << "a missing year does not stop the county";
  const v1::HealthCheck check = HealthCheckOf(server_.channel(), "duban.calendar");
  EXPECT_FALSE(check.serving());
  EXPECT_TRUE(absl::StrContains(check.detail(), "2027")) << check.detail();
  EXPECT_EQ(CoveredUntil(server_), 2026);

  v1::LoadCalendarRequest load;
  load.set_source("国务院办公厅关于2027年部分节假日安排的通知");
  v1::CalendarYear& year = *load.add_years();
  year.set_year(2027);
  year.add_holidays("2027-01-01");
  v1::Calendar loaded;
  ASSERT_TRUE(november.Call("admin", &Calendars::LoadCalendar, load, &loaded).ok());
  EXPECT_EQ(HealthOf(server_.channel(), "duban.calendar"), "SERVING");
  EXPECT_TRUE(HealthCheckOf(server_.channel(), "duban.calendar").detail().empty());
  EXPECT_EQ(CoveredUntil(server_), 2027);
  EXPECT_TRUE(Status(november).warnings().empty());
}

// Removes calendar year `year` from the stopped store at `path`, as a store
// made by a release that did not ship it would lack it.
void ForgetYear(const std::string& path, int year) {
  std::string key = "calendar/";
  for (int shift = 24; shift >= 0; shift -= 8) key.push_back(static_cast<char>((year >> shift) & 0xff));
  ChangeRawStore(path, [&](rocksdb::DB& db, const RawFamilies& families) {
    EXPECT_TRUE(db.Delete(rocksdb::WriteOptions(), families.at("settings"), key).ok());
  });
}

TEST_F(CalendarWatchTest, AStoreWithoutTheShippedYearIsToldAndLoadsItWithOneCall) {
  server_.Stop();
  ASSERT_NO_FATAL_FAILURE(ForgetYear(server_.data_dir(), 2026));
  RestartAt(Shanghai(2026, 6, 1));
  RpcClient client(server_);
  v1::CalendarStatus status = Status(client);
  EXPECT_EQ(std::vector<int>(status.shipped_years_not_loaded().begin(),
                             status.shipped_years_not_loaded().end()),
            std::vector<int>{2026});
  EXPECT_EQ(status.covered_until_year(), 0);
  EXPECT_TRUE(absl::StrContains(log_.Contents(), "duban calendar load --shipped")) << log_.Contents();
  EXPECT_EQ(HealthOf(server_.channel(), "duban.calendar"), "NOT_SERVING");

  v1::LoadCalendarRequest shipped;
  shipped.set_shipped(true);
  shipped.set_request_id("load-shipped-1");
  v1::Calendar calendar;
  EXPECT_EQ(client.Call("leader", &Calendars::LoadCalendar, shipped, &calendar).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(client.Call("admin", &Calendars::LoadCalendar, shipped, &calendar).ok());
  EXPECT_EQ(calendar.version(), 2) << "a new calendar version";
  ASSERT_EQ(calendar.years().rbegin()->year(), 2026);
  EXPECT_EQ(calendar.years().rbegin()->version(), 2);
  EXPECT_EQ(calendar.years().begin()->version(), 1) << "the years already loaded stay as they were";
  status = Status(client);
  EXPECT_TRUE(status.shipped_years_not_loaded().empty());
  EXPECT_TRUE(status.warnings().empty());
  EXPECT_EQ(HealthOf(server_.channel(), "duban.calendar"), "SERVING");

  // A retry gets the first answer; a new request finds nothing to load.
  v1::Calendar retried;
  ASSERT_TRUE(client.Call("admin", &Calendars::LoadCalendar, shipped, &retried).ok());
  EXPECT_EQ(retried.SerializeAsString(), calendar.SerializeAsString());
  shipped.set_request_id("load-shipped-2");
  grpc::Status again = client.Call("admin", &Calendars::LoadCalendar, shipped, &calendar);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(again), "NOTHING_TO_LOAD");
}

TEST_F(CalendarWatchTest, ServerHealthIsForAdministrators) {
  grpc::ClientContext context;
  Authorize(context, "leader");
  v1::ServerHealth health;
  EXPECT_EQ(v1::AdminService::NewStub(server_.channel())
                ->GetServerHealth(&context, v1::GetServerHealthRequest(), &health)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  std::vector<std::string> services;
  grpc::ClientContext admin;
  Authorize(admin, "admin");
  ASSERT_TRUE(v1::AdminService::NewStub(server_.channel())
                  ->GetServerHealth(&admin, v1::GetServerHealthRequest(), &health)
                  .ok());
  for (const v1::HealthCheck& check : health.checks()) {
    services.push_back(check.service());
    EXPECT_TRUE(check.serving()) << check.service() << ": " << check.detail();
  }
  EXPECT_EQ(services, (std::vector<std::string>{"", "duban.calendar", "duban.replication",
                                                "duban.writes"}));
}

}  // namespace
}  // namespace duban::testing
