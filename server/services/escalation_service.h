// EscalationServiceImpl: the gRPC edge of duban.v1.EscalationService — the
// policy, and sweeps for external schedulers (cron).
#ifndef DUBAN_SERVER_SERVICES_ESCALATION_SERVICE_H_
#define DUBAN_SERVER_SERVICES_ESCALATION_SERVICE_H_

#include "duban/v1/escalation_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"
#include "server/runtime/escalation_sweeper.h"

namespace duban {

class EscalationServiceImpl final : public ServiceWithHandlers<v1::EscalationService> {
 public:
  // Neither is owned; both must outlive the service.
  EscalationServiceImpl(const Backend* backend, const EscalationSweeper* sweeper)
      : backend_(*backend), sweeper_(*sweeper) {}

  grpc::Status GetEscalationPolicy(grpc::ServerContext* context,
                                   const v1::GetEscalationPolicyRequest* request,
                                   v1::EscalationPolicy* response) override;
  grpc::Status UpdateEscalationPolicy(grpc::ServerContext* context,
                                      const v1::UpdateEscalationPolicyRequest* request,
                                      v1::EscalationPolicy* response) override;
  grpc::Status Sweep(grpc::ServerContext* context, const v1::SweepRequest* request,
                     v1::SweepResponse* response) override;

 private:
  const Backend& backend_;
  const EscalationSweeper& sweeper_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_ESCALATION_SERVICE_H_
