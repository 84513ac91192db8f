// The performance ledger, spot-check draws and the county report through the
// real binaries, on the demo county of `duband --dev`: a deduction charges
// the lead unit 3×D and each cooperating unit 70% of that; a failed veto puts
// its units first on the board until it is reversed; the same seed draws the
// same townships and villages; the report comes as a table, JSON and CSV.
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"

namespace duban::testing {
namespace {

class PerformanceCliTest : public ::testing::Test {
 protected:
  PerformanceCliTest() : server_(DUBAND_PATH, scratch_.path() + "/data") {}

  CommandResult Duban(const std::string& token, std::vector<std::string> args) {
    std::vector<std::string> argv = {DUBAN_CLI_PATH, "--token", token};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, {"DUBAN_SERVER=" + server_.address()});
  }

  std::string Ok(const std::string& token, std::vector<std::string> args) {
    CommandResult result = Duban(token, args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  ScratchDir scratch_;
  DubandProcess server_;
};

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// The table row whose first column is `first`, or "" when there is none.
std::string Row(const std::string& table, const std::string& first) {
  for (const std::string& line : Lines(table)) {
    if (absl::StartsWith(line, first + " ") || absl::StartsWith(line, first + ",")) return line;
  }
  return "";
}

// The rows of a table that start with one of `firsts`, in order.
std::vector<std::string> RowsStartingWith(const std::string& table,
                                          const std::vector<std::string>& firsts) {
  std::vector<std::string> rows;
  for (const std::string& line : Lines(table)) {
    for (const std::string& first : firsts) {
      if (absl::StartsWith(line, first + " ")) rows.push_back(line);
    }
  }
  return rows;
}

// The first column of each data row of a scoreboard, top to bottom.
std::vector<std::string> BoardOrder(const std::string& board) {
  std::vector<std::string> units;
  bool header_seen = false;
  for (const std::string& line : Lines(board)) {
    if (absl::StartsWith(line, "UNIT ")) {
      header_seen = true;
    } else if (header_seen) {
      units.push_back(std::string(absl::string_view(line).substr(0, line.find(' '))));
    }
  }
  return units;
}

// "ledgerEntries/7" from the `entry:` line of `duban ledger ...`.
std::string EntryName(const std::string& shown) {
  for (const std::string& line : Lines(shown)) {
    if (absl::StartsWith(line, "entry:")) {
      return std::string(absl::StripAsciiWhitespace(line.substr(6)));
    }
  }
  return "";
}

TEST_F(PerformanceCliTest, DeductionChargesLeadThreefoldAndCooperatingUnitsSeventyPercent) {
  std::string entry = Ok("performance", {"ledger", "deduct", "--indicator", "liangshi", "--points",
                                         "2", "--reason", "粮食播种面积未达目标"});
  const std::string name = EntryName(entry);
  ASSERT_TRUE(absl::StartsWith(name, "ledgerEntries/")) << entry;
  EXPECT_NE(Row(entry, "nongye").find("-6"), std::string::npos) << entry;
  EXPECT_NE(Row(entry, "tongji").find("-4.2"), std::string::npos) << entry;
  EXPECT_NE(Row(entry, "ziran").find("-4.2"), std::string::npos) << entry;

  static const struct {
    const char* unit;
    const char* score;
  } kScores[] = {{"nongye", " 94 "}, {"tongji", " 95.8 "}, {"ziran", " 95.8 "}};
  const std::string board = Ok("performance", {"score", "board"});
  for (const auto& expected : kScores) {
    EXPECT_NE(Row(board, expected.unit).find(expected.score), std::string::npos)
        << expected.unit << " should score" << expected.score << "in\n"
        << board;
  }

  const std::string explained = Ok("organization", {"score", "explain", "units/tongji"});
  EXPECT_NE(explained.find(name), std::string::npos) << explained;
  EXPECT_NE(explained.find("0.7"), std::string::npos) << explained;
  EXPECT_NE(explained.find("粮食播面和产量"), std::string::npos) << explained;

  const std::string listed = Ok("leader", {"ledger", "list", "--unit", "tongji"});
  EXPECT_NE(listed.find("tongji -4.2"), std::string::npos) << listed;
  EXPECT_NE(Ok("leader", {"ledger", "get", name.substr(name.find('/') + 1)}).find("COOPERATING"),
            std::string::npos);
}

TEST_F(PerformanceCliTest, FailedVetoPutsItsUnitsFirstUntilReversed) {
  std::string failed =
      Ok("performance", {"ledger", "fail-veto", "--indicator", "gengdi", "--reason", "耕地面积减少",
                         "--evidence", "卫片/2025-07"});
  const std::string name = EntryName(failed);
  ASSERT_FALSE(name.empty()) << failed;

  std::string board = Ok("leader", {"score", "board"});
  std::vector<std::string> order = BoardOrder(board);
  ASSERT_GE(order.size(), 3u) << board;
  std::vector<std::string> first_two = {order[0], order[1]};
  std::sort(first_two.begin(), first_two.end());
  EXPECT_EQ(first_two, (std::vector<std::string>{"nongye", "ziran"})) << board;
  for (const char* unit : {"nongye", "ziran"}) {
    EXPECT_NE(Row(board, unit).find("FAILED: indicators/gengdi"), std::string::npos) << board;
  }

  std::string reversed = Ok("performance", {"ledger", "reverse", name, "--reason", "复核后撤销"});
  EXPECT_NE(reversed.find("cleared"), std::string::npos) << reversed;
  board = Ok("leader", {"score", "board"});
  EXPECT_EQ(board.find("FAILED"), std::string::npos) << board;

  CommandResult again = Duban("performance", {"ledger", "reverse", name, "--reason", "再撤销"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("FAILED_PRECONDITION"), std::string::npos) << again.err;
}

TEST_F(PerformanceCliTest, RefusalsAndUsageMistakesKeepTheirExitCodes) {
  CommandResult denied = Duban("nongye", {"ledger", "deduct", "--indicator", "liangshi", "--points",
                                          "1", "--reason", "自己扣自己"});
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.err.find("PERMISSION_DENIED"), std::string::npos) << denied.err;

  CommandResult too_many = Duban("performance", {"ledger", "deduct", "--indicator", "liangshi",
                                                 "--points", "6", "--reason", "超过分值"});
  EXPECT_EQ(too_many.exit_code, 1);
  EXPECT_NE(too_many.err.find("field points"), std::string::npos) << too_many.err;

  static const std::vector<std::string> kUsageMistakes[] = {
      {"ledger", "deduct", "--indicator", "liangshi", "--points", "two", "--reason", "x"},
      {"ledger", "deduct", "--indicator", "liangshi", "--points", "1.234", "--reason", "x"},
      {"ledger", "reverse", "abc", "--reason", "x"},
      {"score", "board", "--period", "25"},
      {"draw", "--per-tier", "1"},
      {"draw", "--seed", "x"},
      {"draws", "get", "draws/zero"},
      {"indicator", "update", "liangshi", "--veto", "--no-veto"},
  };
  for (const std::vector<std::string>& args : kUsageMistakes) {
    CommandResult result = Duban("performance", args);
    EXPECT_EQ(result.exit_code, 2) << absl::StrJoin(args, " ") << "\n" << result.err;
  }
}

TEST_F(PerformanceCliTest, IndicatorsAreCreatedUpdatedAndListedAsCsv) {
  Ok("performance", {"indicator", "create", "zhuxing", "--name", "住房安全, \"危房\"改造",
                     "--points", "4", "--lead", "zhenxing", "--coop", "ziran,nongban"});
  std::string updated = Ok("performance", {"indicator", "update", "indicators/zhuxing", "--points",
                                           "4.5", "--veto", "--description", "危房清零"});
  EXPECT_NE(updated.find("4.5"), std::string::npos) << updated;
  EXPECT_NE(updated.find("一票否决"), std::string::npos) << updated;
  EXPECT_NE(updated.find("nongban"), std::string::npos) << "update keeps what it is not told";

  const std::string csv = Ok("leader", {"-o", "csv", "indicator", "list", "--veto"});
  const std::vector<std::string> lines = Lines(csv);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "INDICATOR,POINTS,VETO,LEAD,COOPERATING,NAME");
  EXPECT_NE(csv.find("zhuxing,4.5,veto,zhenxing,\"ziran, nongban\",\"住房安全, \"\"危房\"\"改造\""),
            std::string::npos)
      << csv;
  EXPECT_EQ(Row(csv, "renju"), "") << "renju is not a veto indicator:\n" << csv;

  const std::string fields = Ok("leader", {"-o", "csv", "indicator", "get", "zhuxing"});
  EXPECT_NE(fields.find("\nveto,one-vote veto (一票否决)\n"), std::string::npos) << fields;
}

TEST_F(PerformanceCliTest, TheSameSeedDrawsTheSameTownshipsAndVillages) {
  const std::vector<std::string> tiers = {"FAR", "MIDDLE", "NEAR"};
  const std::string first = Ok("inspector", {"draw", "--seed", "2023"});
  const std::string second = Ok("inspector", {"draw", "--seed", "2023"});
  const std::vector<std::string> drawn = RowsStartingWith(first, tiers);
  ASSERT_EQ(drawn.size(), 3u) << first;
  for (const std::string& row : drawn) {
    EXPECT_EQ(std::count(row.begin(), row.end(), ','), 1) << "two villages in " << row;
  }
  EXPECT_EQ(RowsStartingWith(second, tiers), drawn) << first << "\n" << second;
  EXPECT_NE(first.find("draws/1"), std::string::npos) << first;
  EXPECT_NE(second.find("draws/2"), std::string::npos) << second;
  EXPECT_NE(Ok("leader", {"draws", "list"}).find("2023"), std::string::npos);
  EXPECT_EQ(RowsStartingWith(Ok("nongye", {"draws", "get", "1"}), tiers), drawn);

  CommandResult too_many = Duban("inspector", {"draw", "--seed", "2023", "--per-tier", "5"});
  EXPECT_EQ(too_many.exit_code, 1);
  EXPECT_NE(too_many.err.find("FAILED_PRECONDITION"), std::string::npos) << too_many.err;
  // FAR has five townships; MIDDLE and NEAR have four.
  EXPECT_TRUE(absl::StrContains(too_many.err, "tier MIDDLE") ||
              absl::StrContains(too_many.err, "tier NEAR"))
      << "the error names the short tier: " << too_many.err;
}

TEST_F(PerformanceCliTest, ADrawOpensAnInspectionTicketPerVillage) {
  const std::string draw = Ok("inspector", {"draw", "--seed", "7", "--open-tickets"});
  std::string opened;
  for (const std::string& line : Lines(draw)) {
    if (absl::StartsWith(line, "tickets opened: ")) opened = line.substr(16);
  }
  const std::vector<std::string> tickets = absl::StrSplit(opened, ", ", absl::SkipEmpty());
  ASSERT_EQ(tickets.size(), 6u) << draw;

  const std::string list = Ok("inspector", {"ticket", "list"});
  for (const std::string& ticket : tickets) {
    EXPECT_NE(Row(list, ticket.substr(ticket.find('/') + 1)), "") << ticket << " in\n" << list;
  }
}

TEST_F(PerformanceCliTest, TheCountyReportComesAsATableJsonAndCsv) {
  Ok("performance",
     {"ledger", "deduct", "--indicator", "liangshi", "--points", "1", "--reason", "粮食产量下降"});
  const std::string csv = Ok("leader", {"-o", "csv", "report"});
  const std::vector<std::string> lines = Lines(csv);
  ASSERT_FALSE(lines.empty()) << csv;
  EXPECT_EQ(lines[0],
            "UNIT,NAME,OPEN,OVERDUE,YELLOW,RED,REFERRED,CLOSED,ON-TIME %,REFERRALS,UNDECIDED,"
            "SCORE,VETO");
  const std::string nongye = Row(csv, "nongye");
  EXPECT_NE(nongye, "") << csv;
  EXPECT_TRUE(absl::EndsWith(nongye, ",97,-")) << nongye;
  EXPECT_TRUE(absl::StartsWith(lines.back(), "TOTAL,")) << csv;

  const std::string json = Ok("leader", {"-o", "json", "report", "--period", "2025"});
  EXPECT_TRUE(absl::StartsWith(json, "{")) << json;
  EXPECT_NE(json.find("\"units\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"units/nongye\""), std::string::npos) << json;

  EXPECT_NE(Row(Ok("leader", {"report"}), "nongye"), "");
  CommandResult unit_staff = Duban("nongye", {"report"});
  EXPECT_EQ(unit_staff.exit_code, 1);
  EXPECT_NE(unit_staff.err.find("PERMISSION_DENIED"), std::string::npos) << unit_staff.err;
}

}  // namespace
}  // namespace duban::testing
