#include "domain/ticket_query.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/time_convert.h"
#include "domain/enum_labels.h"
#include "domain/filter_terms.h"
#include "domain/resource_names.h"
#include "domain/ticket_loop.h"

namespace duban {

bool TicketQuery::Matches(const v1::Ticket& ticket) const {
  if (!unit.empty() && ticket.lead_unit() != unit &&
      std::find(ticket.cooperating_units().begin(), ticket.cooperating_units().end(), unit) ==
          ticket.cooperating_units().end()) {
    return false;
  }
  if (stage != v1::STAGE_UNSPECIFIED && ticket.stage() != stage) return false;
  if (severity != v1::SEVERITY_UNSPECIFIED && ticket.severity() != severity) return false;
  if (!indicator.empty() && ticket.indicator() != indicator) return false;
  if (!location.empty() && ticket.location() != location) return false;
  if (!parent.empty() && ticket.parent() != parent) return false;
  if (card != v1::CARD_UNSPECIFIED && ticket.card() != card) return false;
  if (!holder_unit.empty() && ticket.holder_unit() != holder_unit) return false;
  if (!inspection_unit.empty() && ticket.inspection_unit() != inspection_unit) return false;
  if (!responsible_principal.empty() && ticket.responsible_principal() != responsible_principal) {
    return false;
  }
  if (overdue && (IsTerminal(ticket.stage()) || !IsSet(ticket.stage_due_time()) ||
                  FromTimestamp(ticket.stage_due_time()) >= as_of)) {
    return false;
  }
  return true;
}

std::string TicketQuery::Canonical() const {
  return absl::StrCat(
      "unit=", unit, "\nstage=", stage, "\nseverity=", severity, "\nindicator=", indicator,
      "\nlocation=", location, "\nparent=", parent, "\ncard=", card, "\nholder_unit=", holder_unit,
      "\ninspection_unit=", inspection_unit, "\nresponsible_principal=", responsible_principal,
      "\noverdue=", overdue, "\nas_of=", overdue ? absl::ToUnixMicros(as_of) : 0);
}

absl::StatusOr<TicketQuery> ParseTicketQuery(absl::string_view filter, absl::Time as_of) {
  absl::StatusOr<FilterTerms> terms = ParseFilterTerms(filter);
  if (!terms.ok()) return terms.status();
  TicketQuery query;
  query.as_of = as_of;
  for (const auto& [field, value] : *terms) {
    bool ok = true;
    if (field == "unit") {
      ok = IsValidName(value, kUnitsPrefix);
      query.unit = value;
    } else if (field == "location") {
      ok = IsValidName(value, kUnitsPrefix);
      query.location = value;
    } else if (field == "indicator") {
      ok = IsValidName(value, kIndicatorsPrefix);
      query.indicator = value;
    } else if (field == "parent") {
      ok = ParseTicketName(value, "filter").ok();
      query.parent = value;
    } else if (field == "stage") {
      ok = ParseEnumLabel(value, "STAGE_", v1::Stage_Parse, &query.stage);
    } else if (field == "severity") {
      ok = ParseEnumLabel(value, "SEVERITY_", v1::Severity_Parse, &query.severity);
    } else if (field == "card") {
      ok = ParseEnumLabel(value, "CARD_", v1::Card_Parse, &query.card);
    } else if (field == "holder_unit") {
      ok = IsValidName(value, kUnitsPrefix);
      query.holder_unit = value;
    } else if (field == "inspection_unit") {
      ok = IsValidName(value, kUnitsPrefix);
      query.inspection_unit = value;
    } else if (field == "responsible") {
      ok = IsValidName(value, kPrincipalsPrefix);
      query.responsible_principal = value;
    } else if (field == "overdue") {
      ok = value == "true" || value == "false";
      query.overdue = value == "true";
    } else {
      return InvalidField("filter", absl::StrCat("has no field ", field,
                                                 "; use unit, stage, severity, indicator, "
                                                 "location, parent, card, holder_unit, "
                                                 "inspection_unit, responsible or overdue"));
    }
    if (!ok)
      return InvalidField("filter", absl::StrCat("has a bad value for ", field, ": ", value));
  }
  return query;
}

absl::Status ScopeToCaller(const Caller& caller, TicketQuery& query) {
  if (!caller.UnitScoped()) return absl::OkStatus();
  if (caller.unit.empty()) {
    return ErrorWithReason(absl::StatusCode::kPermissionDenied, "TICKET_NOT_OF_UNIT",
                           absl::StrCat(caller.principal, " acts for no unit and sees no tickets"));
  }
  if (query.unit.empty()) {
    query.unit = caller.unit;
    return absl::OkStatus();
  }
  if (query.unit == caller.unit) return absl::OkStatus();
  return ErrorWithReason(
      absl::StatusCode::kPermissionDenied, "TICKET_NOT_OF_UNIT",
      absl::StrCat(caller.principal, " may list only the tickets of ", caller.unit));
}

}  // namespace duban
