// duband's configuration from flag files and the environment, its --help,
// and its metrics endpoint, with the real binary.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/support/http_get.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"

namespace duban::testing {
namespace {

class DubandConfigTest : public ::testing::Test {
 protected:
  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = absl::StrCat(scratch_.path(), "/", name);
    std::ofstream(path) << text;
    return path;
  }
  std::string DataDir() const { return scratch_.path() + "/data"; }

  ScratchDir scratch_;
};

TEST_F(DubandConfigTest, TakesFlagsFromAFlagFileAndTheEnvironment) {
  const std::string flags = WriteFile("duband.flags", absl::StrCat(
      "# a county's duband\n"
      "--data=", DataDir(), "\n"
      "\n"
      "--dev\n"
      "--metrics-listen=127.0.0.1:0\n"));
  ChildProcess server({DUBAND_PATH, "--flagfile", flags},
                      {"DUBAND_LISTEN=127.0.0.1:0", "DUBAND_DATA=/nonexistent/overridden"},
                      ChildProcess::kStderr);
  ASSERT_TRUE(server.ReadUntil("/metrics")) << server.output();
  // The flag file's --data wins over DUBAND_DATA: the command line wins.
  EXPECT_TRUE(absl::StrContains(server.output(), absl::StrCat("with data in ", DataDir())))
      << server.output();
  EXPECT_TRUE(absl::StrContains(server.output(), "\"level\":\"info\"")) << server.output();

  const std::string& log = server.output();
  const size_t port_at = log.find("\"metrics_port\":") + std::strlen("\"metrics_port\":");
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(log.substr(port_at, log.find('}', port_at) - port_at), &port))
      << log;
  absl::StatusOr<std::string> metrics = HttpGet(port, "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_TRUE(absl::StrContains(*metrics, "# TYPE duban_tickets_overdue gauge")) << *metrics;
  EXPECT_TRUE(absl::StrContains(*metrics, "duban_tickets_overdue 0"));
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

TEST_F(DubandConfigTest, RefusesABadEnvironmentValueNamingTheVariable) {
  CommandResult result = RunCommand({DUBAND_PATH, "--listen=127.0.0.1:0", "--data", DataDir()},
                                    {"DUBAND_MAX_THREADS=many"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(result.err, "DUBAND_MAX_THREADS=many")) << result.err;
}

TEST_F(DubandConfigTest, RefusesAFlagFileLineThatIsNoFlag) {
  const std::string flags = WriteFile("bad.flags", "--dev\nlisten 127.0.0.1:0\n");
  CommandResult result = RunCommand({DUBAND_PATH, absl::StrCat("--flagfile=", flags)});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(result.err, absl::StrCat(flags, " line 2"))) << result.err;
}

TEST_F(DubandConfigTest, RefusesAnUnknownLogLevel) {
  CommandResult result = RunCommand(
      {DUBAND_PATH, "--listen=127.0.0.1:0", "--data", DataDir(), "--log-level=chatty"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(result.err, "--log_level")) << result.err;
}

TEST_F(DubandConfigTest, HelpDocumentsEveryFlagAndTheEnvironment) {
  CommandResult result = RunCommand({DUBAND_PATH, "--help"});
  const std::string help = result.out + result.err;
  for (const char* flag : {"--listen", "--data", "--metrics_listen", "--log_level",
                           "--escalation", "--tls_cert", "--restore_from"}) {
    EXPECT_TRUE(absl::StrContains(help, flag)) << flag << "\n" << help;
  }
  EXPECT_TRUE(absl::StrContains(help, "DUBAND_<NAME>")) << help;
  EXPECT_TRUE(absl::StrContains(help, "--flagfile")) << help;
}

}  // namespace
}  // namespace duban::testing
