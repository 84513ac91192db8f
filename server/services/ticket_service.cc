#include "server/services/ticket_service.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/access_policy.h"
#include "domain/page_size.h"
#include "domain/resource_names.h"
#include "domain/ticket_loop.h"
#include "domain/ticket_query.h"
#include "domain/time_fields.h"
#include "server/edge/prepared_create.h"
#include "server/edge/request_fingerprint.h"
#include "server/edge/unary_call.h"

namespace duban {
namespace {

std::string Method(absl::string_view name) { return FullMethod("duban.v1.TicketService", name); }

}  // namespace

grpc::Status TicketServiceImpl::CreateTicket(grpc::ServerContext* context,
                                             const v1::CreateTicketRequest* request,
                                             v1::Ticket* response) {
  return ServeUnary(*context, backend_, kCreateTicketMethod, response,
                    [&](const Caller& caller) -> absl::StatusOr<v1::Ticket> {
                      ASSIGN_OR_RETURN(storage::TicketStore::PendingCreate create,
                                       PrepareCreate(backend_, caller, *request));
                      return creates_.Create(std::move(create));
                    });
}

grpc::Status TicketServiceImpl::GetTicket(grpc::ServerContext* context,
                                          const v1::GetTicketRequest* request,
                                          v1::Ticket* response) {
  return ServeUnary(*context, backend_, Method("GetTicket"), response,
                    [&](const Caller& caller) -> absl::StatusOr<v1::Ticket> {
                      ASSIGN_OR_RETURN(uint64_t id, ParseTicketName(request->name(), "name"));
                      ASSIGN_OR_RETURN(v1::Ticket ticket, backend_.tickets->Get(id, backend_.Now()));
                      RETURN_IF_ERROR(CheckCanSeeTicket(caller, ticket));
                      return ticket;
                    });
}

grpc::Status TicketServiceImpl::ListTickets(grpc::ServerContext* context,
                                            const v1::ListTicketsRequest* request,
                                            v1::ListTicketsResponse* response) {
  return ServeUnary(
      *context, backend_, Method("ListTickets"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::ListTicketsResponse> {
        ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size(), 50, 500));
        RETURN_IF_ERROR(ValidateAsOf("as_of_time", request->as_of_time()));
        const absl::Time as_of =
            IsSet(request->as_of_time()) ? FromTimestamp(request->as_of_time()) : backend_.Now();
        ASSIGN_OR_RETURN(TicketQuery query, ParseTicketQuery(request->filter(), as_of));
        RETURN_IF_ERROR(ScopeToCaller(caller, query));
        ASSIGN_OR_RETURN(storage::TicketPage page,
                         backend_.tickets->List(query, page_size, request->page_token()));
        v1::ListTicketsResponse reply;
        for (v1::Ticket& ticket : page.tickets) *reply.add_tickets() = std::move(ticket);
        reply.set_next_page_token(page.next_page_token);
        return reply;
      });
}

grpc::Status TicketServiceImpl::ListTicketEvents(grpc::ServerContext* context,
                                                 const v1::ListTicketEventsRequest* request,
                                                 v1::ListTicketEventsResponse* response) {
  return ServeUnary(*context, backend_, Method("ListTicketEvents"), response,
                    [&](const Caller& caller) -> absl::StatusOr<v1::ListTicketEventsResponse> {
                      ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size(), 100, 1000));
                      ASSIGN_OR_RETURN(uint64_t id, ParseTicketName(request->name(), "name"));
                      ASSIGN_OR_RETURN(v1::Ticket ticket, backend_.tickets->Get(id));
                      RETURN_IF_ERROR(CheckCanSeeTicket(caller, ticket));
                      ASSIGN_OR_RETURN(
                          storage::EventPage page,
                          backend_.tickets->ListEvents(id, page_size, request->page_token()));
                      v1::ListTicketEventsResponse reply;
                      for (v1::TicketEvent& event : page.events)
                        *reply.add_events() = std::move(event);
                      reply.set_next_page_token(page.next_page_token);
                      return reply;
                    });
}

template <typename Request>
grpc::Status TicketServiceImpl::Transition(const grpc::ServerContext& context,
                                           absl::string_view name, const Request& request,
                                           v1::Ticket* response) {
  const std::string method = Method(name);
  return ServeUnary(context, backend_, method, response,
                    [&](const Caller& caller) -> absl::StatusOr<v1::Ticket> {
                      const CallContext call = backend_.ContextFor(caller);
                      const LoopContext& loop = call.loop;
                      RETURN_IF_ERROR(Validate(request, loop));
                      ASSIGN_OR_RETURN(uint64_t id, ParseTicketName(request.name(), "name"));
                      return backend_.tickets->Update(
                          id, RequestKeyFor(caller, method, request), loop.now,
                          [&](const v1::Ticket& current) { return Apply(current, request, loop); });
                    });
}

grpc::Status TicketServiceImpl::SignTicket(grpc::ServerContext* context,
                                           const v1::SignTicketRequest* request,
                                           v1::Ticket* response) {
  return Transition(*context, "SignTicket", *request, response);
}

grpc::Status TicketServiceImpl::DisputeTicket(grpc::ServerContext* context,
                                              const v1::DisputeTicketRequest* request,
                                              v1::Ticket* response) {
  return Transition(*context, "DisputeTicket", *request, response);
}

grpc::Status TicketServiceImpl::ResolveTicketDispute(grpc::ServerContext* context,
                                                     const v1::ResolveTicketDisputeRequest* request,
                                                     v1::Ticket* response) {
  return Transition(*context, "ResolveTicketDispute", *request, response);
}

grpc::Status TicketServiceImpl::ReportTicketProgress(grpc::ServerContext* context,
                                                     const v1::ReportTicketProgressRequest* request,
                                                     v1::Ticket* response) {
  return Transition(*context, "ReportTicketProgress", *request, response);
}

grpc::Status TicketServiceImpl::SubmitTicket(grpc::ServerContext* context,
                                             const v1::SubmitTicketRequest* request,
                                             v1::Ticket* response) {
  return Transition(*context, "SubmitTicket", *request, response);
}

grpc::Status TicketServiceImpl::FileRectificationPlan(
    grpc::ServerContext* context, const v1::FileRectificationPlanRequest* request,
    v1::Ticket* response) {
  return Transition(*context, "FileRectificationPlan", *request, response);
}

grpc::Status TicketServiceImpl::ReviewTicket(grpc::ServerContext* context,
                                             const v1::ReviewTicketRequest* request,
                                             v1::Ticket* response) {
  return Transition(*context, "ReviewTicket", *request, response);
}

grpc::Status TicketServiceImpl::CancelTicket(grpc::ServerContext* context,
                                             const v1::CancelTicketRequest* request,
                                             v1::Ticket* response) {
  return Transition(*context, "CancelTicket", *request, response);
}

grpc::Status TicketServiceImpl::ReopenTicket(grpc::ServerContext* context,
                                             const v1::ReopenTicketRequest* request,
                                             v1::Ticket* response) {
  return Transition(*context, "ReopenTicket", *request, response);
}

grpc::Status TicketServiceImpl::RequestExtension(grpc::ServerContext* context,
                                                 const v1::RequestExtensionRequest* request,
                                                 v1::Ticket* response) {
  return Transition(*context, "RequestExtension", *request, response);
}

grpc::Status TicketServiceImpl::DecideExtension(grpc::ServerContext* context,
                                                const v1::DecideExtensionRequest* request,
                                                v1::Ticket* response) {
  return Transition(*context, "DecideExtension", *request, response);
}

}  // namespace duban
