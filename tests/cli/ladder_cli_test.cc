// The escalation ladder through the real binaries: a training county whose
// clock runs a day in half a second (slow enough for a loaded machine to
// sign for the ticket before its sign-for deadline) fires REMINDER → YELLOW → RED →
// REFERRAL once each while `duban events watch` follows; the discipline
// commission decides and the organization department reads the record;
// `duban escalate` previews and sweeps.
#include <gtest/gtest.h>

#include <csignal>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"

namespace duban::testing {
namespace {

class LadderCliTest : public ::testing::Test {
 protected:
  void StartServer(std::vector<std::string> flags) {
    server_ = std::make_unique<DubandProcess>(DUBAND_PATH, scratch_.path() + "/data", flags);
  }

  std::vector<std::string> Env() const { return {"DUBAN_SERVER=" + server_->address()}; }

  std::string Ok(const std::string& token, std::vector<std::string> args) {
    std::vector<std::string> argv = {DUBAN_CLI_PATH, "--token", token};
    argv.insert(argv.end(), args.begin(), args.end());
    CommandResult result = RunCommand(argv, Env());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  ScratchDir scratch_;
  std::unique_ptr<DubandProcess> server_;
};

TEST_F(LadderCliTest, UnitsWatchTheirOwnTicketsAndAWatchMayStartFromNow) {
  StartServer({"--dev"});
  Ok("leader", {"ticket", "deploy", "--title", "秸秆禁烧巡查", "--lead", "nongye", "--due-in", "2wd"});

  const std::string mine = Ok("nongye", {"events", "watch", "--until-caught-up"});
  EXPECT_NE(mine.find("tickets/1  CREATED"), std::string::npos) << mine;
  EXPECT_EQ(Ok("chengguan", {"events", "watch", "--until-caught-up"}), "")
      << "another unit's ticket";

  const std::string from_now = Ok("nongye", {"events", "watch", "--from-now", "--until-caught-up"});
  EXPECT_NE(from_now.find("watching from here"), std::string::npos) << from_now;
  EXPECT_EQ(from_now.find("CREATED"), std::string::npos) << from_now;

  std::vector<std::string> both = {DUBAN_CLI_PATH, "--token", "nongye", "events", "watch",
                                   "--after", "0", "--from-now"};
  EXPECT_EQ(RunCommand(both, Env()).exit_code, 2);
}

TEST_F(LadderCliTest, TrainingCountyWatchesTheLadderFireOnceEach) {
  StartServer({"--dev", "--time_scale", "172800"});
  ChildProcess watch({DUBAN_CLI_PATH, "--token", "escalator", "events", "watch"}, Env(),
                     ChildProcess::kStdout);
  Ok("leader",
     {"ticket", "deploy", "--title", "秸秆禁烧巡查", "--lead", "nongye", "--due-in", "2wd"});
  Ok("nongye", {"ticket", "sign", "1"});
  ASSERT_TRUE(watch.ReadUntil("REFERRAL on nongye")) << watch.output();

  // After the signing, each level fires once, in order.
  const std::string after_signing = watch.output().substr(watch.output().find("SIGNED"));
  std::vector<std::string> levels;
  for (absl::string_view line : absl::StrSplit(after_signing, '\n')) {
    if (line.find("ESCALATED") == absl::string_view::npos) continue;
    for (const char* level : {"REMINDER", "YELLOW", "RED", "REFERRAL"}) {
      if (line.find(absl::StrCat(level, " on ")) != absl::string_view::npos)
        levels.push_back(level);
    }
  }
  EXPECT_EQ(levels, (std::vector<std::string>{"REMINDER", "YELLOW", "RED", "REFERRAL"}))
      << after_signing;

  std::string referrals = Ok("discipline", {"referral", "list", "--undecided"});
  EXPECT_NE(referrals.find("秸秆禁烧巡查"), std::string::npos) << referrals;
  std::vector<std::string> argv = {DUBAN_CLI_PATH, "--token", "nongye", "referral", "list"};
  EXPECT_EQ(RunCommand(argv, Env()).exit_code, 1) << "units may not read referrals";

  std::string decided = Ok("discipline", {"referral", "decide", "1", "--kind", "talk", "--reason",
                                          "约谈农业农村局分管负责人"});
  EXPECT_NE(decided.find("TALK"), std::string::npos) << decided;
  std::string record = Ok("organization", {"record", "unit", "nongye"});
  EXPECT_NE(record.find("TALK 1"), std::string::npos) << record;
  EXPECT_NE(record.find("REFERRAL 1"), std::string::npos) << record;
  std::string history = Ok("leader", {"ticket", "history", "1"});
  EXPECT_NE(history.find("REFERRAL_DECIDED"), std::string::npos) << history;
}

TEST_F(LadderCliTest, EscalatePreviewsTheFutureAndSweepsNow) {
  StartServer({"--dev", "--escalation", "off"});
  Ok("leader",
     {"ticket", "deploy", "--title", "耕地保护专项检查", "--lead", "ziran", "--due-in", "2wd"});
  Ok("ziran", {"ticket", "sign", "1"});
  const std::string far =
      absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * 40), absl::UTCTimeZone());
  std::string preview = Ok("escalator", {"escalate", "--dry-run", "--as-of", far});
  EXPECT_NE(preview.find("would fire"), std::string::npos) << preview;
  for (const char* level : {"REMINDER", "YELLOW", "RED", "REFERRAL"}) {
    EXPECT_NE(preview.find(level), std::string::npos) << level << " missing from\n" << preview;
  }
  std::string now = Ok("escalator", {"escalate"});
  EXPECT_NE(now.find("fired at"), std::string::npos) << now;
  EXPECT_NE(now.find(": 0"), std::string::npos) << "nothing is due yet:\n" << now;

