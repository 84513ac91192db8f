#include "tests/fuzz/rpc_fuzzer.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/runtime/duban_server.h"
#include "tests/support/scratch_dir.h"

namespace duban::fuzz {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr absl::string_view kTokens[] = {
    "leader",       "inspector", "admin", "performance", "discipline",        "organization",
    "escalator",    "nongye",    "ziran", "chengguan",   "chengguan-dongjie", "",
    "no-such-token"};

// Long enough for the slowest honest call under the sanitizers; a call that
// takes longer is taken for a hang.
constexpr auto kCallDeadline = std::chrono::seconds(30);

// The state the server starts from, made through the API itself: each call
// must succeed.
struct SetupCall {
  absl::string_view token;
  absl::string_view method;
  absl::string_view request;  // text format
};

constexpr absl::string_view kCreate = "duban.v1.TicketService/CreateTicket";
constexpr absl::string_view kSign = "duban.v1.TicketService/SignTicket";
constexpr absl::string_view kSubmit = "duban.v1.TicketService/SubmitTicket";

constexpr absl::string_view kTask = R"pb(
  ticket {
    kind: TICKET_KIND_TASK
    title: "防返贫监测帮扶集中排查"
    lead_unit: "units/nongye"
    cooperating_units: "units/ziran"
    location: "units/chengguan"
  }
  due_in { working_days: 20 })pb";

constexpr SetupCall kSetup[] = {
    // tickets/1: a TASK at DEPLOY.
    {"leader", kCreate, kTask},
    // tickets/2: IMPLEMENT, with an extension pending.
    {"leader", kCreate, kTask},
    {"nongye", kSign, R"pb(name: "tickets/2" comment: "收到")pb"},
    {"nongye", "duban.v1.TicketService/RequestExtension",
     R"pb(name: "tickets/2"
          reason: "汛期"
          proposed_due_in { working_days: 30 })pb"},
    // tickets/3: a FINDING at FEEDBACK.
    {"inspector", kCreate, R"pb(
       ticket {
         kind: TICKET_KIND_FINDING
         title: "村内垃圾堆放未清理"
         lead_unit: "units/chengguan"
         location: "units/chengguan-dongjie"
         severity: SEVERITY_MAJOR
       })pb"},
    // tickets/4: INSPECT.
    {"leader", kCreate, kTask},
    {"nongye", kSign, R"pb(name: "tickets/4")pb"},
    {"nongye", kSubmit, R"pb(name: "tickets/4" comment: "办结报告" evidence: "报告.pdf")pb"},
    // tickets/5: CLOSED, a sub-ticket of tickets/1.
    {"leader", kCreate, R"pb(
       ticket {
         kind: TICKET_KIND_TASK
         title: "子任务"
         lead_unit: "units/nongye"
         parent: "tickets/1"
       }
       due_in { working_days: 5 })pb"},
    {"nongye", kSign, R"pb(name: "tickets/5")pb"},
    {"nongye", kSubmit, R"pb(name: "tickets/5" comment: "办结")pb"},
    {"inspector", "duban.v1.TicketService/ReviewTicket",
     R"pb(name: "tickets/5"
          verdict: REVIEW_VERDICT_ACCEPT)pb"},
    // tickets/6: DEPLOY, disputed.
    {"leader", kCreate, kTask},
    {"nongye", "duban.v1.TicketService/DisputeTicket",
     R"pb(name: "tickets/6" reason: "不属于本单位职责")pb"},
    // tickets/7: a hard flaw, referred at filing (referrals/1).
    {"inspector", kCreate, R"pb(
       ticket {
         kind: TICKET_KIND_FINDING
         title: "耕地非农化"
         lead_unit: "units/ziran"
         severity: SEVERITY_HARD_FLAW
       })pb"},
    // ledgerEntries/1.
    {"performance", "duban.v1.PerformanceService/CreateDeduction",
     R"pb(indicator: "indicators/liangshi" points: "2" reason: "粮食播面未达目标")pb"},
    // draws/1.
    {"inspector", "duban.v1.DrawService/DrawSpotCheck", R"pb(seed: 2023)pb"},
};

[[noreturn]] void Fail(absl::string_view what) {
  std::fprintf(stderr, "\n==duban fuzz== %.*s\n", static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::abort();
}

// True when `path` ("ticket.cooperating_units[2]", "due_in.working_days")
// names a field of `type`, field by field.
bool IsFieldPath(const Descriptor& type, absl::string_view path) {
  const Descriptor* current = &type;
  for (absl::string_view segment : absl::StrSplit(path, '.')) {
    if (current == nullptr) return false;
    segment = segment.substr(0, segment.find('['));
    const FieldDescriptor* field = current->FindFieldByName(std::string(segment));
    if (field == nullptr) return false;
    current = field->message_type();
  }
  return true;
}

// The google.rpc.Status details of a failed call.
google::rpc::Status Details(const grpc::Status& status) {
  google::rpc::Status details;
  details.ParseFromString(status.error_details());
  return details;
}

// "" when a refused call says which fields are bad, else what is wrong.
std::string CheckInvalidArgument(const Descriptor& request_type, const grpc::Status& status) {
  int fields = 0;
  const google::rpc::Status details = Details(status);
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      ++fields;
      if (!IsFieldPath(request_type, violation.field())) {
        return absl::StrCat("INVALID_ARGUMENT names \"", violation.field(), "\", not a field of ",
                            request_type.full_name());
      }
      if (status.error_message().find(violation.field()) == std::string::npos) {
        return absl::StrCat("INVALID_ARGUMENT lists field \"", violation.field(),
                            "\" but its message does not name it");
      }
    }
  }
  if (fields == 0) return "INVALID_ARGUMENT without a google.rpc.BadRequest naming a field";
  return "";
}

