// Who may call what, against the running server, exhaustively: every
// method of every duban.v1 service, as every role, over real gRPC, checked
// against the answers written out below (kWhoMayCall) from docs/api.md and
// docs/security.md — not against the server's own table.
//
// The methods come from descriptors, not from a list kept here: protoc
// writes every proto/duban/v1/*_service.proto to one descriptor set at build
// time (tests/e2e/CMakeLists.txt), and server reflection says what the
// server registered. A service added to either shows up here by itself, and
// a method without a row in kWhoMayCall fails the test by name until its
// answers are written down.
//
// Each call sends the method's default request: what the table decides
// comes before anything looks at the request's fields.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "base/sha256.h"
#include "domain/enum_labels.h"
#include "domain/resource_names.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/unknown_field_set.h"
#include "tests/e2e/raw_call.h"
#include "tests/e2e/rpc_client.h"

#ifndef DUBAN_SERVICE_DESCRIPTORS
#error "DUBAN_SERVICE_DESCRIPTORS: the descriptor set tests/e2e/CMakeLists.txt makes"
#endif

namespace duban::testing {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

constexpr absl::string_view kPackage = "duban.v1.";
// A stream that is let through sends its first event at once (the fixture
// made a ticket); one that is refused ends at once.
constexpr absl::Duration kStreamDeadline = absl::Seconds(3);

// Every proto/duban/v1/*_service.proto with its imports, as protoc wrote
// them at build time. Read once.
const google::protobuf::FileDescriptorSet& DeclaredFiles() {
  static const google::protobuf::FileDescriptorSet* files = [] {
    auto* read = new google::protobuf::FileDescriptorSet();
    std::ifstream in(DUBAN_SERVICE_DESCRIPTORS, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (!in || !read->ParseFromString(bytes.str())) {
      ADD_FAILURE() << "cannot read the descriptor set " << DUBAN_SERVICE_DESCRIPTORS;
    }
    return read;
  }();
  return *files;
}

// The descriptors of DeclaredFiles(). Built once.
const DescriptorPool& DeclaredPool() {
  static const DescriptorPool* pool = [] {
    auto* built = new DescriptorPool();
    for (const google::protobuf::FileDescriptorProto& file : DeclaredFiles().file()) {
      if (built->BuildFile(file) == nullptr) ADD_FAILURE() << "cannot build " << file.name();
    }
    return built;
  }();
  return *pool;
}

// The duban.v1 services the .proto files declare.
std::vector<std::string> DeclaredServices() {
  std::vector<std::string> services;
  for (const google::protobuf::FileDescriptorProto& file : DeclaredFiles().file()) {
    for (const google::protobuf::ServiceDescriptorProto& service : file.service()) {
      const std::string name = absl::StrCat(file.package(), ".", service.name());
      if (absl::StartsWith(name, kPackage)) services.push_back(name);
    }
  }
  return services;
}

// The length-delimited fields numbered `number` of a message given as bytes.
std::vector<std::string> Fields(const std::string& message, int number) {
  google::protobuf::UnknownFieldSet fields;
  std::vector<std::string> found;
  if (!fields.ParseFromString(message)) return found;
  for (int i = 0; i < fields.field_count(); ++i) {
    const google::protobuf::UnknownField& field = fields.field(i);
    if (field.number() == number &&
        field.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      found.push_back(field.length_delimited());
    }
  }
  return found;
}

// The duban.v1 services the server registered, as server reflection lists
// them (grpc.reflection.v1alpha: list_services = 7 in the request;
// list_services_response = 6, its service = 1, a service's name = 1).
std::vector<std::string> RegisteredServices(const TestServer& server) {
  const RawReply reply =
      RawCall(server.channel(), "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
              "", std::string("\x3a\x00", 2), /*stream=*/true);
  std::vector<std::string> services;
  if (!reply.message) {
    ADD_FAILURE() << "server reflection did not answer: " << reply.status.error_message();
    return services;
  }
  for (const std::string& list : Fields(*reply.message, 6)) {
    for (const std::string& service : Fields(list, 1)) {
      for (const std::string& name : Fields(service, 1)) {
        if (absl::StartsWith(name, kPackage)) services.push_back(name);
      }
    }
  }
  return services;
}

struct Method {
  // "duban.v1.TicketService/GetTicket": how the table names it.
  std::string name;
  const MethodDescriptor* descriptor;
  bool stream() const { return descriptor->server_streaming() || descriptor->client_streaming(); }
};

// Every method of every service declared or registered. A registered
// service no .proto of ours declares is looked up in the descriptors linked
// into this binary.
std::vector<Method> AllMethods(const TestServer& server) {
  std::set<std::string> services;
  for (const std::string& name : DeclaredServices()) services.insert(name);
  for (const std::string& name : RegisteredServices(server)) services.insert(name);
  std::vector<Method> methods;
  for (const std::string& name : services) {
    const ServiceDescriptor* service = DeclaredPool().FindServiceByName(name);
    if (service == nullptr) service = DescriptorPool::generated_pool()->FindServiceByName(name);
    if (service == nullptr) {
      ADD_FAILURE() << name << ": registered, but no descriptor of it is to be found";
      continue;
    }
    for (int i = 0; i < service->method_count(); ++i) {
      methods.push_back({absl::StrCat(name, "/", service->method(i)->name()), service->method(i)});
    }
  }
  return methods;
}

// The roles, one column each of kWhoMayCall, with the letter that marks
// the role as allowed there.
constexpr struct {
  v1::Role role;
  char letter;
} kColumns[] = {
    {v1::ROLE_LEADER, 'L'},     {v1::ROLE_INSPECTOR, 'I'},    {v1::ROLE_UNIT_STAFF, 'S'},
    {v1::ROLE_DISCIPLINE, 'D'}, {v1::ROLE_ORGANIZATION, 'O'}, {v1::ROLE_PERFORMANCE_OFFICE, 'P'},
    {v1::ROLE_ESCALATOR, 'E'},  {v1::ROLE_ADMIN, 'A'},        {v1::ROLE_REPLICA, 'R'},
};

struct ExpectedRow {
  const char* method;  // after "duban.v1."
  const char* roles;   // per column of kColumns: its letter if allowed, '-' if refused
};

// The answers, written out from docs/api.md ("Who may do what") and
// docs/security.md ("Authorization"): "everyone" is every role; "every role
// but UNIT_STAFF" spans the county, which unit staff, who see only their
// unit's tickets, do not.
// clang-format off
constexpr ExpectedRow kWhoMayCall[] = {
    // method                                        LISDOPEAR
    {"TicketService/CreateTicket",                  "LI-------"},
    {"TicketService/GetTicket",                     "LISDOPEA-"},
    {"TicketService/ListTickets",                   "LISDOPEA-"},
    {"TicketService/ListTicketEvents",              "LISDOPEA-"},
    {"TicketService/SignTicket",                    "--S------"},
    {"TicketService/DisputeTicket",                 "--S------"},
    {"TicketService/ResolveTicketDispute",          "L--------"},
    {"TicketService/ReportTicketProgress",          "--S------"},
    {"TicketService/SubmitTicket",                  "--S------"},
    {"TicketService/FileRectificationPlan",         "--S------"},
    {"TicketService/ReviewTicket",                  "LI-------"},
    {"TicketService/CancelTicket",                  "LI-------"},
    {"TicketService/ReopenTicket",                  "-I-------"},
    {"TicketService/RequestExtension",              "--S------"},
    {"TicketService/DecideExtension",               "LI-------"},
    {"DirectoryService/CreateUnit",                 "-------A-"},
    {"DirectoryService/UpdateUnit",                 "-------A-"},
    {"DirectoryService/GetUnit",                    "LISDOPEA-"},
    {"DirectoryService/ListUnits",                  "LISDOPEA-"},
    {"DirectoryService/CreatePrincipal",            "-------A-"},
    {"DirectoryService/UpdatePrincipal",            "-------A-"},
    {"DirectoryService/GetPrincipal",               "LISDOPEA-"},
    {"DirectoryService/ListPrincipals",             "LISDOPEA-"},
    {"CalendarService/GetCalendar",                 "LISDOPEA-"},
    {"CalendarService/LoadCalendar",                "-------A-"},
    {"CalendarService/GetCalendarStatus",           "LISDOPEA-"},
    {"CalendarService/AddWorkingDays",              "LISDOPEA-"},
    {"EscalationService/GetEscalationPolicy",       "LISDOPEA-"},
    {"EscalationService/UpdateEscalationPolicy",    "-------A-"},
    {"EscalationService/Sweep",                     "------EA-"},
    {"EventService/WatchEvents",                    "LISDOPEA-"},
    {"AccountabilityService/ListReferrals",         "L--DO----"},
    {"AccountabilityService/GetReferral",           "L--DO----"},
    {"AccountabilityService/DecideReferral",        "---D-----"},
    {"AccountabilityService/GetUnitRecord",         "L--DO----"},
    {"AccountabilityService/GetPrincipalRecord",    "L--DO----"},
    {"AccountabilityService/GetTicketClocks",       "LISDOPEA-"},
    {"PerformanceService/CreateIndicator",          "-----P---"},
    {"PerformanceService/UpdateIndicator",          "-----P---"},
    {"PerformanceService/GetIndicator",             "LISDOPEA-"},
    {"PerformanceService/ListIndicators",           "LISDOPEA-"},
    {"PerformanceService/GetLedgerPolicy",          "LISDOPEA-"},
    {"PerformanceService/UpdateLedgerPolicy",       "-----P---"},
    {"PerformanceService/CreateDeduction",          "-----P---"},
    {"PerformanceService/FailVeto",                 "-----P---"},
    {"PerformanceService/ReverseLedgerEntry",       "-----P---"},
    {"PerformanceService/GetLedgerEntry",           "LISDOPEA-"},
    {"PerformanceService/ListLedgerEntries",        "LISDOPEA-"},
    {"PerformanceService/GetScoreboard",            "LISDOPEA-"},
    {"PerformanceService/ExplainScore",             "LISDOPEA-"},
    {"DrawService/DrawSpotCheck",                   "-I-------"},
    {"DrawService/GetDraw",                         "LISDOPEA-"},
    {"DrawService/ListDraws",                       "LISDOPEA-"},
    {"ReportService/GetCountyReport",               "LI-DOPEA-"},
    {"AuditService/VerifyAudit",                    "L--DO--A-"},
    {"AuditService/CreateCheckpoint",               "-------A-"},
    {"AdminService/CreateBackup",                   "-------A-"},
    {"AdminService/GetServerHealth",                "-------A-"},
    {"AdminService/GetServerStats",                 "-------A-"},
    {"AuthService/Login",                           "LISDOPEAR"},
    {"AuthService/Logout",                          "LISDOPEA-"},
    {"AuthService/SetPassword",                     "LISDOPEA-"},
    {"AuthService/ListSessions",                    "-------A-"},
    {"AuthService/RevokeSession",                   "-------A-"},
    {"AuthService/ListSecurityEvents",              "L--DO--A-"},
    {"ReplicationService/FetchSnapshot",            "--------R"},
    {"ReplicationService/StreamWal",                "--------R"},
    {"ReplicationService/Fence",                    "--------R"},
    {"ReplicationService/GetReplicationStatus",     "-------AR"},
    {"ReplicationService/PromoteReplica",           "-------A-"},
};
// clang-format on

// The expected row for `method` ("duban.v1.TicketService/GetTicket"), or null.
const ExpectedRow* RowOf(absl::string_view method) {
  if (!absl::ConsumePrefix(&method, kPackage)) return nullptr;
  for (const ExpectedRow& row : kWhoMayCall) {
    if (row.method == method) return &row;
  }
  return nullptr;
}

bool Allows(const ExpectedRow& row, v1::Role role) {
  for (size_t i = 0; i < std::size(kColumns); ++i) {
    if (kColumns[i].role == role) return row.roles[i] == kColumns[i].letter;
  }
  ADD_FAILURE() << v1::Role_Name(role) << " has no column in kWhoMayCall";
  return false;
}

// The request of `method` naming `ticket`, with every other plain text
// field filled in, so that steps that need a comment or a reason get past
// validation to the ticket.
std::string RequestOn(const MethodDescriptor& method, const std::string& ticket) {
  static const std::set<std::string> kNotText = {"etag", "request_id", "page_token", "filter"};
  google::protobuf::DynamicMessageFactory factory(method.file()->pool());
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype(method.input_type())->New());
  const google::protobuf::Reflection& reflection = *request->GetReflection();
  for (int i = 0; i < method.input_type()->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = method.input_type()->field(i);
    if (field->is_repeated() || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
      continue;
    }
    if (field->name() == "name") {
      reflection.SetString(request.get(), field, ticket);
    } else if (!kNotText.contains(field->name())) {
      reflection.SetString(request.get(), field, "核查");
    }
  }
  return request->SerializeAsString();
}

const google::protobuf::FieldDescriptor* TicketNameField(const MethodDescriptor& method) {
  const google::protobuf::FieldDescriptor* field = method.input_type()->FindFieldByName("name");
  if (field == nullptr || field->is_repeated() ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return nullptr;
  }
  return field;
}

std::string Describe(const RawReply& reply) {
  if (reply.message && !reply.status.ok()) return "a message (stream)";
  std::string reason = ErrorReason(reply.status);
  return absl::StrCat(reply.status.error_code(), " ", reply.status.error_message(),
                      reason.empty() ? "" : absl::StrCat(" [", reason, "]"));
}

class RoleTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Something to read: the stream has an event to send, and the
    // per-ticket rule a ticket to apply to (led by nongye, with ziran).
    ticket_ = client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
    methods_ = AllMethods(server_);
    ASSERT_FALSE(methods_.empty());
  }

  // A token of a principal whose only role is `role`: one from the demo
  // county when it has one, else one made here through the directory API.
  std::string TokenFor(v1::Role role) {
    const std::string label = EnumLabel(v1::Role_Name(role), "ROLE_");
    v1::ListPrincipalsRequest list;
    list.set_filter(absl::StrCat("role=", label));
    list.set_page_size(500);
    v1::ListPrincipalsResponse page;
    grpc::Status listed = client_.Call("admin", &Directory::ListPrincipals, list, &page);
    EXPECT_TRUE(listed.ok()) << listed.error_message();
    for (const v1::Principal& principal : page.principals()) {
      // The demo county's tokens are the principals' ids.
      if (principal.roles_size() == 1) return std::string(IdOf(principal.name(), kPrincipalsPrefix));
    }
    const std::string id =
        absl::StrCat("role-table-", absl::StrReplaceAll(absl::AsciiStrToLower(label), {{"_", "-"}}));
    const std::string token = absl::StrCat(id, "-token");
    v1::CreatePrincipalRequest create;
    create.set_principal_id(id);
    create.mutable_principal()->set_display_name(id);
    create.mutable_principal()->add_roles(role);
    if (role == v1::ROLE_UNIT_STAFF) create.mutable_principal()->set_unit("units/tongji");
    create.mutable_principal()->set_token_sha256(Sha256Hex(token));
    v1::Principal created;
    grpc::Status made = client_.Call("admin", &Directory::CreatePrincipal, create, &created);
    EXPECT_TRUE(made.ok()) << "no principal of " << label << " and none made: "
                           << made.error_message();
    return token;
  }

  RawReply Call(const Method& method, const std::string& token, const std::string& request = "") {
    return RawCall(server_.channel(), method.name, token, request, method.stream(),
                   method.stream() ? kStreamDeadline : absl::Seconds(10));
  }

  TestServer server_{/*scheduler=*/false};
  RpcClient client_{server_};
  v1::Ticket ticket_;
  std::vector<Method> methods_;
};

