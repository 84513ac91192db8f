#include "server/services/escalation_service.h"

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "domain/escalation_policy.h"
#include "domain/time_fields.h"
#include "server/edge/request_fingerprint.h"
#include "server/edge/unary_call.h"

namespace duban {
namespace {

constexpr int kMaxSweepTickets = 10000;

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
  return ServeUnary(
      *context, backend_, Method("Sweep"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::SweepResponse> {
        RETURN_IF_ERROR(ValidateAsOf("as_of_time", request->as_of_time()));
        const absl::Time now = backend_.Now();
        const absl::Time as_of =
            IsSet(request->as_of_time()) ? FromTimestamp(request->as_of_time()) : now;
        if (!request->dry_run() && as_of > now) {
          return InvalidField("as_of_time", "is in the future; only a dry run may look ahead");
        }
        if (request->limit() < 0) return InvalidField("limit", "must not be negative");
        const int limit =
            request->limit() == 0 ? kMaxSweepTickets : std::min(request->limit(), kMaxSweepTickets);
        return sweeper_.Sweep(caller, as_of, request->dry_run(), limit);
      });
}

}  // namespace duban
