// The county report: per unit, the period's tickets it leads by stage,
// open, overdue and cards; its record (closed on time, referrals); its
// score; and the county's totals.
#include "domain/county_report.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time_convert.h"
#include "domain/accountability_records.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"

namespace duban {
namespace {

using ::duban::testing::Local;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

absl::Time AsOf() { return Local(2024, 4, 1, 9); }

v1::Unit Unit(const std::string& id, v1::UnitKind kind, const std::string& display_name) {
  v1::Unit unit;
  unit.set_name("units/" + id);
  unit.set_kind(kind);
  unit.set_display_name(display_name);
  return unit;
}

std::vector<v1::Unit> Units() {
  return {Unit("county", v1::UNIT_KIND_LEADERSHIP, "县委县政府"),
          Unit("nongye", v1::UNIT_KIND_DEPARTMENT, "农业农村局"),
          Unit("ziran", v1::UNIT_KIND_DEPARTMENT, "自然资源局"),
          Unit("chengguan", v1::UNIT_KIND_TOWNSHIP, "城关镇"),
          Unit("chengguan-dongjie", v1::UNIT_KIND_VILLAGE, "东街村"),
          Unit("ducha", v1::UNIT_KIND_INSPECTION, "督查室"),
          Unit("jiwei", v1::UNIT_KIND_DISCIPLINE, "县纪委监委")};
}

struct TicketSpec {
  std::string lead;
  v1::Stage stage;
  // Stage deadline relative to AsOf(); none when zero.
  absl::Duration due = absl::ZeroDuration();
  v1::Card card = v1::CARD_NONE;
  // Escalations charged: (level, holder unit).
  std::vector<std::pair<v1::EscalationLevel, std::string>> escalations;
  std::string inspection_unit;
};

v1::Ticket Ticket(int id, const TicketSpec& spec) {
  v1::Ticket ticket;
  ticket.set_name("tickets/" + std::to_string(id));
  ticket.set_lead_unit(spec.lead);
  ticket.set_stage(spec.stage);
  ticket.set_card(spec.card);
  ticket.set_inspection_unit(spec.inspection_unit);
  if (spec.due != absl::ZeroDuration())
    *ticket.mutable_stage_due_time() = ToTimestamp(AsOf() + spec.due);
  *ticket.mutable_stage_enter_time() = ToTimestamp(AsOf() - absl::Hours(24));
  for (const auto& [level, unit] : spec.escalations) {
    v1::EscalationRecord& record = *ticket.add_escalations();
    record.set_level(level);
    record.set_holder_unit(unit);
    *record.mutable_fire_time() = ToTimestamp(AsOf() - absl::Hours(48));
  }
  return ticket;
}

Period Year2024() { return *ResolvePeriod("period", "2024", AsOf(), absl::UTCTimeZone()); }

// The report as the service builds it: every directory unit's record from
// the charges in `tickets` and the referrals.
v1::CountyReport Report(const std::vector<v1::Ticket>& tickets,
                        const std::vector<v1::Referral>& referrals, const v1::Scoreboard& board) {
  CountyReportInputs inputs{.period = Year2024(), .as_of = AsOf(), .units = Units(),
                            .tickets = tickets, .scoreboard = board};
  for (const v1::Unit& unit : Units()) {
    inputs.records[unit.name()] =
        BuildRecord(unit.name(), "2024",
                    RecordSourcesOf(unit.name(), inputs.period, tickets, referrals));
  }
  return BuildCountyReport(inputs);
}

v1::Referral Referral(int id, const std::string& unit, std::vector<v1::DispositionKind> kinds) {
  v1::Referral referral;
  referral.set_name("referrals/" + std::to_string(id));
  referral.set_unit(unit);
  *referral.mutable_create_time() = ToTimestamp(AsOf() - absl::Hours(id));
  for (v1::DispositionKind kind : kinds) referral.add_dispositions()->set_kind(kind);
  return referral;
}

v1::ScoreRow Score(const std::string& unit, const std::string& display_name,
                   const std::string& score, bool veto_failed) {
  v1::ScoreRow row;
  row.set_unit(unit);
  row.set_display_name(display_name);
  row.set_score(score);
  row.set_veto_failed(veto_failed);
  return row;
}

std::map<v1::Stage, int> ByStage(const v1::UnitReport& line) {
  std::map<v1::Stage, int> counts;
  for (const v1::StageCount& c : line.by_stage()) counts[c.stage()] += c.count();
  return counts;
}

std::map<v1::Card, int> Cards(const v1::UnitReport& line) {
  std::map<v1::Card, int> counts;
  for (const v1::CardCount& c : line.cards()) counts[c.card()] += c.count();
  return counts;
}

std::map<v1::DispositionKind, int> Dispositions(const v1::UnitReport& line) {
  std::map<v1::DispositionKind, int> counts;
  for (const v1::DispositionCount& c : line.dispositions()) counts[c.kind()] += c.count();
  return counts;
}

std::vector<std::string> LineUnits(const v1::CountyReport& report) {
  std::vector<std::string> units;
  for (const v1::UnitReport& line : report.units()) units.push_back(line.unit());
  return units;
}

const v1::UnitReport& LineOf(const v1::CountyReport& report, const std::string& unit) {
  for (const v1::UnitReport& line : report.units()) {
    if (line.unit() == unit) return line;
  }
  ADD_FAILURE() << "no line for " << unit;
  static const v1::UnitReport* const kNone = new v1::UnitReport();
  return *kNone;
}

// A county in mid-stride: nongye with work open, overdue and closed (one
// of them late); ziran with an overdue inspection and a closed ticket; a
// village that led a cancelled ticket; referrals; a scoreboard.
class CountyReportTest : public ::testing::Test {
 protected:
  CountyReportTest() {
    tickets_ = {
        Ticket(1, {.lead = "units/nongye",
                   .stage = v1::STAGE_IMPLEMENT,
                   .due = -absl::Hours(24 * 12),
                   .card = v1::CARD_YELLOW,
                   .escalations = {{v1::ESCALATION_LEVEL_YELLOW, "units/nongye"}}}),
        Ticket(2, {.lead = "units/nongye", .stage = v1::STAGE_DEPLOY, .due = absl::Hours(24 * 4)}),
        Ticket(3, {.lead = "units/nongye", .stage = v1::STAGE_CLOSED}),
        Ticket(4, {.lead = "units/nongye",
                   .stage = v1::STAGE_CLOSED,
                   .escalations = {{v1::ESCALATION_LEVEL_REMINDER, "units/nongye"},
                                   {v1::ESCALATION_LEVEL_YELLOW, "units/nongye"},
                                   {v1::ESCALATION_LEVEL_RED, "units/nongye"}}}),
        Ticket(5, {.lead = "units/ziran",
                   .stage = v1::STAGE_INSPECT,
                   .due = -absl::Hours(24 * 7),
                   .card = v1::CARD_RED}),
        Ticket(6, {.lead = "units/ziran",
                   .stage = v1::STAGE_CLOSED,
                   .escalations = {{v1::ESCALATION_LEVEL_REMINDER, "units/ziran"}}}),
        Ticket(7, {.lead = "units/chengguan-dongjie", .stage = v1::STAGE_CANCELLED}),
        Ticket(8, {.lead = "units/chengguan", .stage = v1::STAGE_FEEDBACK}),
    };
    // Ticket 8 is due exactly now: not overdue yet.
    *tickets_.back().mutable_stage_due_time() = ToTimestamp(AsOf());
    referrals_ = {
        Referral(1, "units/nongye", {}),
        Referral(2, "units/nongye", {v1::DISPOSITION_KIND_TALK}),
        Referral(3, "units/chengguan",
                 {v1::DISPOSITION_KIND_SANCTION, v1::DISPOSITION_KIND_EXEMPTED}),
    };
    board_.set_period("2024");
    *board_.add_rows() = Score("units/ziran", "自然资源局", "95.8", true);
    *board_.add_rows() = Score("units/tongji", "统计局", "100", false);
    *board_.add_rows() = Score("units/nongye", "农业农村局", "94", false);
  }

