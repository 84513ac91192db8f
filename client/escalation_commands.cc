// duban escalate, duban policy get|set, duban events watch,
// duban calendar get|status|load|add-workdays
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/input.h"
#include "client/read_file.h"
#include "client/views.h"

namespace duban::cli {
namespace {

constexpr FlagKind kValue = FlagKind::kValue;
constexpr FlagKind kSwitch = FlagKind::kSwitch;

int Escalate(Session& session, const Args& args) {
  v1::SweepRequest request;
  request.set_dry_run(args.Has("dry-run"));
  if (args.Has("as-of")) {
    auto as_of = TimeArg(args.Get("as-of"), session.zone(), "as-of");
    if (!as_of.ok()) return session.Usage(as_of.status());
    *request.mutable_as_of_time() = *as_of;
  }
  if (args.Has("limit")) {
    absl::StatusOr<int> limit = IntArg(args.Get("limit"), 1, 10000, "limit");
    if (!limit.ok()) return session.Usage(limit.status());
    request.set_limit(*limit);
  }
  return CallAndShow(session, session.escalations(), &v1::EscalationService::Stub::Sweep, request,
                     &ShowSweep);
}

int GetPolicy(Session& session, const Args&) {
  return CallAndShow(session, session.escalations(),
                     &v1::EscalationService::Stub::GetEscalationPolicy,
                     v1::GetEscalationPolicyRequest(), &ShowPolicy);
}

int SetPolicy(Session& session, const Args& args) {
  absl::StatusOr<std::string> path = OnePositional(args, "policy file (JSON)");
  if (!path.ok()) return session.Usage(path.status());
  v1::UpdateEscalationPolicyRequest request;
  if (absl::Status read = ReadJsonFile(*path, *request.mutable_policy()); !read.ok()) {
    return session.Usage(read);
  }
  request.set_request_id(args.Get("request-id"));
  return CallAndShow(session, session.escalations(),
                     &v1::EscalationService::Stub::UpdateEscalationPolicy, request, &ShowPolicy);
}

int Watch(Session& session, const Args& args) {
  v1::WatchEventsRequest request;
  if (args.Has("after") && args.Has("from-now")) {
    return session.Usage(absl::InvalidArgumentError("--after and --from-now exclude each other"));
  }
  request.set_from_now(args.Has("from-now"));
  if (args.Has("after")) {
    int64_t after = 0;
    if (!absl::SimpleAtoi(args.Get("after"), &after) || after < 0) {
      return session.Usage(absl::InvalidArgumentError("--after: not a cursor"));
    }
    request.set_after_cursor(after);
  }
  request.set_until_caught_up(args.Has("until-caught-up"));
  auto context = session.NewStreamContext();
  auto reader = session.events().WatchEvents(context.get(), request);
  v1::StreamEvent item;
  while (reader->Read(&item)) ShowStreamEvent(session, item);
  grpc::Status status = reader->Finish();
  if (!status.ok()) return session.Fail(status);
  return kExitOk;
}

int GetCalendar(Session& session, const Args&) {
  return CallAndShow(session, session.calendars(), &v1::CalendarService::Stub::GetCalendar,
                     v1::GetCalendarRequest(), &ShowCalendar);
}

int CalendarStatus(Session& session, const Args&) {
  return CallAndShow(session, session.calendars(), &v1::CalendarService::Stub::GetCalendarStatus,
                     v1::GetCalendarStatusRequest(), &ShowCalendarStatus);
}

int LoadCalendar(Session& session, const Args& args) {
  v1::LoadCalendarRequest request;
  if (args.Has("shipped")) {
    if (!args.positionals().empty()) {
      return session.Usage(absl::InvalidArgumentError("--shipped takes no FILE"));
    }
    request.set_shipped(true);
  } else {
    absl::StatusOr<std::string> path = OnePositional(args, "calendar file (JSON)");
    if (!path.ok()) return session.Usage(path.status());
    v1::CalendarFile file;
    if (absl::Status read = ReadJsonFile(*path, file); !read.ok()) return session.Usage(read);
    *request.mutable_years() = file.years();
    request.set_source(file.source());
  }
  request.set_request_id(args.Get("request-id"));
  return CallAndShow(session, session.calendars(), &v1::CalendarService::Stub::LoadCalendar,
                     request, &ShowCalendar);
}

int AddWorkdays(Session& session, const Args& args) {
  v1::AddWorkingDaysRequest request;
  request.set_from_date(args.Get("from"));
  absl::StatusOr<int> days = IntArg(args.Get("days"), 1, 366, "days");
  if (!days.ok()) return session.Usage(days.status());
  request.set_days(*days);
  return CallAndShow(session, session.calendars(), &v1::CalendarService::Stub::AddWorkingDays,
                     request, &ShowWorkdays);
}

}  // namespace

std::vector<Command> EscalationCommands() {
  return {
      {"escalate",
       "",
       "[--dry-run] [--as-of TIME] [--limit N]",
       "fire the escalations due now (ESCALATOR or ADMIN; e.g. from cron); --dry-run --as-of T "
       "lists what would fire at T without changing anything",
       {{"dry-run", kSwitch}, {"as-of", kValue}, {"limit", kValue}},
       Escalate},
      {"policy", "get", "", "show the stage clocks and the escalation ladder", {}, GetPolicy},
      {"policy",
       "set",
       "FILE",
       "replace the policy with FILE (protobuf JSON; ADMIN)",
       {{"request-id", kValue}},
       SetPolicy},
      {"events",
       "watch",
       "[--after CURSOR | --from-now] [--until-caught-up]",
       "follow every event in commit order (unit staff: their unit's tickets'); resume with the "
       "last cursor you handled, or start after the newest event",
       {{"after", kValue}, {"from-now", kSwitch}, {"until-caught-up", kSwitch}},
       Watch},
      {"calendar", "get", "", "show the working-day calendar years and version", {}, GetCalendar},
      {"calendar",
       "status",
       "",
       "the years loaded, their versions and sources, and what is missing: this year, next "
       "year from 1 November, shipped years not loaded",
       {},
       CalendarStatus},
      {"calendar",
       "load",
       "FILE | --shipped",
       "add or replace years from a calendar file like domain/data/calendar-cn.json; "
       "--shipped: add the years shipped with the server that the store lacks (ADMIN)",
       {{"request-id", kValue}, {"shipped", kSwitch}},
       LoadCalendar},
      {"calendar",
       "add-workdays",
       "[--from DATE] --days N",
       "the Nth working day after DATE (default today) and the deadline it makes",
       {{"from", kValue}, {"days", kValue}},
       AddWorkdays},
  };
}

}  // namespace duban::cli
