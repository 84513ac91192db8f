// How the CLI shows referrals, records and fair clocks.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/output.h"
#include "client/views.h"

namespace duban::cli {
namespace {

std::string DispositionOf(const v1::Referral& referral) {
  if (referral.dispositions().empty()) return "undecided";
  const v1::Disposition& last = *referral.dispositions().rbegin();
  return Label(v1::DispositionKind_Name(last.kind()), "DISPOSITION_KIND_");
}

std::string Days(double days) { return absl::StrFormat("%.1f", days); }

}  // namespace

void ShowReferral(Session& session, const v1::Referral& referral) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), referral);
  const absl::TimeZone zone = session.zone();
  PrintFields(
      session.out(), session.format(),
      {{"referral", referral.name()},
       {"ticket", absl::StrCat(referral.ticket(), " ", referral.ticket_title())},
       {"unit", ShortName(referral.unit())},
       {"responsible", ShortName(referral.responsible_principal())},
       {"trigger", Label(v1::ReferralTrigger_Name(referral.trigger()), "REFERRAL_TRIGGER_")},
       {"stage", StageOf(referral.stage())},
       {"deadline", IsSetTime(referral.deadline()) ? FormatTime(referral.deadline(), zone) : ""},
       {"referred", FormatTime(referral.create_time(), zone)},
       {"disposition", DispositionOf(referral)},
       {"etag", referral.etag()}});
  for (const v1::Disposition& disposition : referral.dispositions()) {
    session.out() << "  " << FormatTime(disposition.decide_time(), zone) << "  "
                  << Label(v1::DispositionKind_Name(disposition.kind()), "DISPOSITION_KIND_")
                  << " by " << ShortName(disposition.decided_by()) << ": " << disposition.reason()
                  << "\n";
  }
  if (referral.trail_size() > 0) {
    session.out() << "trail:\n";
    Table table({"#", "TIME", "EVENT", "ACTOR", "NOTE"});
    for (const v1::TicketEvent& event : referral.trail()) {
      table.AddRow({absl::StrCat(event.sequence()), FormatTime(event.create_time(), zone),
                    Label(v1::EventType_Name(event.type()), "EVENT_TYPE_"),
                    ShortName(event.actor()), EventNote(event)});
    }
    table.Print(session.out(), session.format());
  }
}

void ShowReferrals(Session& session, const v1::ListReferralsResponse& page) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), page);
  Table table({"REFERRAL", "REFERRED", "UNIT", "TRIGGER", "DISPOSITION", "TICKET"});
  for (const v1::Referral& referral : page.referrals()) {
    table.AddRow({ShortName(referral.name()), FormatTime(referral.create_time(), session.zone()),
                  ShortName(referral.unit()),
                  Label(v1::ReferralTrigger_Name(referral.trigger()), "REFERRAL_TRIGGER_"),
                  DispositionOf(referral),
                  absl::StrCat(ShortName(referral.ticket()), " ", referral.ticket_title())});
  }
  table.Print(session.out(), session.format());
  ShowNextPage(session, page.next_page_token());
}

void ShowRecord(Session& session, const v1::AccountabilityRecord& record) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), record);
  std::vector<std::string> dispositions;
  for (const v1::DispositionCount& count : record.dispositions()) {
    dispositions.push_back(absl::StrCat(
        Label(v1::DispositionKind_Name(count.kind()), "DISPOSITION_KIND_"), " ", count.count()));
  }
  std::vector<std::string> escalations;
  for (const v1::LevelCount& count : record.escalations()) {
    escalations.push_back(absl::StrCat(LevelOf(count.level()), " ", count.count()));
  }
  PrintFields(session.out(), session.format(),
              {{"record of", record.subject()},
               {"period", record.period()},
               {"referrals", absl::StrCat(record.referrals(), " (", record.undecided_referrals(),
                                          " undecided)")},
               {"dispositions", absl::StrJoin(dispositions, ", ")},
               {"closed", absl::StrCat(record.tickets_closed(), " tickets, ",
                                       record.tickets_closed_on_time(), " on time")},
               {"on-time rate", record.has_on_time_rate()
                                    ? absl::StrFormat("%.0f%%", record.on_time_rate() * 100)
                                    : "- (nothing closed)"},
               {"escalations charged",
                escalations.empty() ? "none" : absl::StrJoin(escalations, ", ")}});
  if (record.recent_referrals_size() > 0) {
    v1::ListReferralsResponse recent;
    *recent.mutable_referrals() = record.recent_referrals();
    ShowReferrals(session, recent);
  }
}

void ShowClocks(Session& session, const v1::TicketClocks& clocks) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), clocks);
  const absl::TimeZone zone = session.zone();
  Table intervals({"FROM", "TO", "STAGE", "HELD BY", "WORKING DAYS"});
  for (const v1::HoldingInterval& interval : clocks.intervals()) {
    intervals.AddRow(
        {FormatTime(interval.start_time(), zone),
         IsSetTime(interval.end_time()) ? FormatTime(interval.end_time(), zone) : "now",
         StageOf(interval.stage()), ShortName(interval.holder_unit()),
         Days(interval.working_days())});
  }
  intervals.Print(session.out(), session.format());
  session.out() << "\n";
  Table totals({"HELD BY", "WORKING DAYS"});
  for (const v1::HolderTotal& total : clocks.totals()) {
    totals.AddRow({ShortName(total.holder_unit()), Days(total.working_days())});
  }
  totals.Print(session.out(), session.format());
  if (clocks.slips_size() > 0) {
    session.out() << "\n";
    Table slips({"SLIPPED", "STAGE", "DEADLINE", "REACHED"});
    for (const v1::Slip& slip : clocks.slips()) {
      slips.AddRow({ShortName(slip.holder_unit()), StageOf(slip.stage()),
                    FormatTime(slip.deadline(), zone), LevelOf(slip.level())});
    }
    slips.Print(session.out(), session.format());
  }
}

}  // namespace duban::cli
