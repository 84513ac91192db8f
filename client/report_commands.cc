// duban report
#include "absl/strings/str_cat.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/input.h"
#include "client/views.h"

namespace duban::cli {
namespace {

constexpr FlagKind kValue = FlagKind::kValue;

int Report(Session& session, const Args& args) {
  if (!args.positionals().empty()) {
    return session.Usage(absl::InvalidArgumentError(
        absl::StrCat("unexpected argument ", args.positionals().front())));
  }
  v1::GetCountyReportRequest request;
  if (args.Has("period")) {
    absl::StatusOr<std::string> period = PeriodArg(args.Get("period"), "period");
    if (!period.ok()) return session.Usage(period.status());
    request.set_period(*period);
  }
  if (args.Has("as-of")) {
    auto as_of = TimeArg(args.Get("as-of"), session.zone(), "as-of");
    if (!as_of.ok()) return session.Usage(as_of.status());
    *request.mutable_as_of_time() = *as_of;
  }
  return CallAndShow(session, session.reports(), &v1::ReportService::Stub::GetCountyReport, request,
                     &ShowCountyReport);
}

}  // namespace

std::vector<Command> ReportCommands() {
  return {
      {"report",
       "",
       "[--period YYYY] [--as-of TIME]",
       "the county at a glance, per unit and in total: tickets, cards, on-time rate, "
       "referrals, score (not for UNIT_STAFF); -o csv for a spreadsheet",
       {{"period", kValue}, {"as-of", kValue}},
       Report},
  };
}

}  // namespace duban::cli
