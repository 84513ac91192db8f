// duban indicator list|get|create|update,
// duban ledger deduct|fail-veto|reverse|list|get|policy|set-policy,
// duban score board|explain
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/input.h"
#include "client/pages.h"
#include "client/read_file.h"
#include "client/views.h"

namespace duban::cli {
namespace {

constexpr FlagKind kValue = FlagKind::kValue;
constexpr FlagKind kRepeated = FlagKind::kRepeated;
constexpr FlagKind kSwitch = FlagKind::kSwitch;

// Indicator fields from flags onto `indicator`; only the flags given change it.
absl::Status FillIndicator(const Args& args, v1::Indicator& indicator) {
  if (args.Has("veto") && args.Has("no-veto")) {
    return absl::InvalidArgumentError("give at most one of --veto or --no-veto");
  }
  if (args.Has("name")) indicator.set_display_name(args.Get("name"));
  if (args.Has("points")) {
    absl::StatusOr<std::string> points = PointsArg(args.Get("points"), "points");
    if (!points.ok()) return points.status();
    indicator.set_points(*points);
  }
  if (args.Has("lead")) indicator.set_lead_unit(UnitNameArg(args.Get("lead")));
  if (args.Has("coop")) {
    indicator.clear_cooperating_units();
    for (const std::string& unit : args.GetAll("coop")) {
      indicator.add_cooperating_units(UnitNameArg(unit));
    }
  }
  if (args.Has("veto")) indicator.set_veto(true);
  if (args.Has("no-veto")) indicator.set_veto(false);
  if (args.Has("description")) indicator.set_description(args.Get("description"));
  return absl::OkStatus();
}

// The filter text of the flags given, joined by AND; `period` is checked.
absl::StatusOr<std::string> ListFilter(const Args& args) {
  std::vector<std::string> terms;
  if (args.Has("period")) {
    absl::StatusOr<std::string> period = PeriodArg(args.Get("period"), "period");
    if (!period.ok()) return period.status();
    terms.push_back("period=" + *period);
  }
  if (args.Has("indicator"))
    terms.push_back("indicator=" + IndicatorNameArg(args.Get("indicator")));
  if (args.Has("unit")) terms.push_back("unit=" + UnitNameArg(args.Get("unit")));
  if (args.Has("veto")) terms.push_back("veto=true");
  return absl::StrJoin(terms, " AND ");
}

// `--period YYYY` when given, else "" (the server's current year).
absl::StatusOr<std::string> OptionalPeriod(const Args& args) {
  if (!args.Has("period")) return std::string();
  return PeriodArg(args.Get("period"), "period");
}

absl::Status NoPositionals(const Args& args) {
  if (args.positionals().empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("unexpected argument ", args.positionals().front()));
}

int ListIndicators(Session& session, const Args& args) {
  if (absl::Status none = NoPositionals(args); !none.ok()) return session.Usage(none);
  absl::StatusOr<std::string> filter = ListFilter(args);
  if (!filter.ok()) return session.Usage(filter.status());
  v1::ListIndicatorsRequest request;
  request.set_filter(*filter);
  request.set_page_size(1000);
  v1::ListIndicatorsResponse all;
  grpc::Status status = CollectPages(session, session.performance(),
                                     &v1::PerformanceService::Stub::ListIndicators, request,
                                     /*every_page=*/true, &all);
  if (!status.ok()) return session.Fail(status);
  ShowIndicators(session, all);
  return kExitOk;
}

grpc::Status FetchIndicator(Session& session, const std::string& name, v1::Indicator* indicator) {
  v1::GetIndicatorRequest request;
  request.set_name(name);
  auto context = session.NewContext();
  return session.performance().GetIndicator(context.get(), request, indicator);
}

int GetIndicator(Session& session, const Args& args) {
  absl::StatusOr<std::string> code = OnePositional(args, "indicator code");
  if (!code.ok()) return session.Usage(code.status());
  v1::Indicator indicator;
  grpc::Status status = FetchIndicator(session, IndicatorNameArg(*code), &indicator);
  if (!status.ok()) return session.Fail(status);
  ShowIndicator(session, indicator);
  return kExitOk;
}

int CreateIndicator(Session& session, const Args& args) {
  absl::StatusOr<std::string> code = OnePositional(args, "indicator code");
  if (!code.ok()) return session.Usage(code.status());
  if (args.Has("no-veto")) {
    return session.Usage(absl::InvalidArgumentError("--no-veto is for update; leave out --veto"));
  }
  v1::CreateIndicatorRequest request;
  request.set_indicator_id(ShortName(*code));
  request.set_request_id(args.Get("request-id"));
  if (absl::Status filled = FillIndicator(args, *request.mutable_indicator()); !filled.ok()) {
    return session.Usage(filled);
  }
  return CallAndShow(session, session.performance(), &v1::PerformanceService::Stub::CreateIndicator,
                     request, &ShowIndicator);
}

int UpdateIndicator(Session& session, const Args& args) {
  absl::StatusOr<std::string> code = OnePositional(args, "indicator code");
  if (!code.ok()) return session.Usage(code.status());
  v1::UpdateIndicatorRequest request;
  // The fetched etag goes back with the change: an edit made in between is
  // refused (ABORTED) rather than overwritten.
  grpc::Status status =
      FetchIndicator(session, IndicatorNameArg(*code), request.mutable_indicator());
  if (!status.ok()) return session.Fail(status);
  request.set_request_id(args.Get("request-id"));
  if (absl::Status filled = FillIndicator(args, *request.mutable_indicator()); !filled.ok()) {
    return session.Usage(filled);
  }
  return CallAndShow(session, session.performance(), &v1::PerformanceService::Stub::UpdateIndicator,
                     request, &ShowIndicator);
}

// The fields deduct and fail-veto share.
template <typename Request>
absl::Status FillLedgerRequest(const Args& args, Request& request) {
  if (absl::Status none = NoPositionals(args); !none.ok()) return none;
  request.set_indicator(IndicatorNameArg(args.Get("indicator")));
  absl::StatusOr<std::string> period = OptionalPeriod(args);
  if (!period.ok()) return period.status();
  request.set_period(*period);
  request.set_reason(args.Get("reason"));
  if (args.Has("ticket")) {
    absl::StatusOr<std::string> ticket = TicketNameArg(args.Get("ticket"));
    if (!ticket.ok()) return ticket.status();
    request.set_source_ticket(*ticket);
  }
  for (const std::string& reference : args.GetAll("evidence")) request.add_evidence(reference);
  request.set_request_id(args.Get("request-id"));
  return absl::OkStatus();
}

int Deduct(Session& session, const Args& args) {
  v1::CreateDeductionRequest request;
  if (absl::Status filled = FillLedgerRequest(args, request); !filled.ok()) {
    return session.Usage(filled);
  }
  if (args.Has("points")) {
    absl::StatusOr<std::string> points = PointsArg(args.Get("points"), "points");
    if (!points.ok()) return session.Usage(points.status());
    request.set_points(*points);
  }
  return CallAndShow(session, session.performance(), &v1::PerformanceService::Stub::CreateDeduction,
                     request, &ShowLedgerEntry);
}

int FailVeto(Session& session, const Args& args) {
  v1::FailVetoRequest request;
  if (absl::Status filled = FillLedgerRequest(args, request); !filled.ok()) {
    return session.Usage(filled);
  }
  return CallAndShow(session, session.performance(), &v1::PerformanceService::Stub::FailVeto,
                     request, &ShowLedgerEntry);
}

int Reverse(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "ledger entry id");
  if (!id.ok()) return session.Usage(id.status());
  absl::StatusOr<std::string> name = LedgerEntryNameArg(*id);
  if (!name.ok()) return session.Usage(name.status());
  v1::ReverseLedgerEntryRequest request;
  request.set_name(*name);
  request.set_reason(args.Get("reason"));
  request.set_request_id(args.Get("request-id"));
  return CallAndShow(session, session.performance(),
                     &v1::PerformanceService::Stub::ReverseLedgerEntry, request, &ShowLedgerEntry);
}

int ListEntries(Session& session, const Args& args) {
  if (absl::Status none = NoPositionals(args); !none.ok()) return session.Usage(none);
  absl::StatusOr<std::string> filter = ListFilter(args);
  if (!filter.ok()) return session.Usage(filter.status());
  v1::ListLedgerEntriesRequest request;
  request.set_filter(*filter);
  request.set_page_size(1000);
  v1::ListLedgerEntriesResponse all;
  grpc::Status status = CollectPages(session, session.performance(),
                                     &v1::PerformanceService::Stub::ListLedgerEntries, request,
                                     /*every_page=*/true, &all);
  if (!status.ok()) return session.Fail(status);
  ShowLedgerEntries(session, all);
  return kExitOk;
}

int GetEntry(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "ledger entry id");
  if (!id.ok()) return session.Usage(id.status());
  absl::StatusOr<std::string> name = LedgerEntryNameArg(*id);
  if (!name.ok()) return session.Usage(name.status());
  v1::GetLedgerEntryRequest request;
  request.set_name(*name);
  return CallAndShow(session, session.performance(), &v1::PerformanceService::Stub::GetLedgerEntry,
                     request, &ShowLedgerEntry);
}

