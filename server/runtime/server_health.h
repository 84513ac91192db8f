// ServerHealth: duband's named health checks, with the reason each is not
// serving, kept in one place and mirrored onto every grpc.health.v1
// service the server runs (the main port and the plaintext probe port).
//
//   ""                serving calls (until shutdown starts)
//   "duban.writes"    the store accepts writes (not after a failed write)
//   "duban.calendar"  the calendar covers this year and, from 1 November,
//                     the next one
//   "duban.replication"  a semi-synchronous primary has its replicas (not
//                     after an answer timed out waiting for them); a
//                     replica follows its primary; not on a fenced primary
//
//   ServerHealth health;
//   health.Attach(server->GetHealthCheckService());
//   health.Set(ServerHealth::kWrites, false, "WAL sync failed: ...", now);
//   v1::ServerHealth checks = health.Snapshot();   // AdminService.GetServerHealth
//
// Thread-safe: every member is guarded by mu_.
#ifndef DUBAN_SERVER_RUNTIME_SERVER_HEALTH_H_
#define DUBAN_SERVER_RUNTIME_SERVER_HEALTH_H_

#include <grpcpp/health_check_service_interface.h>

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "base/mutex.h"
#include "absl/time/time.h"
#include "duban/v1/admin_service.pb.h"

namespace duban {

class ServerHealth {
 public:
  static constexpr char kServing[] = "";
  static constexpr char kWrites[] = "duban.writes";
  static constexpr char kCalendar[] = "duban.calendar";
  static constexpr char kReplication[] = "duban.replication";

  // Every check starts serving at `now`.
  explicit ServerHealth(absl::Time now);
  ServerHealth(const ServerHealth&) = delete;
  ServerHealth& operator=(const ServerHealth&) = delete;

  // Mirrors every check onto `service` (not owned; it must stay valid until
  // DetachAll or destruction of this).
  void Attach(grpc::HealthCheckServiceInterface* service);
  // Stops mirroring onto every attached service (they are shutting down).
  void DetachAll();

  // Sets `check` (one of the names above). `detail` says what is wrong and
  // what to do; it is cleared when serving.
  void Set(const std::string& check, bool serving, std::string detail, absl::Time now);
  bool serving(const std::string& check) const;

  // Every check, in name order.
  v1::ServerHealth Snapshot() const;

 private:
  mutable Mutex mu_;
  std::map<std::string, v1::HealthCheck> checks_ ABSL_GUARDED_BY(mu_);
  std::vector<grpc::HealthCheckServiceInterface*> services_ ABSL_GUARDED_BY(mu_);
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_SERVER_HEALTH_H_