  v1::CountyReport Build() const {
    return Report(tickets_, referrals_, board_);
  }

  std::vector<v1::Ticket> tickets_;
  std::vector<v1::Referral> referrals_;
  v1::Scoreboard board_;
};

TEST_F(CountyReportTest, OneLinePerDepartmentTownshipAndOtherwiseInvolvedUnitByName) {
  const v1::CountyReport report = Build();
  EXPECT_EQ(report.period(), "2024");
  EXPECT_EQ(FromTimestamp(report.as_of_time()), AsOf());
  // county (leadership) and jiwei (discipline) do nothing here: no line.
  // The village leads a ticket; tongji has a score row.
  EXPECT_THAT(LineUnits(report), ElementsAre("units/chengguan", "units/chengguan-dongjie",
                                             "units/nongye", "units/tongji", "units/ziran"));
  EXPECT_EQ(LineOf(report, "units/nongye").display_name(), "农业农村局");
  EXPECT_EQ(LineOf(report, "units/chengguan-dongjie").display_name(), "东街村");
  EXPECT_EQ(LineOf(report, "units/tongji").display_name(), "统计局");
}

TEST_F(CountyReportTest, CountsTheTicketsEachUnitLeads) {
  const v1::CountyReport report = Build();
  struct Expected {
    std::string unit;
    std::map<v1::Stage, int> by_stage;
    int open;
    int overdue;
    std::map<v1::Card, int> cards;
    int closed;
    int closed_on_time;
    std::optional<double> on_time_rate;  // unset when none closed
  } expected[] = {
      {"units/nongye",
       {{v1::STAGE_DEPLOY, 1}, {v1::STAGE_IMPLEMENT, 1}, {v1::STAGE_CLOSED, 2}},
       2,
       1,
       {{v1::CARD_YELLOW, 1}},
       2,
       1,
       0.5},
      {"units/ziran",
       {{v1::STAGE_INSPECT, 1}, {v1::STAGE_CLOSED, 1}},
       1,
       1,
       {{v1::CARD_RED, 1}},
       1,
       1,
       1.0},
      {"units/chengguan-dongjie", {{v1::STAGE_CANCELLED, 1}}, 0, 0, {}, 0, 0, std::nullopt},
      {"units/chengguan", {{v1::STAGE_FEEDBACK, 1}}, 1, 0, {}, 0, 0, std::nullopt},
      {"units/tongji", {}, 0, 0, {}, 0, 0, std::nullopt},
  };
  for (const Expected& e : expected) {
    const v1::UnitReport& line = LineOf(report, e.unit);
    EXPECT_EQ(ByStage(line), e.by_stage) << e.unit;
    EXPECT_EQ(line.open(), e.open) << e.unit;
    EXPECT_EQ(line.overdue(), e.overdue) << e.unit;
    EXPECT_EQ(Cards(line), e.cards) << e.unit;
    EXPECT_EQ(line.closed(), e.closed) << e.unit;
    EXPECT_EQ(line.closed_on_time(), e.closed_on_time) << e.unit;
    EXPECT_EQ(line.has_on_time_rate(), e.on_time_rate.has_value()) << e.unit;
    if (e.on_time_rate) {
      EXPECT_DOUBLE_EQ(line.on_time_rate(), *e.on_time_rate) << e.unit;
    }
  }
}

TEST_F(CountyReportTest, CountsReferralsAndTheirLatestDispositions) {
  const v1::CountyReport report = Build();
  const v1::UnitReport& nongye = LineOf(report, "units/nongye");
  EXPECT_EQ(nongye.referrals(), 2);
  EXPECT_EQ(nongye.undecided_referrals(), 1);
  EXPECT_THAT(Dispositions(nongye), ElementsAre(Pair(v1::DISPOSITION_KIND_TALK, 1)));
  const v1::UnitReport& chengguan = LineOf(report, "units/chengguan");
  EXPECT_EQ(chengguan.referrals(), 1);
  EXPECT_EQ(chengguan.undecided_referrals(), 0);
  EXPECT_THAT(Dispositions(chengguan), ElementsAre(Pair(v1::DISPOSITION_KIND_EXEMPTED, 1)));
  EXPECT_EQ(LineOf(report, "units/ziran").referrals(), 0);
}

TEST_F(CountyReportTest, TakesScoresFromTheScoreboard) {
  const v1::CountyReport report = Build();
  EXPECT_EQ(LineOf(report, "units/nongye").score(), "94");
  EXPECT_FALSE(LineOf(report, "units/nongye").veto_failed());
  EXPECT_EQ(LineOf(report, "units/ziran").score(), "95.8");
  EXPECT_TRUE(LineOf(report, "units/ziran").veto_failed());
  EXPECT_EQ(LineOf(report, "units/tongji").score(), "100");
  EXPECT_EQ(LineOf(report, "units/chengguan").score(), "") << "no row, no score";
}

TEST_F(CountyReportTest, TotalsAddUpTheCounty) {
  const v1::UnitReport total = Build().total();
  EXPECT_EQ(total.unit(), "");
  EXPECT_EQ(ByStage(total), (std::map<v1::Stage, int>{{v1::STAGE_DEPLOY, 1},
                                                      {v1::STAGE_IMPLEMENT, 1},
                                                      {v1::STAGE_INSPECT, 1},
                                                      {v1::STAGE_FEEDBACK, 1},
                                                      {v1::STAGE_CLOSED, 3},
                                                      {v1::STAGE_CANCELLED, 1}}));
  EXPECT_EQ(total.open(), 4);
  EXPECT_EQ(total.overdue(), 2);
  EXPECT_EQ(Cards(total), (std::map<v1::Card, int>{{v1::CARD_YELLOW, 1}, {v1::CARD_RED, 1}}));
  EXPECT_EQ(total.closed(), 3);
  EXPECT_EQ(total.closed_on_time(), 2);
  EXPECT_DOUBLE_EQ(total.on_time_rate(), 2.0 / 3);
  EXPECT_EQ(total.referrals(), 3);
  EXPECT_EQ(total.undecided_referrals(), 1);
  EXPECT_THAT(Dispositions(total), UnorderedElementsAre(Pair(v1::DISPOSITION_KIND_TALK, 1),
                                                        Pair(v1::DISPOSITION_KIND_EXEMPTED, 1)));
}

TEST_F(CountyReportTest, AnEmptyCountyHasZeroTotalsAndNoRate) {
  const v1::CountyReport report = Report({}, {}, {});
  EXPECT_THAT(LineUnits(report), ElementsAre("units/chengguan", "units/nongye", "units/ziran"));
  EXPECT_EQ(report.total().open(), 0);
  EXPECT_EQ(report.total().closed(), 0);
  EXPECT_FALSE(report.total().has_on_time_rate()) << "nothing closed: no rate";
  EXPECT_THAT(report.total().by_stage(), IsEmpty());
}

// A slip on the inspection office's clock is the office's, not the lead
// unit's: the office gets a line with it, the lead unit's line is on time;
// the county total counts the ticket once, late, since a deadline slipped.
TEST_F(CountyReportTest, ALateInspectionIsTheInspectionOfficesSlip) {
  const std::vector<v1::Ticket> tickets = {
      Ticket(1, {.lead = "units/ziran",
                 .stage = v1::STAGE_CLOSED,
                 .escalations = {{v1::ESCALATION_LEVEL_YELLOW, "units/ducha"}},
                 .inspection_unit = "units/ducha"}),
  };
  const v1::CountyReport report = Report(tickets, {}, {});
  const v1::UnitReport& ziran = LineOf(report, "units/ziran");
  EXPECT_EQ(ziran.closed(), 1);
  EXPECT_EQ(ziran.closed_on_time(), 1);
  const v1::UnitReport& ducha = LineOf(report, "units/ducha");
  EXPECT_EQ(ducha.closed(), 1);
  EXPECT_EQ(ducha.closed_on_time(), 0);
  EXPECT_EQ(report.total().closed(), 1);
  EXPECT_EQ(report.total().closed_on_time(), 0);
}

// The issuer holds the clock while a dispute waits: a slip then puts the
// issuer's unit (county leadership, which leads nothing) in the report.
TEST_F(CountyReportTest, TheIssuersUnitHasALineForASlipDuringADispute) {
  const std::vector<v1::Ticket> tickets = {
      Ticket(1, {.lead = "units/nongye",
                 .stage = v1::STAGE_IMPLEMENT,
                 .escalations = {{v1::ESCALATION_LEVEL_YELLOW, "units/county"}}}),
  };
  const v1::CountyReport report = Report(tickets, {}, {});
  EXPECT_THAT(LineUnits(report), ElementsAre("units/chengguan", "units/county", "units/nongye",
                                             "units/ziran"));
  EXPECT_EQ(LineOf(report, "units/county").open(), 0) << "it leads nothing";
}

// Only the tickets closed in the period count as closed in it.
TEST_F(CountyReportTest, TicketsClosedBeforeThePeriodAreNotItsClosures) {
  std::vector<v1::Ticket> tickets = {Ticket(1, {.lead = "units/nongye", .stage = v1::STAGE_CLOSED})};
  *tickets[0].mutable_stage_enter_time() = ToTimestamp(Local(2023, 12, 31, 23));
  const v1::CountyReport report = Report(tickets, {}, {});
  EXPECT_EQ(report.total().closed(), 0);
  EXPECT_EQ(LineOf(report, "units/nongye").closed(), 0);
}

}  // namespace
}  // namespace duban
