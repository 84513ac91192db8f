#include "server/edge/call_observer.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include "absl/strings/match.h"
#include "absl/time/clock.h"

namespace duban {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

absl::string_view TypeName(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY: return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING: return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING: return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING: return "bidi_stream";
  }
  return "unary";
}

// The services whose requests are protobuf messages for certain; others
// (the stock health service) may hand interceptors raw bytes.
constexpr absl::string_view kDubanPackage = "duban.v1.";

// The request's `request_id` field, if its message has one. `request` is a
// duban.v1 request message.
std::string RequestIdOf(const void* request) {
  if (request == nullptr) return "";
  const auto& message = *static_cast<const google::protobuf::Message*>(request);
  const google::protobuf::FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return "";
  }
  return message.GetReflection()->GetString(message, field);
}

}  // namespace

// One per call: counts it started, notes its request_id, and at its status
// counts, times and logs it.
class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(CallObserver& observer, ServerRpcInfo* info)
      : observer_(observer),
        info_(*info),
        rpc_(LabelsOfPath(info->method() ? info->method() : "", TypeName(info->type()))),
        start_(absl::Now()) {
    observer_.metrics_.CallStarted(rpc_);
  }

  ~CallInterceptor() override { observer_.TakePrincipal(info_.server_context()); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        request_id_.empty() && absl::StartsWith(rpc_.service, kDubanPackage)) {
      request_id_ = RequestIdOf(methods->GetRecvMessage());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Finish(grpc::StatusCode code) {
    const absl::Duration elapsed = absl::Now() - start_;
    observer_.metrics_.CallHandled(rpc_, code, elapsed);
    // Taken here for the log line; the destructor forgets it for a call
    // that ends without sending a status.
    std::string principal = observer_.TakePrincipal(info_.server_context());
    const LogLevel level = CallLogLevel(code);
    if (!observer_.log_.Enabled(level)) return;
    observer_.log_.Write(level, "call",
                         {{"method", std::string(info_.method() ? info_.method() : "")},
                          {"code", StatusCodeName(code)},
                          {"duration_ms", absl::ToDoubleMilliseconds(elapsed)},
                          {"principal", std::move(principal)},
                          {"request_id", request_id_},
                          {"peer", info_.server_context()->peer()}});
  }

  CallObserver& observer_;
  ServerRpcInfo& info_;
  const RpcLabels rpc_;
  const absl::Time start_;
  std::string request_id_;
};

namespace {

class CallInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(CallObserver& observer) : observer_(observer) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new CallInterceptor(observer_, info);
  }

 private:
  CallObserver& observer_;
};

}  // namespace

LogLevel CallLogLevel(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK: return LogLevel::kDebug;
    case grpc::UNAVAILABLE:
    case grpc::DEADLINE_EXCEEDED:
    case grpc::RESOURCE_EXHAUSTED: return LogLevel::kWarning;
    case grpc::INTERNAL:
    case grpc::UNKNOWN:
    case grpc::DATA_LOSS: return LogLevel::kError;
    default: return LogLevel::kInfo;
  }
}

void CallObserver::NotePrincipal(const grpc::ServerContextBase& call,
                                 const std::string& principal) {
  MutexLock lock(&mutex_);
  principals_[&call] = principal;
}

std::string CallObserver::TakePrincipal(const grpc::ServerContextBase* call) {
  MutexLock lock(&mutex_);
  auto it = principals_.find(call);
  if (it == principals_.end()) return "";
  std::string principal = std::move(it->second);
  principals_.erase(it);
  return principal;
}

size_t CallObserver::principals_noted() const {
  MutexLock lock(&mutex_);
  return principals_.size();
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
CallObserver::InterceptorCreators() {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<CallInterceptorFactory>(*this));
  return creators;
}

}  // namespace duban
