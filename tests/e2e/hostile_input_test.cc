// Hostile input over real gRPC: strings past their limits, invalid UTF-8,
// enum numbers the API does not define, deadlines in the past or decades
// away, parent links that would loop, a unit cooperating with itself. Each
// is INVALID_ARGUMENT naming the field, and the audit log does not move.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "storage/audit_verifier.h"
#include "duban/v1/report_service.grpc.pb.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using Draws = v1::DrawService::Stub;

// A call that takes longer than this is taken for a hang.
constexpr auto kCallDeadline = std::chrono::seconds(30);

// What the cases send through: the server and its clock.
struct Api {
  TestServer& server;

  absl::Time now() const { return server.clock().Now(); }

  // Calls `rpc` of whichever service it belongs to as the principal whose
  // token is `token`, with a deadline.
  template <typename Stub, typename Request, typename Response>
  grpc::Status Send(const char* token,
                    grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request) {
    Stub stub(server.channel());
    grpc::ClientContext context;
    Authorize(context, token);
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    Response ignored;
    return (stub.*rpc)(&context, request, &ignored);
  }

  // The name the next ticket created would get.
  std::string NextTicketName() {
    v1::ListTicketsRequest request;
    request.set_page_size(500);
    v1::ListTicketsResponse page;
    Tickets stub(server.channel());
    grpc::ClientContext context;
    Authorize(context, "leader");
    EXPECT_TRUE(stub.ListTickets(&context, request, &page).ok());
    uint64_t last = 0;
    for (const v1::Ticket& ticket : page.tickets()) {
      uint64_t id = 0;
      EXPECT_TRUE(absl::SimpleAtoi(absl::StripPrefix(ticket.name(), "tickets/"), &id));
      last = std::max(last, id);
    }
    return absl::StrCat("tickets/", last + 1);
  }
};

// The tickets the fixture makes, in this order.
constexpr const char* kDeployed = "tickets/1";      // TASK at DEPLOY (nongye; cooperating ziran)
constexpr const char* kImplementing = "tickets/2";  // IMPLEMENT, an extension pending
constexpr const char* kInspecting = "tickets/3";    // INSPECT
constexpr const char* kClosed = "tickets/4";        // CLOSED
constexpr const char* kDisputed = "tickets/5";      // DEPLOY, disputed

template <typename Request>
Request Named(const char* name) {
  Request request;
  request.set_name(name);
  return request;
}

std::string Bytes(size_t count, char fill = 'x') { return std::string(count, fill); }

google::protobuf::Timestamp At(absl::Time time) { return ToTimestamp(time); }

google::protobuf::Timestamp Seconds(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(nanos);
  return timestamp;
}

constexpr absl::Duration kCentury = absl::Hours(24 * 365 * 100);

// Byte sequences that are not UTF-8: a stray continuation byte, an overlong
// '/', a UTF-16 surrogate, a 汉 cut short, a code point past U+10FFFF.
const char* const kNotUtf8[] = {"\x80", "\xC0\xAF", "\xED\xA0\x80", "\xE6\xB1", "\xF4\x90\x80\x80"};

// One hostile request: what it is, who sends it, the field it must be
// refused on, and how it is sent.
struct HostileCase {
  const char* what;
  const char* token;
  const char* field;
  grpc::Status (*send)(Api& api, const char* token);
};

