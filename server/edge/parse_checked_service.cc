#include "server/edge/parse_checked_service.h"

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/support/log.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "server/edge/rpc_status.h"
#include "server/edge/unparsed_request.h"

namespace duban {
namespace {

using google::protobuf::MethodDescriptor;
using grpc::internal::MethodHandler;
using grpc::internal::RpcMethod;

// The contents of `buffer`, in one string.
std::string Flatten(grpc_byte_buffer* buffer) {
  grpc_byte_buffer_reader reader;
  if (!grpc_byte_buffer_reader_init(&reader, buffer)) return {};
  const grpc_slice slice = grpc_byte_buffer_reader_readall(&reader);
  std::string bytes(reinterpret_cast<const char*>(GRPC_SLICE_START_PTR(slice)),
                    GRPC_SLICE_LENGTH(slice));
  grpc_slice_unref(slice);
  grpc_byte_buffer_reader_destroy(&reader);
  return bytes;
}

// Runs the typed handler; explains a request it could not parse.
class ParseCheckedHandler final : public MethodHandler {
 public:
  ParseCheckedHandler(MethodHandler* typed, const google::protobuf::Descriptor* request_type)
      : typed_(*typed), request_type_(*request_type) {}

  void RunHandler(const HandlerParameter& param) override { typed_.RunHandler(param); }

  void* Deserialize(grpc_call* call, grpc_byte_buffer* request, grpc::Status* status,
                    void** handler_data) override {
    if (request == nullptr) return typed_.Deserialize(call, request, status, handler_data);
    // The typed handler consumes `request`; keep a reference to its slices.
    grpc_byte_buffer* kept = grpc_byte_buffer_copy(request);
    void* parsed = typed_.Deserialize(call, request, status, handler_data);
    if (!status->ok()) *status = ToGrpcStatus(ExplainUnparsedRequest(request_type_, Flatten(kept)));
    grpc_byte_buffer_destroy(kept);
    return parsed;
  }

 private:
  MethodHandler& typed_;
  const google::protobuf::Descriptor& request_type_;
};

RpcMethod::RpcType TypeOf(const MethodDescriptor& method) {
  if (method.client_streaming() && method.server_streaming()) return RpcMethod::BIDI_STREAMING;
  if (method.client_streaming()) return RpcMethod::CLIENT_STREAMING;
  if (method.server_streaming()) return RpcMethod::SERVER_STREAMING;
  return RpcMethod::NORMAL_RPC;
}

}  // namespace

ParseCheckedService::ParseCheckedService(const char* service_full_name,
                                         const std::function<MethodHandler*(int)>& handler_of) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_full_name);
  GPR_ASSERT(service != nullptr);
  for (int i = 0; i < service->method_count(); ++i) {
    const MethodDescriptor& method = *service->method(i);
    // gRPC keeps a pointer to the name.
    const std::string& path =
        method_paths_.emplace_back(absl::StrCat("/", service_full_name, "/", method.name()));
    AddMethod(new grpc::internal::RpcServiceMethod(
        path.c_str(), TypeOf(method), new ParseCheckedHandler(handler_of(i), method.input_type())));
  }
}

}  // namespace duban
