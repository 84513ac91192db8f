// duban draw, duban draws list|get
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/input.h"
#include "client/pages.h"
#include "client/views.h"

namespace duban::cli {
namespace {

constexpr FlagKind kValue = FlagKind::kValue;
constexpr FlagKind kRepeated = FlagKind::kRepeated;
constexpr FlagKind kSwitch = FlagKind::kSwitch;

// The display names of the units, to show next to the drawn ids. Empty when
// the directory cannot be read: the ids alone still say what was drawn.
UnitDisplayNames LookUpUnitNames(Session& session) {
  v1::ListUnitsRequest request;
  request.set_page_size(1000);
  v1::ListUnitsResponse all;
  UnitDisplayNames names;
  grpc::Status status =
      CollectPages(session, session.directory(), &v1::DirectoryService::Stub::ListUnits, request,
                   /*every_page=*/true, &all);
  if (!status.ok()) return names;
  for (const v1::Unit& unit : all.units()) names[unit.name()] = unit.display_name();
  return names;
}

absl::Status FillDrawRequest(const Args& args, v1::DrawSpotCheckRequest& request) {
  if (!args.positionals().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument ", args.positionals().front(),
                     " (read draws with duban draws list and duban draws get ID)"));
  }
  // A missing seed would silently draw with seed 0; the seed is what makes
  // the draw reproducible, so it is asked for.
  int64_t seed = 0;
  if (!args.Has("seed")) return absl::InvalidArgumentError("--seed N is required");
  if (!absl::SimpleAtoi(args.Get("seed"), &seed)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--seed: \"", args.Get("seed"), "\" is not a whole number"));
  }
  request.set_seed(seed);
  if (args.Has("per-tier")) {
    absl::StatusOr<int> per_tier = IntArg(args.Get("per-tier"), 1, 1000, "per-tier");
    if (!per_tier.ok()) return per_tier.status();
    request.set_per_tier(*per_tier);
  }
  if (args.Has("villages")) {
    absl::StatusOr<int> villages = IntArg(args.Get("villages"), 1, 1000, "villages");
    if (!villages.ok()) return villages.status();
    request.set_villages_per_township(*villages);
  }
  for (const std::string& unit : args.GetAll("exclude")) request.add_exclude(UnitNameArg(unit));
  request.set_open_tickets(args.Has("open-tickets"));
  if (args.Has("due-in")) {
    if (!args.Has("open-tickets")) {
      return absl::InvalidArgumentError("--due-in is the deadline of --open-tickets");
    }
    absl::StatusOr<v1::DeadlineSpan> span = SpanArg(args.Get("due-in"), "due-in");
    if (!span.ok()) return span.status();
    *request.mutable_due_in() = *span;
  }
  request.set_request_id(args.Get("request-id"));
  return absl::OkStatus();
}

int Draw(Session& session, const Args& args) {
  v1::DrawSpotCheckRequest request;
  if (absl::Status filled = FillDrawRequest(args, request); !filled.ok()) {
    return session.Usage(filled);
  }
  v1::Draw draw;
  auto context = session.NewContext();
  grpc::Status status = session.draws().DrawSpotCheck(context.get(), request, &draw);
  if (!status.ok()) return session.Fail(status);
  ShowDraw(session, draw,
           session.format() == OutputFormat::kJson ? UnitDisplayNames() : LookUpUnitNames(session));
  return kExitOk;
}

int GetDraw(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "draw id");
  if (!id.ok()) return session.Usage(id.status());
  absl::StatusOr<std::string> name = DrawNameArg(*id);
  if (!name.ok()) return session.Usage(name.status());
  v1::GetDrawRequest request;
  request.set_name(*name);
  v1::Draw draw;
  auto context = session.NewContext();
  grpc::Status status = session.draws().GetDraw(context.get(), request, &draw);
  if (!status.ok()) return session.Fail(status);
  ShowDraw(session, draw,
           session.format() == OutputFormat::kJson ? UnitDisplayNames() : LookUpUnitNames(session));
  return kExitOk;
}

int ListDraws(Session& session, const Args& args) {
  if (!args.positionals().empty()) {
    return session.Usage(absl::InvalidArgumentError(
        absl::StrCat("unexpected argument ", args.positionals().front())));
  }
  v1::ListDrawsRequest request;
  request.set_page_size(1000);
  v1::ListDrawsResponse all;
  grpc::Status status = CollectPages(session, session.draws(), &v1::DrawService::Stub::ListDraws,
                                     request, /*every_page=*/true, &all);
  if (!status.ok()) return session.Fail(status);
  ShowDraws(session, all);
  return kExitOk;
}

}  // namespace

std::vector<Command> DrawCommands() {
  return {
      {"draw",
       "",
       "--seed N [--per-tier N] [--villages N] [--exclude UNIT,...] [--open-tickets] "
       "[--due-in 10wd]",
       "spot-check draw (抽签; INSPECTOR): townships per tier (远中近), villages in each; the "
       "same seed draws the same; --open-tickets opens a ticket per village",
       {{"seed", kValue},
        {"per-tier", kValue},
        {"villages", kValue},
        {"exclude", kRepeated},
        {"open-tickets", kSwitch},
        {"due-in", kValue},
        {"request-id", kValue}},
       Draw},
      {"draws", "list", "", "the recorded draws, newest first", {}, ListDraws},
      {"draws", "get", "ID", "show a draw: seed, fingerprint, what it drew, tickets", {}, GetDraw},
  };
}

}  // namespace duban::cli
