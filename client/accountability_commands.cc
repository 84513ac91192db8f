// duban referral list|get|decide, duban record unit|principal
#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/input.h"
#include "client/pages.h"
#include "client/views.h"

namespace duban::cli {
namespace {

constexpr FlagKind kValue = FlagKind::kValue;
constexpr FlagKind kSwitch = FlagKind::kSwitch;

// "3" or "referrals/3" → "referrals/3".
std::string ReferralNameArg(absl::string_view text) {
  return absl::StartsWith(text, "referrals/") ? std::string(text)
                                              : absl::StrCat("referrals/", text);
}

int ListReferrals(Session& session, const Args& args) {
  std::vector<std::string> terms;
  if (args.Has("unit")) terms.push_back("unit=" + UnitNameArg(args.Get("unit")));
  if (args.Has("principal"))
    terms.push_back("principal=" + PrincipalNameArg(args.Get("principal")));
  if (args.Has("ticket")) {
    absl::StatusOr<std::string> ticket = TicketNameArg(args.Get("ticket"));
    if (!ticket.ok()) return session.Usage(ticket.status());
    terms.push_back("ticket=" + *ticket);
  }
  if (args.Has("undecided")) terms.push_back("decided=false");
  v1::ListReferralsRequest request;
  request.set_filter(absl::StrJoin(terms, " AND "));
  request.set_page_size(500);
  v1::ListReferralsResponse all;
  grpc::Status status = CollectPages(session, session.accountability(),
                                     &v1::AccountabilityService::Stub::ListReferrals, request,
                                     /*every_page=*/true, &all);
  if (!status.ok()) return session.Fail(status);
  ShowReferrals(session, all);
  return kExitOk;
}

int GetReferral(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "referral id");
  if (!id.ok()) return session.Usage(id.status());
  v1::GetReferralRequest request;
  request.set_name(ReferralNameArg(*id));
  v1::Referral referral;
  auto context = session.NewContext();
  grpc::Status status = session.accountability().GetReferral(context.get(), request, &referral);
  if (!status.ok()) return session.Fail(status);
  ShowReferral(session, referral);
  return kExitOk;
}

int DecideReferral(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "referral id");
  if (!id.ok()) return session.Usage(id.status());
  v1::DecideReferralRequest request;
  request.set_name(ReferralNameArg(*id));
  absl::StatusOr<v1::DispositionKind> kind = EnumArg<v1::DispositionKind>(
      args.Get("kind"), "DISPOSITION_KIND_", v1::DispositionKind_Parse, "kind");
  if (!kind.ok()) return session.Usage(kind.status());
  request.set_kind(*kind);
  request.set_reason(args.Get("reason"));
  request.set_etag(args.Get("etag"));
  request.set_request_id(args.Get("request-id"));
  v1::Referral referral;
  auto context = session.NewContext();
  grpc::Status status = session.accountability().DecideReferral(context.get(), request, &referral);
  if (!status.ok()) return session.Fail(status);
  ShowReferral(session, referral);
  return kExitOk;
}

int UnitRecord(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "unit id");
  if (!id.ok()) return session.Usage(id.status());
  v1::GetUnitRecordRequest request;
  request.set_unit(UnitNameArg(*id));
  if (args.Has("period")) {
    absl::StatusOr<std::string> period = PeriodArg(args.Get("period"), "period");
    if (!period.ok()) return session.Usage(period.status());
    request.set_period(*period);
  }
  v1::AccountabilityRecord record;
  auto context = session.NewContext();
  grpc::Status status = session.accountability().GetUnitRecord(context.get(), request, &record);
  if (!status.ok()) return session.Fail(status);
  ShowRecord(session, record);
  return kExitOk;
}

int PrincipalRecord(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "principal id");
  if (!id.ok()) return session.Usage(id.status());
  v1::GetPrincipalRecordRequest request;
  request.set_principal(PrincipalNameArg(*id));
  if (args.Has("period")) {
    absl::StatusOr<std::string> period = PeriodArg(args.Get("period"), "period");
    if (!period.ok()) return session.Usage(period.status());
    request.set_period(*period);
  }
  v1::AccountabilityRecord record;
  auto context = session.NewContext();
  grpc::Status status =
      session.accountability().GetPrincipalRecord(context.get(), request, &record);
  if (!status.ok()) return session.Fail(status);
  ShowRecord(session, record);
  return kExitOk;
}

}  // namespace

std::vector<Command> AccountabilityCommands() {
  return {
      {"referral",
       "list",
       "[--unit UNIT] [--principal ID] [--ticket ID] [--undecided]",
       "accountability referrals, newest first (DISCIPLINE, ORGANIZATION, LEADER)",
       {{"unit", kValue}, {"principal", kValue}, {"ticket", kValue}, {"undecided", kSwitch}},
       ListReferrals},
      {"referral", "get", "ID", "a referral with the ticket's trail up to it", {}, GetReferral},
      {"referral",
       "decide",
       "ID --kind TALK|CIRCULATED_CRITICISM|ADMONISHMENT|SANCTION|EXEMPTED --reason TEXT",
       "record the disposition (DISCIPLINE); EXEMPTED gives the fault-tolerance reason",
       {{"kind", kValue}, {"reason", kValue}, {"etag", kValue}, {"request-id", kValue}},
       DecideReferral},
      {"record",
       "unit",
       "UNIT [--period YYYY]",
       "a unit's year: referrals, dispositions, on-time rate, escalations charged to it",
       {{"period", kValue}},
       UnitRecord},
      {"record",
       "principal",
       "ID [--period YYYY]",
       "a person's year: referrals, dispositions, on-time rate, escalations charged to them",
       {{"period", kValue}},
       PrincipalRecord},
  };
}

}  // namespace duban::cli
