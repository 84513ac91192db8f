// The method × role table against the generated services, and the per-ticket
// read rule.
#include "domain/access_policy.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/errors.h"
#include "duban/v1/accountability_service.grpc.pb.h"
#include "duban/v1/accountability_service.pb.h"
#include "duban/v1/admin_service.grpc.pb.h"
#include "duban/v1/admin_service.pb.h"
#include "duban/v1/audit_service.grpc.pb.h"
#include "duban/v1/audit_service.pb.h"
#include "duban/v1/auth_service.grpc.pb.h"
#include "duban/v1/auth_service.pb.h"
#include "duban/v1/calendar_service.grpc.pb.h"
#include "duban/v1/calendar_service.pb.h"
#include "duban/v1/directory_service.grpc.pb.h"
#include "duban/v1/directory_service.pb.h"
#include "duban/v1/draw_service.grpc.pb.h"
#include "duban/v1/draw_service.pb.h"
#include "duban/v1/escalation_service.grpc.pb.h"
#include "duban/v1/escalation_service.pb.h"
#include "duban/v1/event_service.grpc.pb.h"
#include "duban/v1/event_service.pb.h"
#include "duban/v1/performance_service.grpc.pb.h"
#include "duban/v1/performance_service.pb.h"
#include "duban/v1/replication_service.grpc.pb.h"
#include "duban/v1/replication_service.pb.h"
#include "duban/v1/report_service.grpc.pb.h"
#include "duban/v1/report_service.pb.h"
#include "duban/v1/ticket_service.grpc.pb.h"
#include "duban/v1/ticket_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"

