// How the CLI shows the county report.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/output.h"
#include "client/views.h"

namespace duban::cli {
namespace {

int CardCount(const v1::UnitReport& unit, v1::Card card) {
  for (const v1::CardCount& count : unit.cards()) {
    if (count.card() == card) return count.count();
  }
  return 0;
}

std::vector<std::string> Row(const v1::UnitReport& unit, std::string id, std::string name) {
  return {std::move(id), std::move(name), absl::StrCat(unit.open()), absl::StrCat(unit.overdue()),
          absl::StrCat(CardCount(unit, v1::CARD_YELLOW)),
          absl::StrCat(CardCount(unit, v1::CARD_RED)),
          absl::StrCat(CardCount(unit, v1::CARD_REFERRED)), absl::StrCat(unit.closed()),
          // A rate of nothing closed is no rate at all.
          !unit.has_on_time_rate() ? "-" : absl::StrFormat("%.0f", unit.on_time_rate() * 100),
          absl::StrCat(unit.referrals()), absl::StrCat(unit.undecided_referrals()),
          unit.score().empty() ? "-" : unit.score(), unit.veto_failed() ? "FAILED" : "-"};
}

}  // namespace

void ShowCountyReport(Session& session, const v1::CountyReport& report) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), report);
  NoteStream(session) << "county report " << report.period() << ", as of "
                      << FormatTime(report.as_of_time(), session.zone()) << "\n";
  Table table({"UNIT", "NAME", "OPEN", "OVERDUE", "YELLOW", "RED", "REFERRED", "CLOSED",
               "ON-TIME %", "REFERRALS", "UNDECIDED", "SCORE", "VETO"});
  for (const v1::UnitReport& unit : report.units()) {
    table.AddRow(Row(unit, ShortName(unit.unit()), unit.display_name()));
  }
  table.AddRow(Row(report.total(), "TOTAL", report.total().display_name()));
  table.Print(session.out(), session.format());
}

}  // namespace duban::cli
