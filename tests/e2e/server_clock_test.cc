// The server's clock against the store: a training county (--time_scale)
// resumes from where its clock stopped, so a restart never dates new
// events before old ones; and any server whose clock reads earlier than
// the newest stored event says so in its log.
#include <gtest/gtest.h>

#include <string>

#include "base/time_convert.h"
#include "tests/e2e/rpc_client.h"
#include "tests/support/log_file.h"

namespace duban::testing {
namespace {

absl::Time Created(const v1::Ticket& ticket) { return FromTimestamp(ticket.create_time()); }

// A day of training time passes in 86.4 s of real time; the test's real
// clock moves only when the test moves it.
TEST(ServerClockTest, ATrainingCountyResumesWhereItsClockStopped) {
  TestServer server([](ServerOptions& options) { options.time_scale = 1000; },
                    /*scheduler=*/false);
  const absl::Time real_start = server.clock().Now();
  v1::Ticket first;
  {
    RpcClient client(server);
    server.clock().Advance(absl::Minutes(30));  // 500 hours of training time
    first = client.MustCreate("leader", DeployRequest(real_start + absl::Hours(600)));
    EXPECT_GE(Created(first), real_start + absl::Hours(499));
    server.clock().Advance(absl::Minutes(6));  // 100 more hours, no event
  }
  // Restarted the same day in real time: the training clock goes on from
  // the 600 hours it had reached, not from the real time.
  server.Stop();
  server.clock().Set(real_start + absl::Minutes(40));
  server.Restart();
  RpcClient client(server);
  const v1::Ticket second =
      client.MustCreate("leader", DeployRequest(real_start + absl::Hours(1000)));
  EXPECT_GE(Created(second), Created(first));
  EXPECT_GE(Created(second), real_start + absl::Hours(600));
  EXPECT_LT(Created(second), real_start + absl::Hours(601));

  // Again, restarted at an even earlier real time.
  server.clock().Advance(absl::Minutes(60));  // to 1,600 hours
  const v1::Ticket third =
      client.MustCreate("leader", DeployRequest(real_start + absl::Hours(2000)));
  server.Stop();
  server.clock().Set(real_start);
  server.Restart();
  RpcClient again(server);
  const v1::Ticket fourth =
      again.MustCreate("leader", DeployRequest(real_start + absl::Hours(3000)));
  EXPECT_GE(Created(fourth), Created(third));
}

TEST(ServerClockTest, AClockBehindTheNewestEventIsLoggedWithBothTimes) {
  LogFile log;
  TestServer server(
      [&log](ServerOptions& options) {
        options.log = std::make_shared<JsonLog>(log.file(), LogLevel::kInfo);
      },
      /*scheduler=*/false);
  {
    RpcClient client(server);
    client.MustCreate("leader", DeployRequest(server.clock().Now()));
  }
  server.Restart();
  EXPECT_EQ(log.Contents().find("earlier than the newest event"), std::string::npos)
      << "a clock that moved on is no news";

  server.clock().Advance(-absl::Hours(26));
  server.Restart();
  const std::string logged = log.Contents();
  const size_t warning = logged.find("earlier than the newest event");
  ASSERT_NE(warning, std::string::npos) << logged;
  const std::string line = logged.substr(logged.rfind('\n', warning) + 1);
  EXPECT_NE(line.find("\"level\":\"warning\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"now\":\"2025-03-01T23:00:00+00:00\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"newest_event\":\"2025-03-03T01:00:00+00:00\""), std::string::npos)
      << line;
  server.Stop();
}

}  // namespace
}  // namespace duban::testing
