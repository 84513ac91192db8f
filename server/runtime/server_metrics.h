// ServerMetrics: the counters and histograms duband keeps for Prometheus —
// the standard gRPC server metrics and the escalation sweeps.
//
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type}  (histogram)
//   duban_escalations_fired_total{level}
//   duban_escalation_sweep_seconds                                  (histogram)
//
// The gauges read from the store at scrape time are in
// server/runtime/store_metrics.h. Thread-safe.
#ifndef DUBAN_SERVER_RUNTIME_SERVER_METRICS_H_
#define DUBAN_SERVER_RUNTIME_SERVER_METRICS_H_

#include <grpcpp/support/status.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "duban/v1/ticket.pb.h"

namespace duban {

// How the gRPC metrics label a method.
struct RpcLabels {
  std::string service;  // "duban.v1.TicketService"
  std::string method;   // "GetTicket"
  std::string type;     // "unary", "server_stream", "client_stream", "bidi_stream"
};

// Splits a gRPC path ("/duban.v1.TicketService/GetTicket").
RpcLabels LabelsOfPath(absl::string_view path, absl::string_view type);

// "OK", "INVALID_ARGUMENT", ...: the names Prometheus' gRPC metrics use.
std::string StatusCodeName(grpc::StatusCode code);

class ServerMetrics {
 public:
  // Registers the families in `registry`, which must outlive this.
  explicit ServerMetrics(prometheus::Registry& registry);

  void CallStarted(const RpcLabels& rpc);
  void CallHandled(const RpcLabels& rpc, grpc::StatusCode code, absl::Duration elapsed);
  void EscalationFired(v1::EscalationLevel level);
  void SweepFinished(absl::Duration elapsed);

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  prometheus::Family<prometheus::Counter>& escalations_fired_;
  prometheus::Histogram& sweep_seconds_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_SERVER_METRICS_H_
