#include "server/services/escalation_service.h"

#include "base/errors.h"
#include "base/status_macros.h"
#include "domain/escalation_ladder.h"
#include "domain/escalation_policy.h"
#include "server/edge/request_fingerprint.h"
#include "server/edge/unary_call.h"

namespace duban {
namespace {

std::string Method(absl::string_view name) {
  return FullMethod("duban.v1.EscalationService", name);
}

}  // namespace

grpc::Status EscalationServiceImpl::GetEscalationPolicy(grpc::ServerContext* context,
                                                        const v1::GetEscalationPolicyRequest*,
                                                        v1::EscalationPolicy* response) {
  return ServeUnary(*context, backend_, Method("GetEscalationPolicy"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::EscalationPolicy> {
                      return *backend_.settings->policy();
                    });
}

grpc::Status EscalationServiceImpl::UpdateEscalationPolicy(
    grpc::ServerContext* context, const v1::UpdateEscalationPolicyRequest* request,
    v1::EscalationPolicy* response) {
  const std::string method = Method("UpdateEscalationPolicy");
  return ServeUnary(
      *context, backend_, method, response,
      [&](const Caller& caller) -> absl::StatusOr<v1::EscalationPolicy> {
        RETURN_IF_ERROR(ValidateEscalationPolicy(request->policy()));
        ASSIGN_OR_RETURN(
            v1::EscalationPolicy policy,
            backend_.settings->PutPolicy(
                RequestKeyFor(caller, method, *request), backend_.Now(),
                [&](const v1::EscalationPolicy& current) -> absl::StatusOr<v1::EscalationPolicy> {
                  RETURN_IF_ERROR(
                      CheckEtag("escalation policy", current.etag(), request->policy().etag()));
                  return request->policy();
                }));
        // Open tickets' next escalation follows the new ladder.
        const CallContext call = backend_.ContextFor(caller);
        RETURN_IF_ERROR(backend_.tickets->UpdateOpenTickets(
            call.loop.now, [&](const v1::Ticket& ticket) -> absl::StatusOr<TicketChange> {
              return Reschedule(ticket, call.loop);
            }));
        return policy;
      });
}

grpc::Status EscalationServiceImpl::Sweep(grpc::ServerContext* context,
                                          const v1::SweepRequest* request,
                                          v1::SweepResponse* response) {
  return ServeUnary(*context, backend_, Method("Sweep"), response,
                    [&](const Caller& caller) -> absl::StatusOr<v1::SweepResponse> {
                      const absl::Time now = backend_.Now();
                      RETURN_IF_ERROR(Validate(*request, now));
                      const SweepScope scope = SweepScopeOf(*request, now);
                      return sweeper_.Sweep(caller, scope.as_of, request->dry_run(), scope.limit);
                    });
}

}  // namespace duban
