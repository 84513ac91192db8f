// The real `duban` against the real `duband`: the README tour, the error
// conventions, and a restart (clean and kill -9) that keeps the data.
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"

namespace duban::testing {
namespace {

class CliTest : public ::testing::Test {
 protected:
  CliTest() : server_(std::make_unique<DubandProcess>(DUBAND_PATH, data_dir())) {}

  // When a test fails, what the server said explains most failures.
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "duband said:\n" << server_->log();
  }

  std::string data_dir() const { return scratch_.path() + "/data"; }

  // Runs `duban --token TOKEN ARGS...` against the server.
  CommandResult Duban(const std::string& token, std::vector<std::string> args) {
    std::vector<std::string> argv = {DUBAN_CLI_PATH, "--token", token};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, {"DUBAN_SERVER=" + server_->address()});
  }

  // As Duban(), and the command must succeed.
  std::string Ok(const std::string& token, std::vector<std::string> args) {
    CommandResult result = Duban(token, args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  static std::string DaysFromNow(int days) {
    return absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * days), absl::UTCTimeZone());
  }

  ScratchDir scratch_;
  std::unique_ptr<DubandProcess> server_;
};

TEST_F(CliTest, TourWalksATaskAndAFindingAroundTheLoop) {
  std::string out = Ok(
      "leader", {"ticket", "deploy", "--title", "防返贫监测集中排查", "--lead", "nongye", "--coop",
                 "ziran,zhenxing", "--due", DaysFromNow(30), "--location", "chengguan"});
  EXPECT_NE(out.find("tickets/1"), std::string::npos) << out;
  EXPECT_NE(out.find("DEPLOY"), std::string::npos) << out;

  EXPECT_NE(Ok("nongye", {"ticket", "sign", "1", "--comment", "收到"}).find("IMPLEMENT"),
            std::string::npos);
  EXPECT_NE(Ok("ziran", {"ticket", "report", "1", "--comment", "已排查 6 个村", "--percent", "60"})
                .find("60%"),
            std::string::npos);
  EXPECT_NE(Ok("nongye", {"ticket", "submit", "1", "--comment", "办结报告"}).find("INSPECT"),
            std::string::npos);
  EXPECT_NE(Ok("inspector", {"ticket", "review", "1", "--reject", "--findings", "台账不全"})
                .find("FEEDBACK"),
            std::string::npos);
  EXPECT_NE(Ok("nongye", {"ticket", "plan", "1", "--plan", "三日内补齐"}).find("IMPROVE"),
            std::string::npos);
  Ok("nongye", {"ticket", "submit", "1", "--comment", "整改报告"});
  EXPECT_NE(Ok("inspector", {"ticket", "review", "tickets/1", "--accept"}).find("CLOSED"),
            std::string::npos);

  out = Ok("leader", {"ticket", "history", "1"});
  for (const char* event : {"CREATED", "SIGNED", "PROGRESS_REPORTED", "SUBMITTED", "REJECTED",
                            "PLAN_FILED", "ACCEPTED"}) {
    EXPECT_NE(out.find(event), std::string::npos) << event << " missing from\n" << out;
  }

  out = Ok("inspector", {"ticket", "file", "--title", "村内垃圾堆放", "--lead", "chengguan",
                         "--severity", "major", "--location", "chengguan-dongjie"});
  EXPECT_NE(out.find("FEEDBACK"), std::string::npos) << out;
  out = Ok("chengguan", {"ticket", "list"});
  EXPECT_NE(out.find("村内垃圾堆放"), std::string::npos) << out;
  EXPECT_EQ(out.find("防返贫"), std::string::npos) << "chengguan must not see nongye's ticket";

  out = Ok("leader", {"-o", "json", "ticket", "get", "2"});
  EXPECT_NE(out.find("\"stage\": \"STAGE_FEEDBACK\""), std::string::npos) << out;
}

