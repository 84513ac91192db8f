#include "server/runtime/server_metrics.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace duban {
namespace {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

prometheus::Labels LabelsOf(const RpcLabels& rpc) {
  return {{"grpc_service", rpc.service}, {"grpc_method", rpc.method}, {"grpc_type", rpc.type}};
}

}  // namespace

RpcLabels LabelsOfPath(absl::string_view path, absl::string_view type) {
  path = absl::StripPrefix(path, "/");
  const std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(path, absl::MaxSplits('/', 1));
  return {std::string(parts.first), std::string(parts.second), std::string(type)};
}

std::string StatusCodeName(grpc::StatusCode code) {
  // gRPC's codes are the canonical codes absl::StatusCode numbers alike.
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? "UNKNOWN" : name;
}

ServerMetrics::ServerMetrics(prometheus::Registry& registry)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("RPCs completed on the server, by status code.")
                   .Register(registry)),
      handling_seconds_(prometheus::BuildHistogram()
                            .Name("grpc_server_handling_seconds")
                            .Help("Time from receiving an RPC to sending its status.")
                            .Register(registry)),
      escalations_fired_(prometheus::BuildCounter()
                             .Name("duban_escalations_fired_total")
                             .Help("Escalation ladder steps fired, by level.")
                             .Register(registry)),
      sweep_seconds_(prometheus::BuildHistogram()
                         .Name("duban_escalation_sweep_seconds")
                         .Help("Duration of escalation sweeps that fired (or looked for) "
                               "due ladder steps.")
                         .Register(registry)
                         .Add({}, LatencyBuckets())) {}

void ServerMetrics::CallStarted(const RpcLabels& rpc) { started_.Add(LabelsOf(rpc)).Increment(); }

void ServerMetrics::CallHandled(const RpcLabels& rpc, grpc::StatusCode code,
                                absl::Duration elapsed) {
  prometheus::Labels labels = LabelsOf(rpc);
  handling_seconds_.Add(labels, LatencyBuckets()).Observe(absl::ToDoubleSeconds(elapsed));
  labels.emplace("grpc_code", StatusCodeName(code));
  handled_.Add(labels).Increment();
}

void ServerMetrics::EscalationFired(v1::EscalationLevel level) {
  std::string name(absl::StripPrefix(v1::EscalationLevel_Name(level), "ESCALATION_LEVEL_"));
  escalations_fired_.Add({{"level", absl::AsciiStrToLower(name)}}).Increment();
}

void ServerMetrics::SweepFinished(absl::Duration elapsed) {
  sweep_seconds_.Observe(absl::ToDoubleSeconds(elapsed));
}

}  // namespace duban