TEST_F(RoleTableTest, EveryDeclaredServiceIsRegisteredAndEveryRegisteredOneDeclared) {
  const std::vector<std::string> declared = DeclaredServices();
  const std::vector<std::string> registered = RegisteredServices(server_);
  ASSERT_FALSE(declared.empty());
  for (const std::string& service : declared) {
    EXPECT_NE(std::find(registered.begin(), registered.end(), service), registered.end())
        << service << " is declared in proto/duban/v1 but the server does not register it";
  }
  for (const std::string& service : registered) {
    EXPECT_NE(std::find(declared.begin(), declared.end(), service), declared.end())
        << service << " is registered but no proto/duban/v1/*_service.proto declares it";
  }
}

// kWhoMayCall itself: one row per method, each column its role's letter
// or '-', and a column for every role a principal can hold.
TEST(RoleTableRowsTest, EachRowMarksEveryRoleOnce) {
  std::set<std::string> seen;
  for (const ExpectedRow& row : kWhoMayCall) {
    EXPECT_TRUE(seen.insert(row.method).second) << row.method << " has two rows";
    const std::string roles = row.roles;
    ASSERT_EQ(roles.size(), std::size(kColumns)) << row.method << ": \"" << roles << "\"";
    for (size_t i = 0; i < std::size(kColumns); ++i) {
      EXPECT_TRUE(roles[i] == '-' || roles[i] == kColumns[i].letter)
          << row.method << ": column " << i << " is for " << v1::Role_Name(kColumns[i].role)
          << " ('" << kColumns[i].letter << "' or '-'), not '" << roles[i] << "'";
    }
  }
  const google::protobuf::EnumDescriptor* roles = v1::Role_descriptor();
  for (int r = 0; r < roles->value_count(); ++r) {
    const auto role = static_cast<v1::Role>(roles->value(r)->number());
    if (role == v1::ROLE_UNSPECIFIED) continue;
    EXPECT_NE(std::find_if(std::begin(kColumns), std::end(kColumns),
                           [role](const auto& column) { return column.role == role; }),
              std::end(kColumns))
        << v1::Role_Name(role) << " has no column in kWhoMayCall";
  }
}

