#include "domain/access_policy.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "base/errors.h"

namespace duban {
namespace {

using v1::Role;

constexpr std::array<Role, 0> kAnyone{};
constexpr std::array kLeader{v1::ROLE_LEADER};
constexpr std::array kInspector{v1::ROLE_INSPECTOR};
constexpr std::array kLeaderOrInspector{v1::ROLE_LEADER, v1::ROLE_INSPECTOR};
constexpr std::array kUnitStaff{v1::ROLE_UNIT_STAFF};
constexpr std::array kAdmin{v1::ROLE_ADMIN};
constexpr std::array kReplica{v1::ROLE_REPLICA};
constexpr std::array kReplicaOrAdmin{v1::ROLE_REPLICA, v1::ROLE_ADMIN};
constexpr std::array kSweepers{v1::ROLE_ESCALATOR, v1::ROLE_ADMIN};
constexpr std::array kDiscipline{v1::ROLE_DISCIPLINE};
constexpr std::array kPerformanceOffice{v1::ROLE_PERFORMANCE_OFFICE};
constexpr std::array kAuditReaders{v1::ROLE_ADMIN, v1::ROLE_DISCIPLINE, v1::ROLE_ORGANIZATION,
                                   v1::ROLE_LEADER};
constexpr std::array kAccountabilityReaders{v1::ROLE_DISCIPLINE, v1::ROLE_ORGANIZATION,
                                            v1::ROLE_LEADER};
// Every role but UNIT_STAFF: the county report spans all units.
constexpr std::array kCountyWide{
    v1::ROLE_LEADER,       v1::ROLE_INSPECTOR,          v1::ROLE_DISCIPLINE,
    v1::ROLE_ORGANIZATION, v1::ROLE_PERFORMANCE_OFFICE, v1::ROLE_ESCALATOR,
    v1::ROLE_ADMIN};
// Every role; a principal with none is still refused.
constexpr std::array kEveryRole{
    v1::ROLE_LEADER,       v1::ROLE_INSPECTOR,          v1::ROLE_UNIT_STAFF,
    v1::ROLE_DISCIPLINE,   v1::ROLE_ORGANIZATION,       v1::ROLE_PERFORMANCE_OFFICE,
    v1::ROLE_ESCALATOR,    v1::ROLE_ADMIN};

// Kept sorted by service, then in the order of the .proto file.
const MethodAccess kTable[] = {
    // CreateTicket: LEADER deploys TASKs, INSPECTOR files FINDINGs; which
    // kind each may create is checked by the loop.
    {"duban.v1.TicketService/CreateTicket", kLeaderOrInspector},
    {"duban.v1.TicketService/GetTicket", kAnyone},
    {"duban.v1.TicketService/ListTickets", kAnyone},
    {"duban.v1.TicketService/ListTicketEvents", kAnyone},
    {"duban.v1.TicketService/SignTicket", kUnitStaff},
    {"duban.v1.TicketService/DisputeTicket", kUnitStaff},
    // Only TASKs (issued by leaders) can be disputed.
    {"duban.v1.TicketService/ResolveTicketDispute", kLeader},
    {"duban.v1.TicketService/ReportTicketProgress", kUnitStaff},
    {"duban.v1.TicketService/SubmitTicket", kUnitStaff},
    {"duban.v1.TicketService/FileRectificationPlan", kUnitStaff},
    {"duban.v1.TicketService/ReviewTicket", kLeaderOrInspector},
    {"duban.v1.TicketService/CancelTicket", kLeaderOrInspector},
    {"duban.v1.TicketService/ReopenTicket", kInspector},
    {"duban.v1.TicketService/RequestExtension", kUnitStaff},
    // The issuer (a leader, or an inspector for a finding) or any leader.
    {"duban.v1.TicketService/DecideExtension", kLeaderOrInspector},
    {"duban.v1.DirectoryService/CreateUnit", kAdmin},
    {"duban.v1.DirectoryService/UpdateUnit", kAdmin},
    {"duban.v1.DirectoryService/GetUnit", kAnyone},
    {"duban.v1.DirectoryService/ListUnits", kAnyone},
    {"duban.v1.DirectoryService/CreatePrincipal", kAdmin},
    {"duban.v1.DirectoryService/UpdatePrincipal", kAdmin},
    {"duban.v1.DirectoryService/GetPrincipal", kAnyone},
    {"duban.v1.DirectoryService/ListPrincipals", kAnyone},
    {"duban.v1.CalendarService/GetCalendar", kAnyone},
    {"duban.v1.CalendarService/LoadCalendar", kAdmin},
    {"duban.v1.CalendarService/AddWorkingDays", kAnyone},
    {"duban.v1.CalendarService/GetCalendarStatus", kAnyone},
    {"duban.v1.EscalationService/GetEscalationPolicy", kAnyone},
    {"duban.v1.EscalationService/UpdateEscalationPolicy", kAdmin},
    {"duban.v1.EscalationService/Sweep", kSweepers},
    // Unit staff get the events of their unit's tickets only.
    {"duban.v1.EventService/WatchEvents", kEveryRole},
    {"duban.v1.AccountabilityService/ListReferrals", kAccountabilityReaders},
    {"duban.v1.AccountabilityService/GetReferral", kAccountabilityReaders},
    {"duban.v1.AccountabilityService/DecideReferral", kDiscipline},
    {"duban.v1.AccountabilityService/GetUnitRecord", kAccountabilityReaders},
    {"duban.v1.AccountabilityService/GetPrincipalRecord", kAccountabilityReaders},
    // Anyone who may read the ticket (checked per ticket).
    {"duban.v1.AccountabilityService/GetTicketClocks", kAnyone},
    {"duban.v1.PerformanceService/CreateIndicator", kPerformanceOffice},
    {"duban.v1.PerformanceService/UpdateIndicator", kPerformanceOffice},
    {"duban.v1.PerformanceService/GetIndicator", kAnyone},
    {"duban.v1.PerformanceService/ListIndicators", kAnyone},
    {"duban.v1.PerformanceService/GetLedgerPolicy", kAnyone},
    {"duban.v1.PerformanceService/UpdateLedgerPolicy", kPerformanceOffice},
    {"duban.v1.PerformanceService/CreateDeduction", kPerformanceOffice},
    {"duban.v1.PerformanceService/FailVeto", kPerformanceOffice},
    {"duban.v1.PerformanceService/ReverseLedgerEntry", kPerformanceOffice},
    // The ledger and the scores are published to every unit (公示).
    {"duban.v1.PerformanceService/GetLedgerEntry", kAnyone},
    {"duban.v1.PerformanceService/ListLedgerEntries", kAnyone},
    {"duban.v1.PerformanceService/GetScoreboard", kAnyone},
    {"duban.v1.PerformanceService/ExplainScore", kAnyone},
    {"duban.v1.DrawService/DrawSpotCheck", kInspector},
    {"duban.v1.DrawService/GetDraw", kAnyone},
    {"duban.v1.DrawService/ListDraws", kAnyone},
    {"duban.v1.ReportService/GetCountyReport", kCountyWide},
    {"duban.v1.AuditService/VerifyAudit", kAuditReaders},
    {"duban.v1.AuditService/CreateCheckpoint", kAdmin},
    {"duban.v1.AdminService/CreateBackup", kAdmin},
    {"duban.v1.AdminService/GetServerHealth", kAdmin},
    {"duban.v1.AdminService/GetServerStats", kAdmin},
    {"duban.v1.ReplicationService/FetchSnapshot", kReplica},
    {"duban.v1.ReplicationService/StreamWal", kReplica},
    {"duban.v1.ReplicationService/Fence", kReplica},
    {"duban.v1.ReplicationService/GetReplicationStatus", kReplicaOrAdmin},
    {"duban.v1.ReplicationService/PromoteReplica", kAdmin},
    // Login needs no authentication at all: the service admits it itself.
    {"duban.v1.AuthService/Login", kAnyone},
    {"duban.v1.AuthService/Logout", kAnyone},
    // Anyone sets their own (giving the old one); ADMIN anyone's.
    {"duban.v1.AuthService/SetPassword", kAnyone},
    {"duban.v1.AuthService/ListSessions", kAdmin},
    {"duban.v1.AuthService/RevokeSession", kAdmin},
    {"duban.v1.AuthService/ListSecurityEvents", kAuditReaders},
};

}  // namespace

std::span<const MethodAccess> MethodAccessTable() { return kTable; }

absl::Status CheckMethodAccess(const Caller& caller, absl::string_view method) {
  for (const MethodAccess& row : kTable) {
    if (row.method != method) continue;
    // A replica server's principal follows its primary and does nothing
    // else: what "anyone" may call is not for it.
    const bool replica_only =
        !caller.roles.empty() &&
        std::all_of(caller.roles.begin(), caller.roles.end(),
                    [](Role role) { return role == v1::ROLE_REPLICA; });
    if (row.roles.empty() && !replica_only) return absl::OkStatus();
    for (Role role : row.roles) {
      if (caller.HasRole(role)) return absl::OkStatus();
    }
    std::string allowed;
    for (Role role : row.roles) {
      absl::StrAppend(&allowed, allowed.empty() ? "" : " or ", v1::Role_Name(role));
    }
    return ErrorWithReason(
        absl::StatusCode::kPermissionDenied, "ROLE_NOT_ALLOWED",
        absl::StrCat(caller.principal, " may not call ", method, ": it needs ", allowed),
        {{"method", std::string(method)}});
  }
  return ErrorWithReason(absl::StatusCode::kPermissionDenied, "METHOD_NOT_IN_POLICY",
                         absl::StrCat("no access rule for ", method),
                         {{"method", std::string(method)}});
}

bool IsInvolvedUnit(const Caller& caller, const v1::Ticket& ticket) {
  if (caller.unit.empty()) return false;
  if (ticket.lead_unit() == caller.unit) return true;
  const auto& units = ticket.cooperating_units();
  return std::find(units.begin(), units.end(), caller.unit) != units.end();
}

absl::Status CheckCanSeeTicket(const Caller& caller, const v1::Ticket& ticket) {
  if (!caller.UnitScoped() || IsInvolvedUnit(caller, ticket)) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kPermissionDenied, "TICKET_NOT_OF_UNIT",
                         absl::StrCat(ticket.name(), " is not a ticket of ",
                                      caller.unit.empty() ? "the caller's unit" : caller.unit),
                         {{"ticket", ticket.name()}});
}

}  // namespace duban
