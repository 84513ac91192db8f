// `duban login`, `logout`, `principal set-password`, `session list|revoke`
// and `audit events --security`, with the real binaries: the session is
// kept in a file only its owner may read, and later commands use it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"

namespace duban::testing {
namespace {

class LoginCliTest : public ::testing::Test {
 protected:
  LoginCliTest() {
    server_ = std::make_unique<DubandProcess>(DUBAND_PATH, scratch_.path() + "/data",
                                              std::vector<std::string>{"--dev"});
  }
  ~LoginCliTest() override {
    server_->Signal(SIGTERM);
    server_->Wait();
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "duband said:\n" << server_->log();
  }

  // `duban ARGS` with `input` on stdin and its configuration in the
  // scratch directory.
  CommandResult Duban(std::vector<std::string> args, const std::string& input = "") {
    std::vector<std::string> argv = {DUBAN_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv,
                      {"DUBAN_SERVER=" + server_->address(), "XDG_CONFIG_HOME=" + config_dir()},
                      input);
  }
  std::string config_dir() const { return scratch_.path() + "/config"; }
  std::string session_file() const { return config_dir() + "/duban/session"; }

  ScratchDir scratch_;
  std::unique_ptr<DubandProcess> server_;
};

TEST_F(LoginCliTest, LoginKeepsASessionThatLaterCommandsUseUntilLogout) {
  // Without a session or a token nothing is allowed.
  EXPECT_EQ(Duban({"ticket", "list"}).exit_code, 1);
  CommandResult login = Duban({"login", "leader"}, "leader\n");
  ASSERT_EQ(login.exit_code, 0) << login.err;
  EXPECT_TRUE(absl::StrContains(login.out, "logged in as leader")) << login.out;
  struct stat info;
  ASSERT_EQ(stat(session_file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  ASSERT_EQ(stat((config_dir() + "/duban").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700);

  CommandResult listed = Duban({"ticket", "list"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  // The session goes only to the server that issued it, by the address it
  // was given: the same server by another name gets no token.
  const std::string port = server_->address().substr(server_->address().rfind(':') + 1);
  CommandResult elsewhere = Duban({"--server", "localhost:" + port, "ticket", "list"});
  EXPECT_EQ(elsewhere.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(elsewhere.err, "MISSING_TOKEN")) << elsewhere.err;
  CommandResult sessions = Duban({"--token", "admin", "session", "list"});
  EXPECT_TRUE(absl::StrContains(sessions.out, "leader")) << sessions.out;

  CommandResult logout = Duban({"logout"});
  EXPECT_EQ(logout.exit_code, 0) << logout.err;
  EXPECT_NE(stat(session_file().c_str(), &info), 0);
  EXPECT_EQ(Duban({"ticket", "list"}).exit_code, 1);
  EXPECT_EQ(Duban({"logout"}).exit_code, 1);  // not logged in

  CommandResult events = Duban({"--token", "admin", "audit", "events", "--security"});
  EXPECT_EQ(events.exit_code, 0) << events.err;
  EXPECT_TRUE(absl::StrContains(events.out, "LOGIN")) << events.out;
  EXPECT_TRUE(absl::StrContains(events.out, "LOGOUT")) << events.out;
}

TEST_F(LoginCliTest, AWrongPasswordIsRefusedAndKeepsNothing) {
  CommandResult login = Duban({"login", "leader"}, "wrong\n");
  EXPECT_EQ(login.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(login.err, "UNAUTHENTICATED")) << login.err;
  struct stat info;
  EXPECT_NE(stat(session_file().c_str(), &info), 0);
  CommandResult events = Duban({"--token", "admin", "audit", "events", "--security"});
  EXPECT_TRUE(absl::StrContains(events.out, "LOGIN_FAILED")) << events.out;
  // The listing is of security events: the flag says so.
  EXPECT_EQ(Duban({"--token", "admin", "audit", "events"}).exit_code, 2);
}

TEST_F(LoginCliTest, SetPasswordEndsSessionsAndTheNewOneLogsIn) {
  ASSERT_EQ(Duban({"login", "leader"}, "leader\n").exit_code, 0);
  CommandResult weak = Duban({"--token", "admin", "principal", "set-password", "leader"}, "short\n");
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(weak.err, "field password")) << weak.err;
  CommandResult set =
      Duban({"--token", "admin", "principal", "set-password", "leader"}, "Qiu-ju-2026\n");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_TRUE(absl::StrContains(set.out, "1 session(s) ended")) << set.out;
  EXPECT_EQ(Duban({"ticket", "list"}).exit_code, 1);  // the kept session ended
  ASSERT_EQ(Duban({"login", "leader"}, "Qiu-ju-2026\n").exit_code, 0);
  // Changing one's own needs the current password first.
  CommandResult own =
      Duban({"principal", "set-password", "leader", "--old"}, "Qiu-ju-2026\nTian-an-2027\n");
  EXPECT_EQ(own.exit_code, 0) << own.err;
  EXPECT_EQ(Duban({"login", "leader"}, "Tian-an-2027\n").exit_code, 0);
}

TEST_F(LoginCliTest, ASessionFileOthersMayReadIsRefused) {
  ASSERT_EQ(Duban({"login", "leader"}, "leader\n").exit_code, 0);
  ASSERT_EQ(chmod(session_file().c_str(), 0644), 0);
  CommandResult refused = Duban({"ticket", "list"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(refused.err, "may be read by others")) << refused.err;
}

}  // namespace
}  // namespace duban::testing
