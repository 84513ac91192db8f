// PerformanceServiceImpl: the gRPC edge of duban.v1.PerformanceService —
// indicators, the ledger and the scoreboard.
#ifndef DUBAN_SERVER_SERVICES_PERFORMANCE_SERVICE_H_
#define DUBAN_SERVER_SERVICES_PERFORMANCE_SERVICE_H_

#include "domain/ledger.h"
#include "duban/v1/performance_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

class PerformanceServiceImpl final : public ServiceWithHandlers<v1::PerformanceService> {
 public:
  // `backend` is not owned and must outlive the service.
  explicit PerformanceServiceImpl(const Backend* backend) : backend_(*backend) {}

  grpc::Status CreateIndicator(grpc::ServerContext* context,
                               const v1::CreateIndicatorRequest* request,
                               v1::Indicator* response) override;
  grpc::Status UpdateIndicator(grpc::ServerContext* context,
                               const v1::UpdateIndicatorRequest* request,
                               v1::Indicator* response) override;
  grpc::Status GetIndicator(grpc::ServerContext* context, const v1::GetIndicatorRequest* request,
                            v1::Indicator* response) override;
  grpc::Status ListIndicators(grpc::ServerContext* context,
                              const v1::ListIndicatorsRequest* request,
                              v1::ListIndicatorsResponse* response) override;
  grpc::Status GetLedgerPolicy(grpc::ServerContext* context,
                               const v1::GetLedgerPolicyRequest* request,
                               v1::LedgerPolicy* response) override;
  grpc::Status UpdateLedgerPolicy(grpc::ServerContext* context,
                                  const v1::UpdateLedgerPolicyRequest* request,
                                  v1::LedgerPolicy* response) override;
  grpc::Status CreateDeduction(grpc::ServerContext* context,
                               const v1::CreateDeductionRequest* request,
                               v1::LedgerEntry* response) override;
  grpc::Status FailVeto(grpc::ServerContext* context, const v1::FailVetoRequest* request,
                        v1::LedgerEntry* response) override;
  grpc::Status ReverseLedgerEntry(grpc::ServerContext* context,
                                  const v1::ReverseLedgerEntryRequest* request,
                                  v1::LedgerEntry* response) override;
  grpc::Status GetLedgerEntry(grpc::ServerContext* context,
                              const v1::GetLedgerEntryRequest* request,
                              v1::LedgerEntry* response) override;
  grpc::Status ListLedgerEntries(grpc::ServerContext* context,
                                 const v1::ListLedgerEntriesRequest* request,
                                 v1::ListLedgerEntriesResponse* response) override;
  grpc::Status GetScoreboard(grpc::ServerContext* context, const v1::GetScoreboardRequest* request,
                             v1::Scoreboard* response) override;
  grpc::Status ExplainScore(grpc::ServerContext* context, const v1::ExplainScoreRequest* request,
                            v1::ScoreExplanation* response) override;

 private:
  // An entry the performance office makes with `make`, numbered once valid.
  template <typename Request>
  grpc::Status OfficeEntry(const grpc::ServerContext& context, absl::string_view name,
                           const Request& request, v1::LedgerEntry* response,
                           absl::StatusOr<v1::LedgerEntry> (*make)(const Request&,
                                                                   const LedgerContext&));

  const Backend& backend_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_PERFORMANCE_SERVICE_H_
