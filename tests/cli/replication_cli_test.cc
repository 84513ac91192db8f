// `duban admin replication` and `duban admin promote` with the real
// binaries: a primary and its replica say where each stands, the wait for
// a sequence returns once the replica has it, promotion makes the replica
// the primary of epoch 2, and promoting a primary is refused.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"

namespace duban::testing {
namespace {

class ReplicationCliTest : public ::testing::Test {
 protected:
  ReplicationCliTest() {
    primary_ = std::make_unique<DubandProcess>(
        DUBAND_PATH, scratch_.path() + "/primary",
        std::vector<std::string>{"--dev", "--http_listen", "off"});
    replica_ = std::make_unique<DubandProcess>(
        DUBAND_PATH, scratch_.path() + "/replica",
        std::vector<std::string>{"--dev", "--http_listen", "off", "--replica_of",
                                 primary_->address()});
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "replica said:\n" << replica_->log();
  }

  static CommandResult Duban(const DubandProcess& server, std::vector<std::string> args,
                             const std::string& token = "admin") {
    std::vector<std::string> argv = {DUBAN_CLI_PATH, "--server", server.address(), "--token",
                                     token};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  // The value of `field:` in `duban admin replication`'s output.
  static std::string Field(const std::string& out, const std::string& field) {
    for (absl::string_view line : absl::StrSplit(out, '\n')) {
      if (absl::ConsumePrefix(&line, field + ":")) {
        return std::string(absl::StripAsciiWhitespace(line));
      }
    }
    return "";
  }

  ScratchDir scratch_;
  std::unique_ptr<DubandProcess> primary_;
  std::unique_ptr<DubandProcess> replica_;
};

TEST_F(ReplicationCliTest, StatusOnBothSidesThenPromotion) {
  CommandResult deployed = Duban(*primary_, {"ticket", "deploy", "--title", "副本演练", "--lead",
                                             "nongye", "--due-in", "5wd"},
                                 "leader");
  ASSERT_EQ(deployed.exit_code, 0) << deployed.err;
  CommandResult primary = Duban(*primary_, {"admin", "replication"});
  ASSERT_EQ(primary.exit_code, 0) << primary.err;
  EXPECT_EQ(Field(primary.out, "role"), "PRIMARY");
  EXPECT_EQ(Field(primary.out, "epoch"), "1");
  const std::string sequence = Field(primary.out, "sequence");

  CommandResult replica =
      Duban(*replica_, {"admin", "replication", "--wait-for-sequence", sequence});
  ASSERT_EQ(replica.exit_code, 0) << replica.err;
  EXPECT_EQ(Field(replica.out, "role"), "REPLICA");
  EXPECT_EQ(Field(replica.out, "store"), Field(primary.out, "store"));
  EXPECT_EQ(Field(replica.out, "primary"), primary_->address());
  int64_t replica_sequence = 0;
  ASSERT_TRUE(absl::SimpleAtoi(Field(replica.out, "sequence"), &replica_sequence));
  int64_t primary_sequence = 0;
  ASSERT_TRUE(absl::SimpleAtoi(sequence, &primary_sequence));
  EXPECT_GE(replica_sequence, primary_sequence);
  // The primary lists the replica streaming from it.
  primary = Duban(*primary_, {"admin", "replication"});
  EXPECT_TRUE(absl::StrContains(primary.out, "principals/replica")) << primary.out;

  // A bad wait names its flag; promoting a primary is refused.
  CommandResult bad = Duban(*replica_, {"admin", "replication", "--wait-for-sequence", "soon"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(bad.err, "--wait-for-sequence")) << bad.err;
  CommandResult refused = Duban(*primary_, {"admin", "promote"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(refused.err, "FAILED_PRECONDITION")) << refused.err;
  // Only ADMIN promotes.
  CommandResult leader = Duban(*replica_, {"admin", "promote"}, "leader");
  EXPECT_TRUE(absl::StrContains(leader.err, "PERMISSION_DENIED")) << leader.err;

  CommandResult promoted = Duban(*replica_, {"admin", "promote"});
  ASSERT_EQ(promoted.exit_code, 0) << promoted.err;
  EXPECT_EQ(Field(promoted.out, "role"), "PRIMARY");
  EXPECT_EQ(Field(promoted.out, "epoch"), "2");
  ASSERT_TRUE(replica_->WaitForLog("promoted: this server is the primary of epoch 2"));
  CommandResult after = Duban(*replica_, {"admin", "replication"});
  EXPECT_EQ(Field(after.out, "role"), "PRIMARY");
  EXPECT_EQ(Field(after.out, "epoch"), "2");
  CommandResult fenced = Duban(*primary_, {"admin", "replication"});
  EXPECT_TRUE(absl::StrContains(Field(fenced.out, "role"), "FENCED")) << fenced.out;
  EXPECT_EQ(Field(fenced.out, "fenced by epoch"), "2");
}

}  // namespace
}  // namespace duban::testing
