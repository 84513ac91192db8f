#include "domain/referrals.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/filter_terms.h"
#include "domain/loop_steps.h"
#include "domain/resource_names.h"
#include "domain/text_rules.h"

namespace duban {

v1::Referral NewReferral(const v1::Ticket& ticket, v1::ReferralTrigger trigger, std::string name,
                         int64_t trail_until_sequence, absl::Time now) {
  v1::Referral referral;
  referral.set_name(std::move(name));
  referral.set_ticket(ticket.name());
  referral.set_ticket_title(ticket.title());
  const bool hard_flaw = trigger == v1::REFERRAL_TRIGGER_HARD_FLAW;
  referral.set_unit(hard_flaw ? ticket.lead_unit() : ticket.holder_unit());
  if (referral.unit() == ticket.lead_unit()) {
    referral.set_responsible_principal(ticket.responsible_principal());
  }
  referral.set_trigger(trigger);
  referral.set_stage(ticket.stage());
  if (!hard_flaw) *referral.mutable_deadline() = ticket.stage_due_time();
  referral.set_trail_until_sequence(trail_until_sequence);
  *referral.mutable_create_time() = ToTimestamp(now);
  *referral.mutable_update_time() = ToTimestamp(now);
  referral.set_etag("1");
  return referral;
}

absl::Status Validate(const v1::DecideReferralRequest& request, const LoopContext&) {
  FieldViolations violations;
  if (!ParseReferralName(request.name(), "name").ok()) {
    violations.Add("name", request.name().empty() ? "is required"
                                                  : "must be a referral name like referrals/3");
  }
  CheckText(violations, "request_id", request.request_id(), kRequestId);
  CheckText(violations, "etag", request.etag(), kShortLabel);
  if (request.kind() == v1::DISPOSITION_KIND_UNSPECIFIED ||
      !v1::DispositionKind_IsValid(request.kind())) {
    violations.Add("kind",
                   "must be TALK, CIRCULATED_CRITICISM, ADMONISHMENT, SANCTION or EXEMPTED");
  }
  CheckText(violations, "reason", request.reason(), kRequiredNote);
  return violations.ToStatus();
}

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::Referral& referral,
                                   const v1::DecideReferralRequest& request,
                                   const LoopContext& context) {
  RETURN_IF_ERROR(CheckEtag(referral.name(), referral.etag(), request.etag()));
  TicketChange change = BeginChange(ticket, context);
  v1::TicketEvent& event = AddEvent(change, v1::EVENT_TYPE_REFERRAL_DECIDED, context);
  event.set_referral(referral.name());
  event.set_disposition(request.kind());
  event.set_comment(request.reason());
  event.set_request_id(request.request_id());

  v1::Referral& decided = change.referrals.emplace_back(referral);
  decided.clear_trail();
  v1::Disposition& disposition = *decided.add_dispositions();
  disposition.set_kind(request.kind());
  disposition.set_reason(request.reason());
  disposition.set_decided_by(context.caller.principal);
  *disposition.mutable_decide_time() = ToTimestamp(context.now);
  *decided.mutable_update_time() = ToTimestamp(context.now);
  int64_t revision = 0;
  (void)absl::SimpleAtoi(referral.etag(), &revision);
  decided.set_etag(absl::StrCat(revision + 1));
  return Finish(std::move(change), context);
}

absl::StatusOr<uint64_t> ParseReferralName(absl::string_view name, absl::string_view field) {
  return ParseNumberedName(name, kReferralsPrefix, field);
}

std::string ReferralName(uint64_t id) { return absl::StrCat(kReferralsPrefix, id); }

bool ReferralQuery::Matches(const v1::Referral& referral) const {
  if (!unit.empty() && referral.unit() != unit) return false;
  if (!principal.empty() && referral.responsible_principal() != principal) return false;
  if (!ticket.empty() && referral.ticket() != ticket) return false;
  if (decided && referral.dispositions().empty() == *decided) return false;
  return true;
}

std::string ReferralQuery::Canonical() const {
  return absl::StrCat("unit=", unit, "\nprincipal=", principal, "\nticket=", ticket,
                      "\ndecided=", decided ? (*decided ? "true" : "false") : "any");
}

absl::StatusOr<ReferralQuery> ParseReferralQuery(absl::string_view filter) {
  absl::StatusOr<FilterTerms> terms = ParseFilterTerms(filter);
  if (!terms.ok()) return terms.status();
  ReferralQuery query;
  for (const auto& [field, value] : *terms) {
    bool ok = true;
    if (field == "unit") {
      ok = IsValidName(value, kUnitsPrefix);
      query.unit = value;
    } else if (field == "principal") {
      ok = IsValidName(value, kPrincipalsPrefix);
      query.principal = value;
    } else if (field == "ticket") {
      ok = ParseTicketName(value, "filter").ok();
      query.ticket = value;
    } else if (field == "decided") {
      ok = value == "true" || value == "false";
      query.decided = value == "true";
    } else {
      return InvalidField("filter", absl::StrCat("has no field ", field,
                                                 "; use unit, principal, ticket or decided"));
    }
    if (!ok)
      return InvalidField("filter", absl::StrCat("has a bad value for ", field, ": ", value));
  }
  return query;
}

}  // namespace duban