namespace duban {
namespace {

using ::duban::testing::MakeCaller;
using google::protobuf::DescriptorPool;
using google::protobuf::ServiceDescriptor;

// Forces the generated files into the binary before the pool is asked.
const ServiceDescriptor* Service(const char* full_name) {
  (void)v1::CreateTicketRequest::descriptor();
  (void)v1::CreateUnitRequest::descriptor();
  (void)v1::AddWorkingDaysRequest::descriptor();
  (void)v1::SweepRequest::descriptor();
  (void)v1::WatchEventsRequest::descriptor();
  (void)v1::DecideReferralRequest::descriptor();
  (void)v1::CreateDeductionRequest::descriptor();
  (void)v1::DrawSpotCheckRequest::descriptor();
  (void)v1::GetCountyReportRequest::descriptor();
  (void)v1::VerifyAuditRequest::descriptor();
  (void)v1::CreateBackupRequest::descriptor();
  (void)v1::LoginRequest::descriptor();
  (void)v1::FetchSnapshotRequest::descriptor();
  return DescriptorPool::generated_pool()->FindServiceByName(full_name);
}

// The names the generated gRPC code serves under.
const char* const kServices[] = {
    v1::TicketService::service_full_name(),      v1::DirectoryService::service_full_name(),
    v1::CalendarService::service_full_name(),    v1::EscalationService::service_full_name(),
    v1::EventService::service_full_name(),       v1::AccountabilityService::service_full_name(),
    v1::PerformanceService::service_full_name(), v1::DrawService::service_full_name(),
    v1::ReportService::service_full_name(),      v1::AuditService::service_full_name(),
    v1::AdminService::service_full_name(),       v1::AuthService::service_full_name(),
    v1::ReplicationService::service_full_name()};

TEST(AccessPolicyTest, ServiceNamesAreThoseOfTheTable) {
  EXPECT_STREQ(kServices[0], "duban.v1.TicketService");
  EXPECT_STREQ(kServices[1], "duban.v1.DirectoryService");
  EXPECT_STREQ(kServices[2], "duban.v1.CalendarService");
  EXPECT_STREQ(kServices[3], "duban.v1.EscalationService");
  EXPECT_STREQ(kServices[4], "duban.v1.EventService");
  EXPECT_STREQ(kServices[5], "duban.v1.AccountabilityService");
  EXPECT_STREQ(kServices[6], "duban.v1.PerformanceService");
  EXPECT_STREQ(kServices[7], "duban.v1.DrawService");
  EXPECT_STREQ(kServices[8], "duban.v1.ReportService");
  EXPECT_STREQ(kServices[9], "duban.v1.AuditService");
  EXPECT_STREQ(kServices[10], "duban.v1.AdminService");
  EXPECT_STREQ(kServices[11], "duban.v1.AuthService");
  EXPECT_STREQ(kServices[12], "duban.v1.ReplicationService");
}

// Every service of the proto package is in kServices: a new service cannot
// slip past the table unnoticed.
TEST(AccessPolicyTest, EveryServiceOfThePackageIsChecked) {
  std::set<std::string> checked(std::begin(kServices), std::end(kServices));
  std::set<std::string> declared;
  for (const char* name : kServices) {
    const ServiceDescriptor* service = Service(name);
    ASSERT_NE(service, nullptr) << name;
    const google::protobuf::FileDescriptor* file = service->file();
    for (int i = 0; i < file->service_count(); ++i) declared.insert(file->service(i)->full_name());
  }
  EXPECT_EQ(declared, checked);
  // And every table row belongs to one of them.
  for (const MethodAccess& row : MethodAccessTable()) {
    const std::string method(row.method);
    EXPECT_TRUE(checked.contains(method.substr(0, method.find('/')))) << method;
  }
}

TEST(AccessPolicyTest, EveryRowNamesAGeneratedMethodOnce) {
  std::set<std::string> seen;
  for (const MethodAccess& row : MethodAccessTable()) {
    const std::string method(row.method);
    EXPECT_TRUE(seen.insert(method).second) << method << " has two rows";
    std::vector<std::string> parts = absl::StrSplit(method, '/');
    ASSERT_EQ(parts.size(), 2u) << method;
    const ServiceDescriptor* service = Service(parts[0].c_str());
    ASSERT_NE(service, nullptr) << method << ": no service " << parts[0];
    EXPECT_NE(service->FindMethodByName(parts[1]), nullptr) << method << ": no such method";
    for (v1::Role role : row.roles) {
      EXPECT_TRUE(v1::Role_IsValid(role) && role != v1::ROLE_UNSPECIFIED) << method;
    }
  }
}

TEST(AccessPolicyTest, EveryGeneratedMethodHasARow) {
  size_t methods = 0;
  for (const char* name : kServices) {
    const ServiceDescriptor* service = Service(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      ++methods;
      const std::string full = absl::StrCat(name, "/", service->method(i)->name());
      bool found = false;
      for (const MethodAccess& row : MethodAccessTable()) found |= row.method == full;
      EXPECT_TRUE(found) << full << " has no access rule";
    }
  }
  EXPECT_EQ(MethodAccessTable().size(), methods);
}

TEST(AccessPolicyTest, CheckMethodAccess) {
  const Caller leader = MakeCaller("li", v1::ROLE_LEADER, "county");
  const Caller inspector = MakeCaller("zhao", v1::ROLE_INSPECTOR, "ducha");
  const Caller staff = MakeCaller("nongye-staff", v1::ROLE_UNIT_STAFF, "nongye");
  const Caller admin = MakeCaller("root", v1::ROLE_ADMIN, "");
  const Caller discipline = MakeCaller("jiwei", v1::ROLE_DISCIPLINE, "");
  const Caller escalator = MakeCaller("cron", v1::ROLE_ESCALATOR, "");
  const Caller organization = MakeCaller("zuzhibu", v1::ROLE_ORGANIZATION, "zuzhi");
  const Caller performance = MakeCaller("sun", v1::ROLE_PERFORMANCE_OFFICE, "jixiao");
  Caller leader_and_admin = leader;
  leader_and_admin.roles.push_back(v1::ROLE_ADMIN);
  Caller no_roles;
  no_roles.principal = "principals/nobody";

  const struct {
    const Caller* caller;
    const char* method;
    bool allowed;
  } kCases[] = {
      {&leader, "duban.v1.TicketService/CreateTicket", true},
      {&inspector, "duban.v1.TicketService/CreateTicket", true},
      {&staff, "duban.v1.TicketService/CreateTicket", false},
      {&discipline, "duban.v1.TicketService/CreateTicket", false},
      {&staff, "duban.v1.TicketService/GetTicket", true},
      {&discipline, "duban.v1.TicketService/ListTickets", true},
      {&escalator, "duban.v1.TicketService/ListTickets", true},
      {&no_roles, "duban.v1.TicketService/ListTicketEvents", true},
      {&staff, "duban.v1.TicketService/SignTicket", true},
      {&leader, "duban.v1.TicketService/SignTicket", false},
      {&inspector, "duban.v1.TicketService/SignTicket", false},
      {&staff, "duban.v1.TicketService/DisputeTicket", true},
      {&leader, "duban.v1.TicketService/ResolveTicketDispute", true},
      {&staff, "duban.v1.TicketService/ResolveTicketDispute", false},
      {&staff, "duban.v1.TicketService/ReportTicketProgress", true},
      {&staff, "duban.v1.TicketService/SubmitTicket", true},
      {&admin, "duban.v1.TicketService/SubmitTicket", false},
      {&staff, "duban.v1.TicketService/FileRectificationPlan", true},
      {&inspector, "duban.v1.TicketService/ReviewTicket", true},
      {&staff, "duban.v1.TicketService/ReviewTicket", false},
      {&leader, "duban.v1.TicketService/CancelTicket", true},
      {&staff, "duban.v1.TicketService/CancelTicket", false},
      {&inspector, "duban.v1.TicketService/ReopenTicket", true},
      {&leader, "duban.v1.TicketService/ReopenTicket", false},
      {&admin, "duban.v1.DirectoryService/CreateUnit", true},
      {&leader, "duban.v1.DirectoryService/CreateUnit", false},
      {&leader_and_admin, "duban.v1.DirectoryService/UpdateUnit", true},
      {&staff, "duban.v1.DirectoryService/GetUnit", true},
      {&no_roles, "duban.v1.DirectoryService/ListUnits", true},
      {&admin, "duban.v1.DirectoryService/CreatePrincipal", true},
      {&inspector, "duban.v1.DirectoryService/CreatePrincipal", false},
      {&staff, "duban.v1.DirectoryService/UpdatePrincipal", false},
      {&discipline, "duban.v1.DirectoryService/GetPrincipal", true},
      {&escalator, "duban.v1.DirectoryService/ListPrincipals", true},
      {&staff, "duban.v1.TicketService/RequestExtension", true},
      {&leader, "duban.v1.TicketService/RequestExtension", false},
      {&leader, "duban.v1.TicketService/DecideExtension", true},
      {&inspector, "duban.v1.TicketService/DecideExtension", true},
      {&staff, "duban.v1.TicketService/DecideExtension", false},
      {&staff, "duban.v1.CalendarService/GetCalendar", true},
      {&no_roles, "duban.v1.CalendarService/AddWorkingDays", true},
      {&admin, "duban.v1.CalendarService/LoadCalendar", true},
      {&leader, "duban.v1.CalendarService/LoadCalendar", false},
      {&escalator, "duban.v1.CalendarService/LoadCalendar", false},
      {&staff, "duban.v1.CalendarService/GetCalendarStatus", true},
      {&no_roles, "duban.v1.CalendarService/GetCalendarStatus", true},
      {&staff, "duban.v1.EscalationService/GetEscalationPolicy", true},
      {&admin, "duban.v1.EscalationService/UpdateEscalationPolicy", true},
      {&leader, "duban.v1.EscalationService/UpdateEscalationPolicy", false},
      {&escalator, "duban.v1.EscalationService/Sweep", true},
      {&admin, "duban.v1.EscalationService/Sweep", true},
      {&leader, "duban.v1.EscalationService/Sweep", false},
      {&staff, "duban.v1.EscalationService/Sweep", false},
      {&discipline, "duban.v1.EventService/WatchEvents", true},
      {&escalator, "duban.v1.EventService/WatchEvents", true},
      {&staff, "duban.v1.EventService/WatchEvents", true},
      {&no_roles, "duban.v1.EventService/WatchEvents", false},
      {&discipline, "duban.v1.AccountabilityService/ListReferrals", true},
      {&organization, "duban.v1.AccountabilityService/ListReferrals", true},
      {&leader, "duban.v1.AccountabilityService/GetReferral", true},
      {&staff, "duban.v1.AccountabilityService/ListReferrals", false},
      {&inspector, "duban.v1.AccountabilityService/GetReferral", false},
      {&discipline, "duban.v1.AccountabilityService/DecideReferral", true},
      {&organization, "duban.v1.AccountabilityService/DecideReferral", false},
      {&leader, "duban.v1.AccountabilityService/DecideReferral", false},
      {&admin, "duban.v1.AccountabilityService/DecideReferral", false},
      {&organization, "duban.v1.AccountabilityService/GetUnitRecord", true},
      {&organization, "duban.v1.AccountabilityService/GetPrincipalRecord", true},
      {&staff, "duban.v1.AccountabilityService/GetUnitRecord", false},
      {&staff, "duban.v1.AccountabilityService/GetTicketClocks", true},
      {&performance, "duban.v1.PerformanceService/CreateIndicator", true},
      {&admin, "duban.v1.PerformanceService/CreateIndicator", false},
      {&staff, "duban.v1.PerformanceService/ListIndicators", true},
      {&performance, "duban.v1.PerformanceService/UpdateLedgerPolicy", true},
      {&leader, "duban.v1.PerformanceService/UpdateLedgerPolicy", false},
      {&performance, "duban.v1.PerformanceService/CreateDeduction", true},
      {&leader, "duban.v1.PerformanceService/CreateDeduction", false},
      {&organization, "duban.v1.PerformanceService/FailVeto", false},
      {&performance, "duban.v1.PerformanceService/ReverseLedgerEntry", true},
      {&staff, "duban.v1.PerformanceService/ListLedgerEntries", true},
      {&staff, "duban.v1.PerformanceService/GetScoreboard", true},
      {&no_roles, "duban.v1.PerformanceService/ExplainScore", true},
      {&inspector, "duban.v1.DrawService/DrawSpotCheck", true},
      {&leader, "duban.v1.DrawService/DrawSpotCheck", false},
      {&staff, "duban.v1.DrawService/DrawSpotCheck", false},
      {&staff, "duban.v1.DrawService/ListDraws", true},
      {&organization, "duban.v1.ReportService/GetCountyReport", true},
      {&performance, "duban.v1.ReportService/GetCountyReport", true},
      {&staff, "duban.v1.ReportService/GetCountyReport", false},
      {&admin, "duban.v1.AdminService/GetServerHealth", true},
      {&leader, "duban.v1.AdminService/GetServerHealth", false},
      {&escalator, "duban.v1.AdminService/GetServerHealth", false},
      {&admin, "duban.v1.AdminService/GetServerStats", true},
      {&leader, "duban.v1.AdminService/GetServerStats", false},
  };
  for (const auto& c : kCases) {
    const absl::Status status = CheckMethodAccess(*c.caller, c.method);
    const std::string where = absl::StrCat(c.caller->principal, " calling ", c.method);
    if (c.allowed) {
      EXPECT_TRUE(status.ok()) << where << ": " << status;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << where;
      EXPECT_EQ(ErrorReason(status), "ROLE_NOT_ALLOWED") << where;
    }
  }
}

TEST(AccessPolicyTest, AMethodOutsideTheTableIsDenied) {
  const Caller admin = MakeCaller("root", v1::ROLE_ADMIN, "");
  for (const char* method : {"duban.v1.TicketService/DeleteTicket", "", "SignTicket",
                             "duban.v1.TicketService/signticket"}) {
    const absl::Status status = CheckMethodAccess(admin, method);
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << method;
    EXPECT_EQ(ErrorReason(status), "METHOD_NOT_IN_POLICY") << method;
  }
}

TEST(AccessPolicyTest, CheckCanSeeTicket) {
  v1::Ticket ticket;
  ticket.set_name("tickets/5");
  ticket.set_lead_unit("units/nongye");
  ticket.add_cooperating_units("units/ziran");
  Caller staff_and_inspector = MakeCaller("both", v1::ROLE_UNIT_STAFF, "chengguan");
  staff_and_inspector.roles.push_back(v1::ROLE_INSPECTOR);
  const struct {
    Caller caller;
    bool sees;
  } kCases[] = {
      {MakeCaller("nongye-staff", v1::ROLE_UNIT_STAFF, "nongye"), true},
      {MakeCaller("ziran-staff", v1::ROLE_UNIT_STAFF, "ziran"), true},
      {MakeCaller("chengguan-staff", v1::ROLE_UNIT_STAFF, "chengguan"), false},
      {MakeCaller("drifter", v1::ROLE_UNIT_STAFF, ""), false},
      {MakeCaller("li", v1::ROLE_LEADER, "county"), true},
      {MakeCaller("zhao", v1::ROLE_INSPECTOR, "ducha"), true},
      {MakeCaller("jiwei", v1::ROLE_DISCIPLINE, ""), true},
      {MakeCaller("zuzhibu", v1::ROLE_ORGANIZATION, ""), true},
      {MakeCaller("jixiao", v1::ROLE_PERFORMANCE_OFFICE, ""), true},
      {MakeCaller("cron", v1::ROLE_ESCALATOR, ""), true},
      {MakeCaller("root", v1::ROLE_ADMIN, ""), true},
      {staff_and_inspector, true},
  };
  for (const auto& c : kCases) {
    const absl::Status status = CheckCanSeeTicket(c.caller, ticket);
    if (c.sees) {
      EXPECT_TRUE(status.ok()) << c.caller.principal << ": " << status;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << c.caller.principal;
      EXPECT_EQ(ErrorReason(status), "TICKET_NOT_OF_UNIT") << c.caller.principal;
    }
  }
}

TEST(AccessPolicyTest, IsInvolvedUnit) {
  v1::Ticket ticket;
  ticket.set_lead_unit("units/nongye");
  ticket.add_cooperating_units("units/ziran");
  EXPECT_TRUE(IsInvolvedUnit(MakeCaller("a", v1::ROLE_UNIT_STAFF, "nongye"), ticket));
  EXPECT_TRUE(IsInvolvedUnit(MakeCaller("b", v1::ROLE_UNIT_STAFF, "ziran"), ticket));
  EXPECT_FALSE(IsInvolvedUnit(MakeCaller("c", v1::ROLE_UNIT_STAFF, "chengguan"), ticket));
  v1::Ticket no_lead;
  EXPECT_FALSE(IsInvolvedUnit(MakeCaller("d", v1::ROLE_UNIT_STAFF, ""), no_lead))
      << "an empty unit never matches an empty lead";
}

}  // namespace
}  // namespace duban