const HostileCase kCases[] = {
    // Strings past their limits (each well under the 1 MiB message limit).
    {"a title of 900 KiB", "leader", "ticket.title",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->set_title(Bytes(900 << 10));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a title one byte over 600", "leader", "ticket.title",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->set_title(Bytes(601));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a detail one byte over 16 KiB", "inspector", "ticket.detail",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = FindingRequest();
       request.mutable_ticket()->set_detail(Bytes((16 << 10) + 1));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a request id of 129 bytes", "leader", "request_id",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.set_request_id(Bytes(129));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"an evidence reference of 513 bytes", "leader", "ticket.evidence[1]",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->add_evidence("通知.pdf");
       request.mutable_ticket()->add_evidence(Bytes(513));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"21 evidence references", "nongye", "evidence",
     [](Api& api, const char* token) {
       auto request = Named<v1::ReportTicketProgressRequest>(kImplementing);
       request.set_comment("汇报");
       for (int i = 0; i < 21; ++i) request.add_evidence(absl::StrCat("照片-", i, ".jpg"));
       return api.Send(token, &Tickets::ReportTicketProgress, request);
     }},
    {"a progress comment one byte over 8 KiB", "nongye", "comment",
     [](Api& api, const char* token) {
       auto request = Named<v1::ReportTicketProgressRequest>(kImplementing);
       request.set_comment(Bytes((8 << 10) + 1));
       return api.Send(token, &Tickets::ReportTicketProgress, request);
     }},
    {"a review's findings of 512 KiB", "inspector", "findings",
     [](Api& api, const char* token) {
       auto request = Named<v1::ReviewTicketRequest>(kInspecting);
       request.set_verdict(v1::REVIEW_VERDICT_REJECT);
       request.set_findings(Bytes(512 << 10));
       return api.Send(token, &Tickets::ReviewTicket, request);
     }},
    {"a unit's display name of 301 bytes", "admin", "unit.display_name",
     [](Api& api, const char* token) {
       v1::CreateUnitRequest request;
       request.set_unit_id("shuili");
       request.mutable_unit()->set_display_name(Bytes(301));
       request.mutable_unit()->set_kind(v1::UNIT_KIND_DEPARTMENT);
       return api.Send(token, &Directory::CreateUnit, request);
     }},
    {"an indicator description one byte over 16 KiB", "performance", "indicator.description",
     [](Api& api, const char* token) {
       v1::CreateIndicatorRequest request;
       request.set_indicator_id("shuiku");
       request.mutable_indicator()->set_display_name("水库安全");
       request.mutable_indicator()->set_points("3");
       request.mutable_indicator()->set_lead_unit("units/ziran");
       request.mutable_indicator()->set_description(Bytes((16 << 10) + 1));
       return api.Send(token, &Performance::CreateIndicator, request);
     }},
    {"a deduction reason of 100 KiB", "performance", "reason",
     [](Api& api, const char* token) {
       v1::CreateDeductionRequest request;
       request.set_indicator("indicators/liangshi");
       request.set_points("2");
       request.set_reason(Bytes(100 << 10));
       return api.Send(token, &Performance::CreateDeduction, request);
     }},

    // Enum numbers the API does not define.
    {"ticket kind 7", "leader", "ticket.kind",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->set_kind(static_cast<v1::TicketKind>(7));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"severity 42 on a task", "leader", "ticket.severity",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->set_severity(static_cast<v1::Severity>(42));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"severity -1 on a finding", "inspector", "ticket.severity",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = FindingRequest();
       request.mutable_ticket()->set_severity(static_cast<v1::Severity>(-1));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"review verdict 9", "inspector", "verdict",
     [](Api& api, const char* token) {
       auto request = Named<v1::ReviewTicketRequest>(kInspecting);
       request.set_verdict(static_cast<v1::ReviewVerdict>(9));
       return api.Send(token, &Tickets::ReviewTicket, request);
     }},
    {"dispute resolution 9", "leader", "resolution",
     [](Api& api, const char* token) {
       auto request = Named<v1::ResolveTicketDisputeRequest>(kDisputed);
       request.set_resolution(static_cast<v1::DisputeResolution>(9));
       request.set_comment("维持");
       return api.Send(token, &Tickets::ResolveTicketDispute, request);
     }},
    {"extension decision 9", "leader", "decision",
     [](Api& api, const char* token) {
       auto request = Named<v1::DecideExtensionRequest>(kImplementing);
       request.set_decision(static_cast<v1::ExtensionDecision>(9));
       return api.Send(token, &Tickets::DecideExtension, request);
     }},
    {"disposition kind 99", "discipline", "kind",
     [](Api& api, const char* token) {
       auto request = Named<v1::DecideReferralRequest>("referrals/1");
       request.set_kind(static_cast<v1::DispositionKind>(99));
       request.set_reason("约谈");
       return api.Send(token, &Accountability::DecideReferral, request);
     }},
    {"unit kind 99", "admin", "unit.kind",
     [](Api& api, const char* token) {
       v1::CreateUnitRequest request;
       request.set_unit_id("shuili");
       request.mutable_unit()->set_display_name("水利局");
       request.mutable_unit()->set_kind(static_cast<v1::UnitKind>(99));
       return api.Send(token, &Directory::CreateUnit, request);
     }},
    {"township tier 99", "admin", "unit.tier",
     [](Api& api, const char* token) {
       v1::CreateUnitRequest request;
       request.set_unit_id("xinzhen");
       request.mutable_unit()->set_display_name("新镇");
       request.mutable_unit()->set_kind(v1::UNIT_KIND_TOWNSHIP);
       request.mutable_unit()->set_tier(static_cast<v1::Tier>(99));
       return api.Send(token, &Directory::CreateUnit, request);
     }},
    {"role 99", "admin", "principal.roles[1]",
     [](Api& api, const char* token) {
       v1::CreatePrincipalRequest request;
       request.set_principal_id("wang");
       request.mutable_principal()->set_display_name("王督查");
       request.mutable_principal()->add_roles(v1::ROLE_INSPECTOR);
       request.mutable_principal()->add_roles(static_cast<v1::Role>(99));
       request.mutable_principal()->set_token_sha256(Bytes(64, 'a'));
       return api.Send(token, &Directory::CreatePrincipal, request);
     }},

    // Deadlines in the past, decades away, or not times at all.
    {"a due time a minute ago", "leader", "ticket.due_time",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       *request.mutable_ticket()->mutable_due_time() = At(api.now() - absl::Minutes(1));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a due time of the epoch", "leader", "ticket.due_time",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       *request.mutable_ticket()->mutable_due_time() = Seconds(0, 1);
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a due time a century away", "leader", "ticket.due_time",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       *request.mutable_ticket()->mutable_due_time() = At(api.now() + kCentury);
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a due time at the largest seconds", "leader", "ticket.due_time",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       *request.mutable_ticket()->mutable_due_time() = Seconds(std::numeric_limits<int64_t>::max());
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a due time at the smallest seconds", "leader", "ticket.due_time",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       *request.mutable_ticket()->mutable_due_time() = Seconds(std::numeric_limits<int64_t>::min());
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a due time with negative nanos", "leader", "ticket.due_time",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->mutable_due_time()->set_nanos(-1);
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"due in the most working days an int holds", "leader", "due_in.working_days",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->clear_due_time();
       request.mutable_due_in()->set_working_days(std::numeric_limits<int32_t>::max());
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"due in minus 24 hours", "leader", "due_in.hours",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->clear_due_time();
       request.mutable_due_in()->set_hours(-24);
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a rectification deadline a century away", "inspector", "ticket.rectification_due_time",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = FindingRequest();
       *request.mutable_ticket()->mutable_rectification_due_time() = At(api.now() + kCentury);
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a rejection's rectification deadline in the past", "inspector", "rectification_due_time",
     [](Api& api, const char* token) {
       auto request = Named<v1::ReviewTicketRequest>(kInspecting);
       request.set_verdict(v1::REVIEW_VERDICT_REJECT);
       request.set_findings("台账不全");
       *request.mutable_rectification_due_time() = At(api.now() - absl::Hours(1));
       return api.Send(token, &Tickets::ReviewTicket, request);
     }},
    {"a reopening's rectification deadline a century away", "inspector", "rectification_due_time",
     [](Api& api, const char* token) {
       auto request = Named<v1::ReopenTicketRequest>(kClosed);
       request.set_findings("问题反弹");
       *request.mutable_rectification_due_time() = At(api.now() + kCentury);
       return api.Send(token, &Tickets::ReopenTicket, request);
     }},
    {"an extension proposed a century away", "nongye", "proposed_due_time",
     [](Api& api, const char* token) {
       auto request = Named<v1::RequestExtensionRequest>(kImplementing);
       request.set_reason("汛期");
       *request.mutable_proposed_due_time() = At(api.now() + kCentury);
       return api.Send(token, &Tickets::RequestExtension, request);
     }},
    {"an extension granted until yesterday", "leader", "new_due_time",
     [](Api& api, const char* token) {
       auto request = Named<v1::DecideExtensionRequest>(kImplementing);
       request.set_decision(v1::EXTENSION_DECISION_GRANT);
       *request.mutable_new_due_time() = At(api.now() - absl::Hours(24));
       return api.Send(token, &Tickets::DecideExtension, request);
     }},
    {"a draw whose tickets are due in a million working days", "inspector", "due_in.working_days",
     [](Api& api, const char* token) {
       v1::DrawSpotCheckRequest request;
       request.set_seed(2023);
       request.set_open_tickets(true);
       request.mutable_due_in()->set_working_days(1000000);
       return api.Send(token, &Draws::DrawSpotCheck, request);
     }},

    // Parent links that would loop.
    {"a ticket whose parent is the ticket itself", "leader", "ticket.parent",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->set_parent(api.NextTicketName());
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a ticket whose parent is tickets/0", "leader", "ticket.parent",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->set_parent("tickets/0");
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a ticket whose parent id overflows", "leader", "ticket.parent",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->set_parent("tickets/18446744073709551617");
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a unit made its own parent", "admin", "unit.parent",
     [](Api& api, const char* token) {
       v1::UpdateUnitRequest request;
       request.mutable_unit()->set_name("units/nongye");
       request.mutable_unit()->set_display_name("农业农村局");
       request.mutable_unit()->set_parent("units/nongye");
       return api.Send(token, &Directory::UpdateUnit, request);
     }},
    {"a township made a child of its own village", "admin", "unit.parent",
     [](Api& api, const char* token) {
       v1::UpdateUnitRequest request;
       request.mutable_unit()->set_name("units/chengguan");
       request.mutable_unit()->set_display_name("城关镇");
       request.mutable_unit()->set_tier(v1::TIER_NEAR);
       request.mutable_unit()->set_parent("units/chengguan-dongjie");
       return api.Send(token, &Directory::UpdateUnit, request);
     }},

    // A unit cooperating with itself.
    {"the lead unit among the cooperating units", "leader", "ticket.cooperating_units[1]",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->add_cooperating_units("units/nongye");
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"the indicator's lead unit among a ticket's cooperating units", "leader",
     "ticket.cooperating_units[0]",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->clear_lead_unit();
       request.mutable_ticket()->clear_cooperating_units();
       request.mutable_ticket()->set_indicator("indicators/liangshi");  // led by nongye
       request.mutable_ticket()->add_cooperating_units("units/nongye");
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"an indicator's lead unit among its cooperating units", "performance",
     "indicator.cooperating_units[0]",
     [](Api& api, const char* token) {
       v1::CreateIndicatorRequest request;
       request.set_indicator_id("shuiku");
       request.mutable_indicator()->set_display_name("水库安全");
       request.mutable_indicator()->set_points("3");
       request.mutable_indicator()->set_lead_unit("units/ziran");
       request.mutable_indicator()->add_cooperating_units("units/ziran");
       return api.Send(token, &Performance::CreateIndicator, request);
     }},
    {"an indicator updated to cooperate with its lead", "performance",
     "indicator.cooperating_units[1]",
     [](Api& api, const char* token) {
       v1::UpdateIndicatorRequest request;
       v1::Indicator& indicator = *request.mutable_indicator();
       indicator.set_name("indicators/renju");
       indicator.set_display_name("人居环境整治");
       indicator.set_points("8");
       indicator.set_lead_unit("units/nongban");
       indicator.add_cooperating_units("units/ziran");
       indicator.add_cooperating_units("units/nongban");
       return api.Send(token, &Performance::UpdateIndicator, request);
     }},
    // Moments to look "as of": a real moment in 1970–2200, nanos in range.
    {"a list as of year 0", "leader", "as_of_time",
     [](Api& api, const char* token) {
       v1::ListTicketsRequest request;
       request.set_filter("overdue=true");
       *request.mutable_as_of_time() = Seconds(-62167219200);
       return api.Send(token, &Tickets::ListTickets, request);
     }},
    {"a list as of year 10000", "leader", "as_of_time",
     [](Api& api, const char* token) {
       v1::ListTicketsRequest request;
       *request.mutable_as_of_time() = Seconds(253402300800);
       return api.Send(token, &Tickets::ListTickets, request);
     }},
    {"a list as of negative nanos", "nongye", "as_of_time",
     [](Api& api, const char* token) {
       v1::ListTicketsRequest request;
       *request.mutable_as_of_time() = Seconds(1900000000, -1);
       return api.Send(token, &Tickets::ListTickets, request);
     }},
    {"a list as of a billion nanos", "leader", "as_of_time",
     [](Api& api, const char* token) {
       v1::ListTicketsRequest request;
       *request.mutable_as_of_time() = Seconds(1900000000, 1000000000);
       return api.Send(token, &Tickets::ListTickets, request);
     }},
    {"a dry-run sweep as of year 10000", "escalator", "as_of_time",
     [](Api& api, const char* token) {
       v1::SweepRequest request;
       request.set_dry_run(true);
       *request.mutable_as_of_time() = Seconds(253402300800);
       return api.Send(token, &Escalations::Sweep, request);
     }},
    {"a dry-run sweep as of the largest seconds", "escalator", "as_of_time",
     [](Api& api, const char* token) {
       v1::SweepRequest request;
       request.set_dry_run(true);
       *request.mutable_as_of_time() = Seconds(std::numeric_limits<int64_t>::max());
       return api.Send(token, &Escalations::Sweep, request);
     }},
    {"a sweep as of year 0", "admin", "as_of_time",
     [](Api& api, const char* token) {
       v1::SweepRequest request;
       *request.mutable_as_of_time() = Seconds(-62167219200);
       return api.Send(token, &Escalations::Sweep, request);
     }},
    {"a sweep as of oversized nanos", "escalator", "as_of_time",
     [](Api& api, const char* token) {
       v1::SweepRequest request;
       *request.mutable_as_of_time() = Seconds(1700000000, 2000000000);
       return api.Send(token, &Escalations::Sweep, request);
     }},
    {"a county report as of year 10000", "leader", "as_of_time",
     [](Api& api, const char* token) {
       v1::GetCountyReportRequest request;
       *request.mutable_as_of_time() = Seconds(253402300800);
       return api.Send(token, &v1::ReportService::Stub::GetCountyReport, request);
     }},
    {"a county report for a period that is no year", "leader", "period",
     [](Api& api, const char* token) {
       v1::GetCountyReportRequest request;
       request.set_period("20x6");
       return api.Send(token, &v1::ReportService::Stub::GetCountyReport, request);
     }},
    {"a unit's record for year 1999", "organization", "period",
     [](Api& api, const char* token) {
       v1::GetUnitRecordRequest request;
       request.set_unit("units/nongye");
       request.set_period("1999");
       return api.Send(token, &Accountability::GetUnitRecord, request);
     }},
    {"a calendar load of shipped years with years given", "admin", "years",
     [](Api& api, const char* token) {
       v1::LoadCalendarRequest request;
       request.set_shipped(true);
       request.add_years()->set_year(2027);
       return api.Send(token, &Calendars::LoadCalendar, request);
     }},
    {"a calendar source that is no text", "admin", "years[0].source",
     [](Api& api, const char* token) {
       v1::LoadCalendarRequest request;
       v1::CalendarYear& year = *request.add_years();
       year.set_year(2027);
       year.set_source(Bytes(9000));
       return api.Send(token, &Calendars::LoadCalendar, request);
     }},
};

