// How the CLI shows spot-check draws.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/output.h"
#include "client/views.h"

namespace duban::cli {
namespace {

// "qinglong 青龙乡", or "qinglong" when the display name is not known.
std::string Named(const std::string& unit, const UnitDisplayNames& names) {
  auto found = names.find(unit);
  if (found == names.end() || found->second.empty()) return ShortName(unit);
  return absl::StrCat(ShortName(unit), " ", found->second);
}

std::string Villages(const v1::DrawnTownship& township, const UnitDisplayNames& names) {
  std::vector<std::string> villages;
  for (const std::string& village : township.villages()) villages.push_back(Named(village, names));
  return absl::StrJoin(villages, ", ");
}

}  // namespace

void ShowDraw(Session& session, const v1::Draw& draw, const UnitDisplayNames& names) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), draw);
  PrintFields(session.out(), session.format(),
              {{"draw", draw.name()},
               {"seed", absl::StrCat(draw.seed())},
               {"drew", absl::StrCat(draw.per_tier(), " township(s) per tier, ",
                                     draw.villages_per_township(), " village(s) in each")},
               {"excluded", ShortNames(draw.exclude())},
               {"fingerprint", draw.directory_fingerprint()},
               {"by", ShortName(draw.actor())},
               {"drawn", FormatTime(draw.create_time(), session.zone())}});
  session.out() << "\n";
  Table table({"TIER", "TOWNSHIP", "VILLAGES"});
  for (const v1::DrawnTownship& township : draw.townships()) {
    table.AddRow(
        {TierOf(township.tier()), Named(township.township(), names), Villages(township, names)});
  }
  table.Print(session.out(), session.format());
  if (session.format() == OutputFormat::kCsv) {
    if (draw.tickets().empty()) return;
    session.out() << "\n";
    Table tickets({"TICKET"});
    for (const std::string& ticket : draw.tickets()) tickets.AddRow({ticket});
    tickets.Print(session.out(), session.format());
    return;
  }
  if (draw.tickets().empty()) {
    session.out() << "\nno tickets opened (--open-tickets opens one per village)\n";
  } else {
    session.out() << "\ntickets opened: " << absl::StrJoin(draw.tickets(), ", ") << "\n";
  }
}

void ShowDraws(Session& session, const v1::ListDrawsResponse& page) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), page);
  Table table({"DRAW", "DRAWN", "SEED", "BY", "TICKETS", "TOWNSHIPS"});
  for (const v1::Draw& draw : page.draws()) {
    std::vector<std::string> townships;
    for (const v1::DrawnTownship& township : draw.townships()) {
      townships.push_back(ShortName(township.township()));
    }
    table.AddRow({ShortName(draw.name()), FormatTime(draw.create_time(), session.zone()),
                  absl::StrCat(draw.seed()), ShortName(draw.actor()),
                  absl::StrCat(draw.tickets_size()), absl::StrJoin(townships, ", ")});
  }
  table.Print(session.out(), session.format());
  ShowNextPage(session, page.next_page_token());
}

}  // namespace duban::cli
