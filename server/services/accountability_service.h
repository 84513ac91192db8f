// AccountabilityServiceImpl: the gRPC edge of duban.v1.AccountabilityService
// — referrals, dispositions, records and fair clocks.
#ifndef DUBAN_SERVER_SERVICES_ACCOUNTABILITY_SERVICE_H_
#define DUBAN_SERVER_SERVICES_ACCOUNTABILITY_SERVICE_H_

#include "duban/v1/accountability_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

class AccountabilityServiceImpl final
    : public ServiceWithHandlers<v1::AccountabilityService> {
 public:
  // `backend` is not owned and must outlive the service.
  explicit AccountabilityServiceImpl(const Backend* backend) : backend_(*backend) {}

  grpc::Status ListReferrals(grpc::ServerContext* context, const v1::ListReferralsRequest* request,
                             v1::ListReferralsResponse* response) override;
  grpc::Status GetReferral(grpc::ServerContext* context, const v1::GetReferralRequest* request,
                           v1::Referral* response) override;
  grpc::Status DecideReferral(grpc::ServerContext* context,
                              const v1::DecideReferralRequest* request,
                              v1::Referral* response) override;
  grpc::Status GetUnitRecord(grpc::ServerContext* context, const v1::GetUnitRecordRequest* request,
                             v1::AccountabilityRecord* response) override;
  grpc::Status GetPrincipalRecord(grpc::ServerContext* context,
                                  const v1::GetPrincipalRecordRequest* request,
                                  v1::AccountabilityRecord* response) override;
  grpc::Status GetTicketClocks(grpc::ServerContext* context,
                               const v1::GetTicketClocksRequest* request,
                               v1::TicketClocks* response) override;

 private:
  const Backend& backend_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_ACCOUNTABILITY_SERVICE_H_
