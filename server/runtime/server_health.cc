#include "server/runtime/server_health.h"

#include "base/time_convert.h"

namespace duban {

ServerHealth::ServerHealth(absl::Time now) {
  for (const char* name : {kServing, kWrites, kCalendar, kReplication}) {
    v1::HealthCheck& check = checks_[name];
    check.set_service(name);
    check.set_serving(true);
    *check.mutable_since() = ToTimestamp(now);
  }
}

void ServerHealth::Attach(grpc::HealthCheckServiceInterface* service) {
  MutexLock lock(&mu_);
  services_.push_back(service);
  for (const auto& [name, check] : checks_) service->SetServingStatus(name, check.serving());
}

void ServerHealth::DetachAll() {
  MutexLock lock(&mu_);
  services_.clear();
}

void ServerHealth::Set(const std::string& name, bool serving, std::string detail,
                       absl::Time now) {
  MutexLock lock(&mu_);
  v1::HealthCheck& check = checks_[name];
  if (check.service().empty() || check.serving() != serving) {
    *check.mutable_since() = ToTimestamp(now);
  }
  check.set_service(name);
  check.set_serving(serving);
  check.set_detail(serving ? "" : std::move(detail));
  for (grpc::HealthCheckServiceInterface* service : services_) {
    service->SetServingStatus(name, serving);
  }
}

bool ServerHealth::serving(const std::string& name) const {
  MutexLock lock(&mu_);
  auto it = checks_.find(name);
  return it == checks_.end() || it->second.serving();
}

v1::ServerHealth ServerHealth::Snapshot() const {
  MutexLock lock(&mu_);
  v1::ServerHealth health;
  for (const auto& [name, check] : checks_) *health.add_checks() = check;
  return health;
}

}  // namespace duban