// Strings that are not UTF-8. The API's string fields are proto3 `string`,
// which protobuf refuses to parse unless it is UTF-8: such a request fails in
// gRPC's generated code, before any handler runs.
const HostileCase kNotUtf8Cases[] = {
    {"a title that is not UTF-8", "leader", "ticket.title",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->set_title(absl::StrCat("防返贫", kNotUtf8[0], "排查"));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"an overlong '/' in a detail", "leader", "ticket.detail",
     [](Api& api, const char* token) {
       v1::CreateTicketRequest request = DeployRequest(api.now());
       request.mutable_ticket()->set_detail(absl::StrCat("路径", kNotUtf8[1], "etc"));
       return api.Send(token, &Tickets::CreateTicket, request);
     }},
    {"a surrogate in a sign-for comment", "nongye", "comment",
     [](Api& api, const char* token) {
       auto request = Named<v1::SignTicketRequest>(kDeployed);
       request.set_comment(absl::StrCat("收到", kNotUtf8[2]));
       return api.Send(token, &Tickets::SignTicket, request);
     }},
    {"a character cut short in a dispute reason", "nongye", "reason",
     [](Api& api, const char* token) {
       auto request = Named<v1::DisputeTicketRequest>(kDeployed);
       request.set_reason(absl::StrCat("不属于", kNotUtf8[3]));
       return api.Send(token, &Tickets::DisputeTicket, request);
     }},
    {"a code point past U+10FFFF in an evidence reference", "nongye", "evidence[0]",
     [](Api& api, const char* token) {
       auto request = Named<v1::SubmitTicketRequest>(kImplementing);
       request.set_comment("办结");
       request.add_evidence(absl::StrCat("报告", kNotUtf8[4], ".pdf"));
       return api.Send(token, &Tickets::SubmitTicket, request);
     }},
    {"a request id that is not UTF-8", "nongye", "request_id",
     [](Api& api, const char* token) {
       auto request = Named<v1::SignTicketRequest>(kDeployed);
       request.set_request_id(kNotUtf8[0]);
       return api.Send(token, &Tickets::SignTicket, request);
     }},
    {"a unit's display name that is not UTF-8", "admin", "unit.display_name",
     [](Api& api, const char* token) {
       v1::CreateUnitRequest request;
       request.set_unit_id("shuili");
       request.mutable_unit()->set_display_name(absl::StrCat("水利", kNotUtf8[2]));
       request.mutable_unit()->set_kind(v1::UNIT_KIND_DEPARTMENT);
       return api.Send(token, &Directory::CreateUnit, request);
     }},
    {"a principal's display name that is not UTF-8", "admin", "principal.display_name",
     [](Api& api, const char* token) {
       v1::CreatePrincipalRequest request;
       request.set_principal_id("wang");
       request.mutable_principal()->set_display_name(kNotUtf8[1]);
       request.mutable_principal()->add_roles(v1::ROLE_INSPECTOR);
       request.mutable_principal()->set_token_sha256(Bytes(64, 'a'));
       return api.Send(token, &Directory::CreatePrincipal, request);
     }},
    {"a veto reason that is not UTF-8", "performance", "reason",
     [](Api& api, const char* token) {
       v1::FailVetoRequest request;
       request.set_indicator("indicators/gengdi");
       request.set_reason(absl::StrCat("耕地", kNotUtf8[3]));
       request.add_evidence("卫片-2025-017");
       return api.Send(token, &Performance::FailVeto, request);
     }},
    {"a referral decision reason that is not UTF-8", "discipline", "reason",
     [](Api& api, const char* token) {
       auto request = Named<v1::DecideReferralRequest>("referrals/1");
       request.set_kind(v1::DISPOSITION_KIND_TALK);
       request.set_reason(kNotUtf8[4]);
       return api.Send(token, &Accountability::DecideReferral, request);
     }},

};

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Time now = server_.clock().Now();
    ASSERT_EQ(client_.MustCreate("leader", DeployRequest(now)).name(), kDeployed);

    v1::Ticket implementing = client_.MustCreate("leader", DeployRequest(now));
    ASSERT_EQ(implementing.name(), kImplementing);
    ASSERT_TRUE(Ok("nongye", &Tickets::SignTicket, Named<v1::SignTicketRequest>(kImplementing)));
    auto extension = Named<v1::RequestExtensionRequest>(kImplementing);
    extension.set_reason("汛期");
    extension.mutable_proposed_due_in()->set_working_days(30);
    ASSERT_TRUE(Ok("nongye", &Tickets::RequestExtension, extension));

    for (const char* name : {kInspecting, kClosed}) {
      ASSERT_EQ(client_.MustCreate("leader", DeployRequest(now)).name(), name);
      ASSERT_TRUE(Ok("nongye", &Tickets::SignTicket, Named<v1::SignTicketRequest>(name)));
      auto submit = Named<v1::SubmitTicketRequest>(name);
      submit.set_comment("办结报告");
      ASSERT_TRUE(Ok("nongye", &Tickets::SubmitTicket, submit));
    }
    auto accept = Named<v1::ReviewTicketRequest>(kClosed);
    accept.set_verdict(v1::REVIEW_VERDICT_ACCEPT);
    ASSERT_TRUE(Ok("inspector", &Tickets::ReviewTicket, accept));

    ASSERT_EQ(client_.MustCreate("leader", DeployRequest(now)).name(), kDisputed);
    auto dispute = Named<v1::DisputeTicketRequest>(kDisputed);
    dispute.set_reason("不属于本单位职责");
    ASSERT_TRUE(Ok("nongye", &Tickets::DisputeTicket, dispute));

    // A hard flaw is referred as it is filed: referrals/1.
    v1::CreateTicketRequest hard_flaw = FindingRequest();
    hard_flaw.mutable_ticket()->set_severity(v1::SEVERITY_HARD_FLAW);
    ASSERT_EQ(client_.MustCreate("inspector", hard_flaw).referrals(0), "referrals/1");
  }

  template <typename Stub, typename Request, typename Response>
  bool Ok(const char* token,
          grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
          const Request& request) {
    grpc::Status status = api_.Send(token, rpc, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return status.ok();
  }

  storage::ChainPoint AuditHead() {
    absl::StatusOr<storage::ChainPoint> head = storage::AuditHead(server_.server().database());
    EXPECT_TRUE(head.ok()) << head.status();
    return head.ok() ? *head : storage::ChainPoint();
  }

  TestServer server_{/*scheduler=*/false};
  RpcClient client_{server_};
  Api api_{server_};
};