  std::vector<std::string> future = {DUBAN_CLI_PATH, "--token", "escalator",
                                     "escalate",     "--as-of", far};
  CommandResult refused = RunCommand(future, Env());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("as_of_time"), std::string::npos) << refused.err;

  std::string workdays =
      Ok("nongye", {"calendar", "add-workdays", "--from", "2024-09-30", "--days", "1"});
  EXPECT_NE(workdays.find("2024-10-08"), std::string::npos) << workdays;
  std::string policy = Ok("nongye", {"policy", "get"});
  EXPECT_NE(policy.find("REFERRAL"), std::string::npos) << policy;
}

// The createTime of `ticket` in its `-o json` output.
absl::Time CreateTime(const std::string& json) {
  const std::string key = "\"createTime\": \"";
  const size_t at = json.find(key);
  absl::Time time = absl::InfinitePast();
  std::string error;
  if (at == std::string::npos ||
      !absl::ParseTime(absl::RFC3339_full,
                       json.substr(at + key.size(), json.find('"', at + key.size()) - at - key.size()),
                       &time, &error)) {
    ADD_FAILURE() << "no createTime in " << json << " " << error;
  }
  return time;
}

// A training county killed without a clean stop resumes after its newest
// event, not at the real time: nothing new is dated before what is there.
TEST_F(LadderCliTest, ATrainingCountyKilledResumesAfterItsNewestEvent) {
  const std::vector<std::string> flags = {"--dev", "--time_scale", "100000", "--escalation",
                                          "off"};
  StartServer(flags);
  const std::vector<std::string> deploy = {"ticket", "deploy", "--title", "秸秆禁烧巡查",
                                           "--lead", "nongye", "--due", "2030-12-31"};
  Ok("leader", deploy);
  const absl::Time first = CreateTime(Ok("leader", {"-o", "json", "ticket", "get", "1"}));
  // Work on until the county's clock has run a day past the first ticket.
  absl::Time newest = first;
  int id = 1;
  while (newest < first + absl::Hours(24) && id < 1000) {
    Ok("leader", deploy);
    ++id;
    newest = CreateTime(Ok("leader", {"-o", "json", "ticket", "get", absl::StrCat(id)}));
  }
  server_->Signal(SIGKILL);
  server_->Wait();
  StartServer(flags);
  Ok("leader", deploy);
  const absl::Time resumed =
      CreateTime(Ok("leader", {"-o", "json", "ticket", "get", absl::StrCat(id + 1)}));
  EXPECT_GE(resumed, newest);
}

}  // namespace
}  // namespace duban::testing
