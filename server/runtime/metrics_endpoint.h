// The Prometheus endpoint: `GET /metrics` over HTTP on its own address
// (duband --metrics_listen), separate from the gRPC port.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<MetricsEndpoint> endpoint,
//                    MetricsEndpoint::Start("0.0.0.0:9464", {registry, store_metrics}));
#ifndef DUBAN_SERVER_RUNTIME_METRICS_ENDPOINT_H_
#define DUBAN_SERVER_RUNTIME_METRICS_ENDPOINT_H_

#include <prometheus/collectable.h>
#include <prometheus/exposer.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace duban {

class MetricsEndpoint {
 public:
  // Serves `collectables` on `listen` (host:port; port 0 picks a free one).
  // UNAVAILABLE naming --metrics_listen if it cannot listen there.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen,
      const std::vector<std::shared_ptr<prometheus::Collectable>>& collectables);

  // The port it listens on.
  int port() const { return port_; }

 private:
  MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer, int port)
      : exposer_(std::move(exposer)), port_(port) {}

  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_METRICS_ENDPOINT_H_