TEST_F(HostileInputTest, EachIsRefusedNamingTheFieldAndWritesNothing) {
  for (const HostileCase& hostile : kCases) {
    const storage::ChainPoint before = AuditHead();
    const grpc::Status status = hostile.send(api_, hostile.token);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << hostile.what << ": " << status.error_message();
    EXPECT_THAT(BadFields(status), Contains(hostile.field)) << hostile.what;
    EXPECT_THAT(status.error_message(), HasSubstr(hostile.field)) << hostile.what;
    const storage::ChainPoint after = AuditHead();
    EXPECT_EQ(after.cursor, before.cursor) << hostile.what;
    EXPECT_EQ(after.sha256, before.sha256) << hostile.what;
  }
}

TEST_F(HostileInputTest, StringsThatAreNotUtf8AreRefusedAndWriteNothing) {
  for (const HostileCase& hostile : kNotUtf8Cases) {
    const storage::ChainPoint before = AuditHead();
    const grpc::Status status = hostile.send(api_, hostile.token);
    EXPECT_FALSE(status.ok()) << hostile.what;
    const storage::ChainPoint after = AuditHead();
    EXPECT_EQ(after.cursor, before.cursor) << hostile.what;
    EXPECT_EQ(after.sha256, before.sha256) << hostile.what;
  }
}

