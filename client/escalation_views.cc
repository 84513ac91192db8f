// How the CLI shows the calendar, the escalation policy, sweeps and the
// event stream.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/output.h"
#include "client/views.h"
#include "google/protobuf/util/json_util.h"

namespace duban::cli {
namespace {

std::string Targets(const google::protobuf::RepeatedField<int>& targets) {
  std::vector<std::string> labels;
  for (int target : targets) {
    labels.push_back(Label(v1::EscalationTarget_Name(static_cast<v1::EscalationTarget>(target)),
                           "ESCALATION_TARGET_"));
  }
  return absl::StrJoin(labels, ",");
}

void ShowLadder(Session& session, const google::protobuf::RepeatedPtrField<v1::LadderStep>& steps) {
  Table table({"LEVEL", "WHEN", "TARGETS"});
  for (const v1::LadderStep& step : steps) {
    const int offset = step.offset_working_days();
    std::string when = offset == 0  ? "at the deadline"
                       : offset < 0 ? absl::StrCat(-offset, " working day(s) before")
                                    : absl::StrCat(offset, " working day(s) after");
    table.AddRow({LevelOf(step.level()), when, Targets(step.targets())});
  }
  table.Print(session.out(), session.format());
}

}  // namespace

void ShowCalendar(Session& session, const v1::Calendar& calendar) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), calendar);
  NoteStream(session) << "calendar version " << calendar.version() << ", " << calendar.time_zone()
                      << "\n";
  Table table({"YEAR", "HOLIDAYS", "MAKE-UP WORKDAYS", "VERSION"});
  for (const v1::CalendarYear& year : calendar.years()) {
    table.AddRow({absl::StrCat(year.year()), absl::StrCat(year.holidays_size()),
                  absl::StrJoin(year.makeup_workdays(), " "), absl::StrCat(year.version())});
  }
  table.Print(session.out(), session.format());
}

void ShowCalendarStatus(Session& session, const v1::CalendarStatus& status) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), status);
  PrintFields(
      session.out(), session.format(),
      {{"calendar", absl::StrCat("version ", status.version(), ", ", status.time_zone())},
       {"this year", absl::StrCat(status.current_year())},
       {"covered until", status.covered_until_year() == 0
                             ? "not even this year"
                             : absl::StrCat(status.covered_until_year())},
       {"missing", absl::StrJoin(status.missing_years(), ", ")},
       {"shipped, not loaded", absl::StrJoin(status.shipped_years_not_loaded(), ", ")}});
  session.out() << "\n";
  Table table({"YEAR", "VERSION", "LOADED", "SOURCE"});
  for (const v1::CalendarYear& year : status.years()) {
    table.AddRow({absl::StrCat(year.year()), absl::StrCat(year.version()),
                  FormatTime(year.update_time(), session.zone()), year.source()});
  }
  table.Print(session.out(), session.format());
  for (const std::string& warning : status.warnings()) {
    NoteStream(session) << "warning: " << warning << "\n";
  }
}

void ShowWorkdays(Session& session, const v1::AddWorkingDaysResponse& result) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), result);
  PrintFields(session.out(), session.format(),
              {{"working day", result.date()},
               {"deadline", FormatTime(result.deadline(), session.zone())},
               {"calendar", absl::StrCat("version ", result.calendar_version())},
               {"note", result.weekends_only()
                            ? "counted on weekends only: a year crossed has no calendar data"
                            : ""}});
}

void ShowPolicy(Session& session, const v1::EscalationPolicy& policy) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), policy);
  const v1::StageClocks& clocks = policy.stage_clocks();
  PrintFields(session.out(), session.format(),
              {{"version", absl::StrCat(policy.version(), " (etag ", policy.etag(), ")")},
               {"sign for", absl::StrCat(clocks.sign_for_days(), " working day(s)")},
               {"inspect", absl::StrCat(clocks.inspect_days(), " working day(s)")},
               {"plan", absl::StrCat(clocks.plan_days(), " working day(s)")},
               {"rectify", absl::StrCat(clocks.rectify_days(), " working day(s) by default")},
               {"hard flaws",
                policy.refer_hard_flaws_at_filing() ? "referred when filed" : "on the ladder"}});
  ShowLadder(session, policy.ladder());
  for (const v1::SeverityLadder& ladder : policy.severity_ladders()) {
    session.out() << "\nfor " << Label(v1::Severity_Name(ladder.severity()), "SEVERITY_") << ":\n";
    ShowLadder(session, ladder.steps());
  }
}

void ShowSweep(Session& session, const v1::SweepResponse& sweep) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), sweep);
  const absl::TimeZone zone = session.zone();
  NoteStream(session) << (sweep.dry_run() ? "would fire" : "fired") << " at "
                      << FormatTime(sweep.as_of_time(), zone) << ": " << sweep.firings_size()
                      << (sweep.truncated() ? " (more remain: run again)" : "") << "\n";
  if (sweep.firings().empty()) return;
  Table table({"TICKET", "LEVEL", "DUE AT", "STAGE", "DEADLINE", "CHARGED TO", "REFERRAL"});
  for (const v1::Firing& firing : sweep.firings()) {
    table.AddRow({ShortName(firing.ticket()), LevelOf(firing.level()),
                  FormatTime(firing.fire_time(), zone), StageOf(firing.stage()),
                  FormatTime(firing.deadline(), zone), ShortName(firing.holder_unit()),
                  firing.referral().empty() ? "-" : firing.referral()});
  }
  table.Print(session.out(), session.format());
}

void ShowStreamEvent(Session& session, const v1::StreamEvent& item) {
  if (session.format() == OutputFormat::kJson) {
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    (void)google::protobuf::util::MessageToJsonString(item, &json, options);
    session.out() << json << std::endl;
    return;
  }
  if (!item.has_event()) {
    // The first message of a --from-now stream: where it starts.
    session.out() << item.cursor() << "  watching from here" << std::endl;
    return;
  }
  const v1::TicketEvent& event = item.event();
  session.out() << item.cursor() << "  " << FormatTime(event.create_time(), session.zone()) << "  "
                << event.ticket() << "  " << Label(v1::EventType_Name(event.type()), "EVENT_TYPE_")
                << "  " << ShortName(event.actor()) << "  " << EventNote(event) << std::endl;
}

}  // namespace duban::cli
