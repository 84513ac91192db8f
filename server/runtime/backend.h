// Backend: what the RPC services stand on — the stores, the settings, the
// clock and the authenticator — owned by DubanServer and shared by the
// services.
#ifndef DUBAN_SERVER_RUNTIME_BACKEND_H_
#define DUBAN_SERVER_RUNTIME_BACKEND_H_

#include <functional>
#include <memory>

#include "absl/time/time.h"
#include "base/checkpoint_signature.h"
#include "domain/loop_context.h"
#include "domain/work_calendar.h"
#include "server/edge/authenticator.h"
#include "storage/database.h"
#include "storage/auth_store.h"
#include "storage/directory_store.h"
#include "storage/draw_store.h"
#include "storage/ledger_store.h"
#include "storage/settings_store.h"
#include "storage/ticket_store.h"

namespace duban {

class ReplicationRole;
class ServerHealth;
class ServerMetrics;

// A LoopContext together with the calendar and policy snapshots it points
// into, kept alive for the length of a call.
struct CallContext {
  std::shared_ptr<const WorkCalendar> calendar;
  std::shared_ptr<const v1::EscalationPolicy> policy;
  std::shared_ptr<const v1::LedgerPolicy> ledger_policy;
  LoopContext loop;
};

struct Backend {
  storage::Database* database = nullptr;
  storage::TicketStore* tickets = nullptr;
  storage::DirectoryStore* directory = nullptr;
  storage::SettingsStore* settings = nullptr;
  storage::LedgerStore* ledger = nullptr;
  storage::DrawStore* draws = nullptr;
  storage::AuthStore* auth = nullptr;
  // The time now; tests replace it to move the clock.
  std::function<absl::Time()> now;
  // How much faster than real time `now` runs (a --dev training county).
  double time_scale = 1;
  // The time now at the pace of real time, even in a training county:
  // what login sessions and lockouts are measured on. Tests replace it
  // along with `now`.
  std::function<absl::Time()> wall_now;
  const Authenticator* authenticator = nullptr;
  // Signs audit checkpoints; null when the server has no audit key.
  const CheckpointSigner* signer = nullptr;
  // Counts escalations and sweeps; null when nothing is counted.
  ServerMetrics* metrics = nullptr;
  // The server's named health checks.
  ServerHealth* health = nullptr;
  // Primary or replica, and the replicas (docs/replication.md).
  ReplicationRole* replication = nullptr;

  // The context of a call by `caller`, at the current time truncated to
  // microseconds (the precision of stored times), on the current calendar
  // and policy.
  CallContext ContextFor(const Caller& caller) const;
  // now(), truncated to microseconds.
  absl::Time Now() const;
  // wall_now() (now() when unset), truncated to microseconds.
  absl::Time WallNow() const;
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_BACKEND_H_