TEST_F(CliTest, ErrorsGiveTheCodeOnStderrAndANonZeroExit) {
  CommandResult refused = Duban(
      "leader", {"ticket", "deploy", "--title", "x", "--lead", "nowhere", "--due", DaysFromNow(3)});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("INVALID_ARGUMENT"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("ticket.lead_unit"), std::string::npos) << refused.err;

  CommandResult denied = Duban(
      "nongye", {"ticket", "deploy", "--title", "x", "--lead", "nongye", "--due", DaysFromNow(3)});
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.err.find("PERMISSION_DENIED"), std::string::npos) << denied.err;

  CommandResult unauthenticated = Duban("wrong-token", {"ticket", "list"});
  EXPECT_EQ(unauthenticated.exit_code, 1);
  EXPECT_NE(unauthenticated.err.find("UNAUTHENTICATED"), std::string::npos);

  CommandResult missing = Duban("leader", {"ticket", "get", "77"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("NOT_FOUND"), std::string::npos);

  CommandResult usage = Duban("leader", {"ticket", "sign"});
  EXPECT_EQ(usage.exit_code, 2);
  CommandResult unknown_flag = Duban("leader", {"ticket", "list", "--colour", "red"});
  EXPECT_EQ(unknown_flag.exit_code, 2);
  EXPECT_NE(unknown_flag.err.find("--colour"), std::string::npos);
}

