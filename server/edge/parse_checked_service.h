// ParseCheckedService: serves a generated service's methods, but answers a
// request that does not parse with INVALID_ARGUMENT naming the field
// (server/edge/unparsed_request.h) instead of gRPC's bare INTERNAL.
//
// The typed service keeps its own handlers; each is wrapped so that the
// request's bytes are kept (by reference, not copied) while gRPC parses
// them, and read again only when parsing fails. Such a request is refused
// before authentication, as an oversized one is: nothing is read or written.
//
//   class TicketServiceImpl final : public ServiceWithHandlers<v1::TicketService> {...};
//   builder.RegisterService(new ParseCheckedService(std::make_unique<TicketServiceImpl>(...)));
#ifndef DUBAN_SERVER_EDGE_PARSE_CHECKED_SERVICE_H_
#define DUBAN_SERVER_EDGE_PARSE_CHECKED_SERVICE_H_

#include <google/protobuf/descriptor.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/impl/service_type.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace duban {

// The generated service `Grpc::Service` (Grpc is e.g. v1::TicketService)
// with its method handlers public, so that a ParseCheckedService can serve
// them.
template <class Grpc>
class ServiceWithHandlers : public Grpc::Service {
 public:
  using grpc::Service::GetHandler;
  static constexpr const char* full_name() { return Grpc::service_full_name(); }
};

class ParseCheckedService final : public grpc::Service {
 public:
  // `Typed` derives from ServiceWithHandlers<some generated service>.
  template <class Typed>
  explicit ParseCheckedService(std::unique_ptr<Typed> typed)
      : ParseCheckedService(Typed::full_name(),
                            [raw = typed.get()](int index) { return raw->GetHandler(index); }) {
    typed_ = std::move(typed);
  }

  // The service being served.
  grpc::Service& typed() { return *typed_; }

 private:
  ParseCheckedService(const char* service_full_name,
                      const std::function<grpc::internal::MethodHandler*(int)>& handler_of);

  std::deque<std::string> method_paths_;  // "/duban.v1.TicketService/GetTicket"
  std::unique_ptr<grpc::Service> typed_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_PARSE_CHECKED_SERVICE_H_