int GetPolicy(Session& session, const Args& args) {
  if (absl::Status none = NoPositionals(args); !none.ok()) return session.Usage(none);
  return CallAndShow(session, session.performance(), &v1::PerformanceService::Stub::GetLedgerPolicy,
                     v1::GetLedgerPolicyRequest(), &ShowLedgerPolicy);
}

int SetPolicy(Session& session, const Args& args) {
  absl::StatusOr<std::string> path = OnePositional(args, "policy file (JSON)");
  if (!path.ok()) return session.Usage(path.status());
  v1::UpdateLedgerPolicyRequest request;
  if (absl::Status read = ReadJsonFile(*path, *request.mutable_policy()); !read.ok()) {
    return session.Usage(read);
  }
  request.set_request_id(args.Get("request-id"));
  return CallAndShow(session, session.performance(),
                     &v1::PerformanceService::Stub::UpdateLedgerPolicy, request, &ShowLedgerPolicy);
}

int Board(Session& session, const Args& args) {
  if (absl::Status none = NoPositionals(args); !none.ok()) return session.Usage(none);
  absl::StatusOr<std::string> period = OptionalPeriod(args);
  if (!period.ok()) return session.Usage(period.status());
  v1::GetScoreboardRequest request;
  request.set_period(*period);
  return CallAndShow(session, session.performance(), &v1::PerformanceService::Stub::GetScoreboard,
                     request, &ShowScoreboard);
}