TEST_F(CliTest, AdminAddsAPrincipalWhoseNewTokenWorks) {
  CommandResult created = Duban("admin", {"principal", "create", "zhou", "--name", "周干事",
                                          "--role", "UNIT_STAFF", "--unit", "tongji"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const size_t at = created.err.find("token: ");
  ASSERT_NE(at, std::string::npos) << created.err;
  const std::string token = created.err.substr(at + 7, created.err.find('\n', at) - at - 7);
  EXPECT_EQ(Duban(token, {"ticket", "list"}).exit_code, 0);
  EXPECT_NE(Ok("leader", {"principal", "list", "--unit", "tongji"}).find("zhou"),
            std::string::npos);
}

TEST_F(CliTest, DataSurvivesCleanShutdownAndKill9) {
  Ok("leader", {"ticket", "deploy", "--title", "耕地保护专项检查", "--lead", "ziran", "--due",
                DaysFromNow(10)});
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(), 0) << server_->log();
  EXPECT_NE(server_->log().find("stopped"), std::string::npos) << server_->log();

  server_ = std::make_unique<DubandProcess>(DUBAND_PATH, data_dir());
  Ok("ziran", {"ticket", "sign", "1"});
  server_->Signal(SIGKILL);
  EXPECT_EQ(server_->Wait(), 128 + SIGKILL);

  server_ = std::make_unique<DubandProcess>(DUBAND_PATH, data_dir());
  std::string out = Ok("leader", {"ticket", "get", "1"});
  EXPECT_NE(out.find("耕地保护专项检查"), std::string::npos) << out;
  EXPECT_NE(out.find("IMPLEMENT"), std::string::npos) << out;
}

// What an administrator sees of the server's memory: the default budget,
// the resident memory against it, the cache and its memtables, the store.
TEST_F(CliTest, AdministratorsSeeWhereTheMemoryIs) {
  Ok("leader", {"ticket", "deploy", "--title", "秸秆禁烧巡查", "--lead", "ziran", "--due",
                DaysFromNow(10)});
  const std::string out = Ok("admin", {"admin", "stats"});
  for (const char* line : {"memory budget", "512.0 MiB", "resident (RSS)", "% of 512.0 MiB",
                           "block cache", "% of 448.0 MiB", "memtables", "% of 56.0 MiB",
                           "pinned", "table readers", "store on disk", "sequence"}) {
    EXPECT_NE(out.find(line), std::string::npos) << line << " missing from\n" << out;
  }
  const std::string json = Ok("admin", {"-o", "json", "admin", "stats"});
  EXPECT_NE(json.find("memoryBudgetBytes"), std::string::npos) << json;
  EXPECT_NE(json.find("\"536870912\""), std::string::npos) << json;
  EXPECT_EQ(Duban("leader", {"admin", "stats"}).exit_code, 1) << "ADMIN only";
}

// --memory_budget (or --memory-budget): a budget too small is refused
// naming the flag and the minimum; one given is the one the server keeps.
TEST(DubandTest, TakesAMemoryBudgetAndRefusesOneTooSmall) {
  ScratchDir scratch;
  CommandResult small = RunCommand({DUBAND_PATH, "--dev", "--listen", "127.0.0.1:0", "--data",
                                    scratch.path() + "/d", "--memory-budget", "100MiB"});
  EXPECT_EQ(small.exit_code, 1);
  EXPECT_NE(small.err.find("--memory_budget: memory budget 100 MiB is too small"),
            std::string::npos)
      << small.err;
  EXPECT_NE(small.err.find("at least 128 MiB"), std::string::npos) << small.err;
  CommandResult garbled = RunCommand({DUBAND_PATH, "--dev", "--listen", "127.0.0.1:0", "--data",
                                      scratch.path() + "/d", "--memory_budget=lots"});
  EXPECT_EQ(garbled.exit_code, 1);
  EXPECT_NE(garbled.err.find("memory_budget"), std::string::npos) << garbled.err;
  EXPECT_NE(garbled.err.find("512MiB"), std::string::npos) << "says what to write: " << garbled.err;

  DubandProcess server(DUBAND_PATH, scratch.path() + "/d", {"--dev", "--memory-budget=256MiB"});
  EXPECT_NE(server.log().find("memory budget 256MiB: block cache 192MiB with memtables up to "
                              "24MiB"),
            std::string::npos)
      << server.log();
  CommandResult stats = RunCommand({DUBAN_CLI_PATH, "--token", "admin", "admin", "stats"},
                                   {"DUBAN_SERVER=" + server.address()});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("% of 256.0 MiB"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("% of 192.0 MiB"), std::string::npos) << stats.out;
}

TEST(DubandTest, DevRefusesANonLoopbackAddress) {
  ScratchDir scratch;
  CommandResult result =
      RunCommand({DUBAND_PATH, "--dev", "--listen", "0.0.0.0:0", "--data", scratch.path() + "/d"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("loopback"), std::string::npos) << result.err;
}

// What an administrator checks: the server's health with the reasons, and
// what the calendar covers.
TEST_F(CliTest, AdministratorsSeeHealthAndTheCalendarStatus) {
  // Against the real clock: whether a calendar year is missing depends on
  // today (from November, next year's notice is due), so the two commands
  // must agree rather than match a fixed answer.
  const std::string status = Ok("nongye", {"calendar", "status"});
  for (const char* text : {"2023", "2024", "2025", "2026", "国务院办公厅", "covered until"}) {
    EXPECT_NE(status.find(text), std::string::npos) << text << " missing from\n" << status;
  }
  const bool year_missing = status.find("warning: ") != std::string::npos;
  const CommandResult health = Duban("admin", {"admin", "health"});
  for (const char* check : {"(server)", "duban.writes", "duban.calendar"}) {
    EXPECT_NE(health.out.find(check), std::string::npos) << health.out;
  }
  const size_t calendar = health.out.find("duban.calendar");
  ASSERT_NE(calendar, std::string::npos);
  const std::string calendar_line = health.out.substr(calendar, health.out.find('\n', calendar) - calendar);
  EXPECT_EQ(calendar_line.find("NOT_SERVING") != std::string::npos, year_missing) << health.out;
  EXPECT_EQ(health.exit_code, year_missing ? 1 : 0) << health.err;
  EXPECT_EQ(Duban("leader", {"admin", "health"}).exit_code, 1) << "ADMIN only";

  // Everything shipped is loaded: nothing to load, said so.
  CommandResult shipped = Duban("admin", {"calendar", "load", "--shipped"});
  EXPECT_EQ(shipped.exit_code, 1);
  EXPECT_NE(shipped.err.find("NOTHING_TO_LOAD"), std::string::npos) << shipped.err;
  EXPECT_EQ(Duban("admin", {"calendar", "load", "--shipped", "2027.json"}).exit_code, 2);
}

}  // namespace
}  // namespace duban::testing
