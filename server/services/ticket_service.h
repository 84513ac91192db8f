// TicketServiceImpl: the gRPC edge of duban.v1.TicketService. Each handler
// validates, calls the loop (domain/ticket_loop.h) through the
// ticket store, and maps the status; there is no business logic here.
//
// CreateTicket leaves its write to a CreateCommitter, whose one thread
// writes many creates to one synced write while the handler waits; every
// other mutation makes its own synced write.
//
// Thread-safe: handlers share nothing but the Backend and the committer.
#ifndef DUBAN_SERVER_SERVICES_TICKET_SERVICE_H_
#define DUBAN_SERVER_SERVICES_TICKET_SERVICE_H_

#include "duban/v1/ticket_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"
#include "server/runtime/create_committer.h"

namespace duban {

class TicketServiceImpl final
    : public ServiceWithHandlers<v1::TicketService> {
 public:
  // `backend` and `creates` are not owned and must outlive the service;
  // `creates` writes into backend->tickets.
  TicketServiceImpl(const Backend* backend, CreateCommitter* creates)
      : backend_(*backend), creates_(*creates) {}

  grpc::Status CreateTicket(grpc::ServerContext* context, const v1::CreateTicketRequest* request,
                            v1::Ticket* response) override;
  grpc::Status GetTicket(grpc::ServerContext* context, const v1::GetTicketRequest* request,
                         v1::Ticket* response) override;
  grpc::Status ListTickets(grpc::ServerContext* context, const v1::ListTicketsRequest* request,
                           v1::ListTicketsResponse* response) override;
  grpc::Status ListTicketEvents(grpc::ServerContext* context,
                                const v1::ListTicketEventsRequest* request,
                                v1::ListTicketEventsResponse* response) override;

  grpc::Status SignTicket(grpc::ServerContext* context, const v1::SignTicketRequest* request,
                          v1::Ticket* response) override;
  grpc::Status DisputeTicket(grpc::ServerContext* context, const v1::DisputeTicketRequest* request,
                             v1::Ticket* response) override;
  grpc::Status ResolveTicketDispute(grpc::ServerContext* context,
                                    const v1::ResolveTicketDisputeRequest* request,
                                    v1::Ticket* response) override;
  grpc::Status ReportTicketProgress(grpc::ServerContext* context,
                                    const v1::ReportTicketProgressRequest* request,
                                    v1::Ticket* response) override;
  grpc::Status SubmitTicket(grpc::ServerContext* context, const v1::SubmitTicketRequest* request,
                            v1::Ticket* response) override;
  grpc::Status FileRectificationPlan(grpc::ServerContext* context,
                                     const v1::FileRectificationPlanRequest* request,
                                     v1::Ticket* response) override;
  grpc::Status ReviewTicket(grpc::ServerContext* context, const v1::ReviewTicketRequest* request,
                            v1::Ticket* response) override;
  grpc::Status CancelTicket(grpc::ServerContext* context, const v1::CancelTicketRequest* request,
                            v1::Ticket* response) override;
  grpc::Status ReopenTicket(grpc::ServerContext* context, const v1::ReopenTicketRequest* request,
                            v1::Ticket* response) override;
  grpc::Status RequestExtension(grpc::ServerContext* context,
                                const v1::RequestExtensionRequest* request,
                                v1::Ticket* response) override;
  grpc::Status DecideExtension(grpc::ServerContext* context,
                               const v1::DecideExtensionRequest* request,
                               v1::Ticket* response) override;

 private:
  // Runs the transition `method` ("SignTicket") on the ticket the request
  // names.
  template <typename Request>
  grpc::Status Transition(const grpc::ServerContext& context, absl::string_view method,
                          const Request& request, v1::Ticket* response);

  const Backend& backend_;
  CreateCommitter& creates_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_TICKET_SERVICE_H_