// "" for a code the server may answer with, else why it may not.
std::string CheckCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DATA_LOSS:
      return "the server failed";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "the call did not come back in time";
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::CANCELLED:
      return "the server went away";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "the method is not served";
    default:
      return "";
  }
}

// The server, its channel, and the state it starts from.
class FuzzWorld {
 public:
  FuzzWorld() {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = scratch_.path() + "/data";
    options.dev = true;
    options.escalation_scheduler = false;
    absl::StatusOr<std::unique_ptr<DubanServer>> started = DubanServer::Start(options);
    if (!started.ok()) {
      Fail(absl::StrCat("the server did not start: ", started.status().ToString()));
    }
    server_ = *std::move(started);
    stub_ = std::make_unique<grpc::GenericStub>(
        grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
    for (const SetupCall& call : kSetup) {
      std::unique_ptr<Message> request(NewRequest(call.method));
      if (!google::protobuf::TextFormat::ParseFromString(std::string(call.request),
                                                         request.get())) {
        Fail(absl::StrCat("setup request for ", call.method, " does not parse"));
      }
      grpc::Status status = Call(call.method, call.token, request->SerializeAsString());
      if (!status.ok()) {
        Fail(absl::StrCat("setup call ", call.method, " as ", call.token,
                          " failed: ", status.error_message()));
      }
    }
  }

  ~FuzzWorld() {
    stub_.reset();
    server_->Shutdown(absl::Seconds(5));
  }

  static std::unique_ptr<Message> NewRequest(absl::string_view method) {
    return std::unique_ptr<Message>(google::protobuf::MessageFactory::generated_factory()
                                        ->GetPrototype(&RequestType(method))
                                        ->New());
  }

  grpc::Status Call(absl::string_view method, absl::string_view token,
                    const std::string& request_bytes) {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    // The server is up; a connection attempt that fails now and then (seen
    // as UNAVAILABLE at set-up under load) is retried until the deadline.
    context.set_wait_for_ready(true);
    grpc::Slice slice(request_bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer reply;
    std::promise<grpc::Status> done;
    stub_->UnaryCall(&context, absl::StrCat("/", method), grpc::StubOptions(), &request, &reply,
                     [&done](grpc::Status status) { done.set_value(std::move(status)); });
    return done.get_future().get();
  }

  uint64_t watermark() const { return server_->database().log().watermark(); }
  // True when every audit log entry after `before` records a security event
  // (a failed login is recorded even though the call is refused).
  bool OnlySecurityEventsAfter(uint64_t before) const {
    absl::StatusOr<std::vector<storage::LogEntry>> entries =
        server_->database().log().Read(before, 1000);
    if (!entries.ok()) return false;
    for (const storage::LogEntry& entry : *entries) {
      if (entry.kind != storage::AuditKind::kSecurityEvent) return false;
    }
    return true;
  }

 private:
  testing::ScratchDir scratch_;
  std::unique_ptr<DubanServer> server_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

FuzzWorld* world = nullptr;

FuzzWorld& World() {
  if (world == nullptr) {
    world = new FuzzWorld();
    // Stops the server before the process's static objects (gRPC's among
    // them) go away, and removes the scratch directory.
    std::atexit([] {
      delete world;
      world = nullptr;
    });
  }
  return *world;
}

}  // namespace

std::span<const absl::string_view> FuzzTokens() { return kTokens; }

const Descriptor& RequestType(absl::string_view method) {
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrReplaceAll(method, {{"/", "."}}));
  if (descriptor == nullptr) Fail(absl::StrCat("no method ", method, " in the API"));
  return *descriptor->input_type();
}

void FuzzCall(absl::string_view method, const uint8_t* data, size_t size) {
  FuzzWorld& fuzz_world = World();
  if (size == 0) return;
  const absl::string_view token = kTokens[data[0] % std::size(kTokens)];
  std::unique_ptr<Message> request = FuzzWorld::NewRequest(method);
  if (!request->ParseFromArray(data + 1, static_cast<int>(size - 1))) return;

  const uint64_t before = fuzz_world.watermark();
  const grpc::Status status = fuzz_world.Call(method, token, request->SerializeAsString());
  const uint64_t after = fuzz_world.watermark();

  std::string problem = CheckCode(status.error_code());
  if (problem.empty() && status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    problem = CheckInvalidArgument(*request->GetDescriptor(), status);
  }
  if (problem.empty() && !status.ok() && after != before &&
      !fuzz_world.OnlySecurityEventsAfter(before)) {
    problem = absl::StrCat("a refused call moved the audit log from ", before, " to ", after);
  }
  if (problem.empty()) return;
  Fail(absl::StrCat(problem, "\n  method: ", method, "\n  token: \"", token,
                    "\"\n  request: ", request->ShortDebugString(),
                    "\n  code: ", static_cast<int>(status.error_code()),
                    "\n  message: ", status.error_message()));
}

}  // namespace duban::fuzz