// Such a request fails to parse before any handler runs; the edge
// (server/edge/parse_checked_service.h) still names the field.
TEST_F(HostileInputTest, StringsThatAreNotUtf8AreInvalidArgumentNamingTheField) {
  for (const HostileCase& hostile : kNotUtf8Cases) {
    const grpc::Status status = hostile.send(api_, hostile.token);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << hostile.what << ": " << status.error_message();
    EXPECT_THAT(BadFields(status), Contains(hostile.field)) << hostile.what;
    EXPECT_THAT(status.error_message(), HasSubstr(hostile.field)) << hostile.what;
  }
}

TEST_F(HostileInputTest, MessageOverOneMebibyteIsRefusedBeforeAnyHandler) {
  const storage::ChainPoint before = AuditHead();
  v1::CreateTicketRequest request = DeployRequest(server_.clock().Now());
  request.mutable_ticket()->set_title(Bytes((1 << 20) + 1));
  const grpc::Status status = api_.Send("leader", &Tickets::CreateTicket, request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  const storage::ChainPoint after = AuditHead();
  EXPECT_EQ(after.cursor, before.cursor);
  EXPECT_EQ(after.sha256, before.sha256);
}

// A loop closed through a long chain of units is found however long the
// chain is.
TEST_F(HostileInputTest, UnitParentLoopThroughALongChainIsRefused) {
  constexpr int kChain = 70;
  for (int i = 0; i < kChain; ++i) {
    v1::CreateUnitRequest create;
    create.set_unit_id(absl::StrCat("zu", i));
    create.mutable_unit()->set_display_name(absl::StrCat("工作组", i));
    create.mutable_unit()->set_kind(v1::UNIT_KIND_DEPARTMENT);
    if (i > 0) create.mutable_unit()->set_parent(absl::StrCat("units/zu", i - 1));
    ASSERT_TRUE(Ok("admin", &Directory::CreateUnit, create)) << i;
  }
  const storage::ChainPoint before = AuditHead();
  v1::UpdateUnitRequest update;
  update.mutable_unit()->set_name("units/zu0");
  update.mutable_unit()->set_display_name("工作组0");
  update.mutable_unit()->set_parent(absl::StrCat("units/zu", kChain - 1));
  const grpc::Status status = api_.Send("admin", &Directory::UpdateUnit, update);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"unit.parent"});
  const storage::ChainPoint after = AuditHead();
  EXPECT_EQ(after.cursor, before.cursor);
  EXPECT_EQ(after.sha256, before.sha256);
}

}  // namespace
}  // namespace duban::testing