int Explain(Session& session, const Args& args) {
  absl::StatusOr<std::string> unit = OnePositional(args, "unit id");
  if (!unit.ok()) return session.Usage(unit.status());
  absl::StatusOr<std::string> period = OptionalPeriod(args);
  if (!period.ok()) return session.Usage(period.status());
  v1::ExplainScoreRequest request;
  request.set_unit(UnitNameArg(*unit));
  request.set_period(*period);
  return CallAndShow(session, session.performance(), &v1::PerformanceService::Stub::ExplainScore,
                     request, &ShowScoreExplanation);
}

}  // namespace

std::vector<Command> PerformanceCommands() {
  const std::vector<FlagSpec> indicator_flags = {
      {"name", kValue},  {"points", kValue},   {"lead", kValue},        {"coop", kRepeated},
      {"veto", kSwitch}, {"no-veto", kSwitch}, {"description", kValue}, {"request-id", kValue}};
  const std::vector<FlagSpec> entry_flags = {
      {"indicator", kValue}, {"points", kValue},      {"reason", kValue},    {"period", kValue},
      {"ticket", kValue},    {"evidence", kRepeated}, {"request-id", kValue}};
  std::vector<FlagSpec> veto_flags;
  for (const FlagSpec& flag : entry_flags) {
    if (flag.name != "points") veto_flags.push_back(flag);
  }
  return {
      {"indicator",
       "list",
       "[--veto] [--unit UNIT]",
       "the indicator catalogue; --unit: indicators the unit leads or helps with",
       {{"veto", kSwitch}, {"unit", kValue}},
       ListIndicators},
      {"indicator", "get", "CODE", "show an indicator", {}, GetIndicator},
      {"indicator", "create",
       "CODE --name TEXT --points N --lead UNIT [--coop UNIT,...] [--veto] "
       "[--description TEXT]",
       "add an indicator (PERFORMANCE_OFFICE)", indicator_flags, CreateIndicator},
      {"indicator", "update",
       "CODE [--name TEXT] [--points N] [--lead UNIT] [--coop UNIT,...] [--veto|--no-veto] "
       "[--description TEXT]",
       "change an indicator; --coop replaces the cooperating units (PERFORMANCE_OFFICE)",
       indicator_flags, UpdateIndicator},
      {"ledger", "deduct",
       "--indicator CODE --points D --reason TEXT [--period YYYY] [--ticket ID] "
       "[--evidence REF]...",
       "deduct D points from the county; the policy charges the units (by default the "
       "lead 3×D, each cooperating unit 70% of that; PERFORMANCE_OFFICE)",
       entry_flags, Deduct},
      {"ledger", "fail-veto",
       "--indicator CODE --reason TEXT --evidence REF... [--period YYYY] [--ticket ID]",
       "fail a one-vote-veto indicator (一票否决): its units fail the period "
       "(PERFORMANCE_OFFICE)",
       veto_flags, FailVeto},
      {"ledger",
       "reverse",
       "ENTRY --reason TEXT",
       "undo an entry with a new entry that cancels its charges (PERFORMANCE_OFFICE)",
       {{"reason", kValue}, {"request-id", kValue}},
       Reverse},
      {"ledger",
       "list",
       "[--period YYYY] [--indicator CODE] [--unit UNIT]",
       "ledger entries, oldest first; --unit: entries that charge the unit",
       {{"period", kValue}, {"indicator", kValue}, {"unit", kValue}},
       ListEntries},
      {"ledger", "get", "ENTRY", "show an entry and the charges it made", {}, GetEntry},
      {"ledger",
       "policy",
       "",
       "show the ledger policy: multiplier, ratio, base, rules",
       {},
       GetPolicy},
      {"ledger",
       "set-policy",
       "FILE",
       "replace the ledger policy with FILE (protobuf JSON; new entries only; "
       "PERFORMANCE_OFFICE)",
       {{"request-id", kValue}},
       SetPolicy},
      {"score",
       "board",
       "[--period YYYY]",
       "every unit's score for the period (default this year); veto failures first",
       {{"period", kValue}},
       Board},
      {"score",
       "explain",
       "UNIT [--period YYYY]",
       "every charge behind a unit's score, with its entry, rule and cause",
       {{"period", kValue}},
       Explain},
  };
}

}  // namespace duban::cli
