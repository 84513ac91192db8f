// Building Prometheus metric families by hand, for collectors that read
// their values when scraped (StoreMetrics, ReplicationMetrics).
//
//   prometheus::MetricFamily lag = GaugeFamily("duban_replication_lag_seconds", "...");
//   AddValue(lag, 0.4, {{"replica", "principals/replica"}});
#ifndef DUBAN_SERVER_RUNTIME_METRIC_FAMILY_H_
#define DUBAN_SERVER_RUNTIME_METRIC_FAMILY_H_

#include <prometheus/metric_family.h>

#include <string>
#include <utility>
#include <vector>

namespace duban {

inline prometheus::MetricFamily GaugeFamily(std::string name, std::string help) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = prometheus::MetricType::Gauge;
  return family;
}

inline prometheus::MetricFamily CounterFamily(std::string name, std::string help) {
  prometheus::MetricFamily family = GaugeFamily(std::move(name), std::move(help));
  family.type = prometheus::MetricType::Counter;
  return family;
}

// Adds one sample to `family` (a gauge's or a counter's value).
inline void AddValue(prometheus::MetricFamily& family, double value,
                     std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  if (family.type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
}

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_METRIC_FAMILY_H_