TEST_F(RoleTableTest, EveryMethodHasARowAndEveryRowAMethod) {
  std::set<std::string> names;
  for (const Method& method : methods_) {
    names.insert(method.name);
    EXPECT_NE(RowOf(method.name), nullptr)
        << method.name << " has no row in kWhoMayCall: write down who may call it";
  }
  for (const ExpectedRow& row : kWhoMayCall) {
    EXPECT_TRUE(names.contains(absl::StrCat(kPackage, row.method)))
        << "kWhoMayCall has a row for " << row.method << ", which no service declares";
  }
}

// The one method that needs no token: logging in is how a person gets one.
constexpr absl::string_view kOpenMethod = "duban.v1.AuthService/Login";

TEST_F(RoleTableTest, EveryMethodRefusesACallWithoutAToken) {
  for (const Method& method : methods_) {
    const RawReply reply = Call(method, "");
    if (method.name == kOpenMethod) {
      // Answered on its own terms: the empty request names no principal.
      EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(reply);
      continue;
    }
    EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << method.name << " without a token: " << Describe(reply);
    EXPECT_FALSE(reply.message) << method.name << " sent a message to a caller without a token";
  }
}

TEST_F(RoleTableTest, EveryRoleMayCallWhatTheTableAllowsAndNothingElse) {
  const google::protobuf::EnumDescriptor* roles = v1::Role_descriptor();
  int calls = 0;
  for (int r = 0; r < roles->value_count(); ++r) {
    const auto role = static_cast<v1::Role>(roles->value(r)->number());
    // No principal holds the zero value: it is "no role" (directory rules
    // refuse it).
    if (role == v1::ROLE_UNSPECIFIED) continue;
    const std::string token = TokenFor(role);
    for (const Method& method : methods_) {
      const ExpectedRow* row = RowOf(method.name);
      if (row == nullptr) continue;  // EveryMethodHasARowAndEveryRowAMethod names it
      const RawReply reply = Call(method, token);
      ++calls;
      const std::string what = absl::StrCat(method.name, " as ", v1::Role_Name(role), " (",
                                            token, "): ", Describe(reply));
      if (Allows(*row, role)) {
        EXPECT_NE(reply.status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << what;
        EXPECT_NE(reply.status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << what;
      } else {
        EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << what;
        EXPECT_EQ(ErrorReason(reply.status), "ROLE_NOT_ALLOWED") << what;
        EXPECT_FALSE(reply.message) << what;
      }
    }
  }
  // Every method as every role but the zero value.
  EXPECT_EQ(calls, static_cast<int>(methods_.size() * std::size(kColumns)));
  RecordProperty("methods", static_cast<int>(methods_.size()));
  RecordProperty("calls", calls);
}

// The per-ticket unit rule: unit staff act on, and read, only the tickets
// their unit leads or cooperates on. Every method unit staff may call whose
// request names a resource is tried on tickets/1 (nongye leads, ziran
// cooperates) as nongye and as tongji. A method that takes the request from
// nongye (any answer but INVALID_ARGUMENT or NOT_FOUND) acts on that
// ticket, so tongji must be refused it. tongji goes first: its calls change
// nothing, while nongye's may move the ticket along.
TEST_F(RoleTableTest, UnitStaffAreRefusedTicketsOfOtherUnits) {
  std::vector<std::string> checked;
  std::vector<std::string> not_about_tickets;
  for (const Method& method : methods_) {
    const ExpectedRow* row = RowOf(method.name);
    if (row == nullptr || !Allows(*row, v1::ROLE_UNIT_STAFF)) continue;
    if (TicketNameField(*method.descriptor) == nullptr) continue;
    const std::string request = RequestOn(*method.descriptor, ticket_.name());
    const RawReply outsider = Call(method, "tongji", request);
    const RawReply insider = Call(method, "nongye", request);
    const grpc::StatusCode insider_code = insider.status.error_code();
    if (!insider.message && (insider_code == grpc::StatusCode::INVALID_ARGUMENT ||
                             insider_code == grpc::StatusCode::NOT_FOUND)) {
      not_about_tickets.push_back(method.name);
      continue;
    }
    checked.push_back(method.name);
    EXPECT_NE(insider_code, grpc::StatusCode::PERMISSION_DENIED)
        << method.name << " as nongye, on its own unit's " << ticket_.name() << ": "
        << Describe(insider);
    EXPECT_EQ(outsider.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << method.name << " as tongji, on " << ticket_.name() << " of nongye: "
        << Describe(outsider);
    EXPECT_FALSE(outsider.message) << method.name << " sent tongji a message";
  }
  // The read methods at least: if none of these is checked, the probe no
  // longer recognises a method about a ticket.
  for (const char* read : {"duban.v1.TicketService/GetTicket",
                           "duban.v1.TicketService/ListTicketEvents"}) {
    EXPECT_NE(std::find(checked.begin(), checked.end(), read), checked.end())
        << read << " was not checked; checked: " << absl::StrJoin(checked, ", ")
        << "; taken as not about tickets: " << absl::StrJoin(not_about_tickets, ", ");
  }
  RecordProperty("checked", absl::StrJoin(checked, " "));
  RecordProperty("not_about_tickets", absl::StrJoin(not_about_tickets, " "));
}

}  // namespace
}  // namespace duban::testing
