#include "server/replication/replica_links.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/time_convert.h"
#include "server/runtime/json_log.h"
#include "server/runtime/server_health.h"

namespace duban {

ReplicaLinks::ReplicaLinks(Options options, ServerHealth* health, JsonLog* log,
                           std::function<absl::Time()> now)
    : options_(options), health_(health), log_(log), now_(std::move(now)) {}

int ReplicaLinks::Add(const std::string& principal, const std::string& peer) {
  MutexLock lock(&mu_);
  const int id = next_id_++;
  const absl::Time now = now_();
  links_[id] = Link{.principal = principal, .peer = peer, .connected = now, .caught_up = now};
  return id;
}

void ReplicaLinks::Remove(int id) {
  MutexLock lock(&mu_);
  links_.erase(id);
}

void ReplicaLinks::Ack(int id, uint64_t applied, uint64_t latest) {
  bool recovered = false;
  {
    MutexLock lock(&mu_);
    auto it = links_.find(id);
    if (it == links_.end()) return;
    it->second.applied = std::max(it->second.applied, applied);
    if (applied >= latest) it->second.caught_up = now_();
    if (degraded_ && CountAtLeastLocked(latest) >= options_.sync_replicas) {
      degraded_ = false;
      recovered = true;
    }
  }
  acked_.SignalAll();
  if (recovered) {
    SetHealth(true, "");
    log_->Write(LogLevel::kInfo, "replicas caught up: answers wait for them again",
                {{"sync_replicas", int64_t{options_.sync_replicas}}});
  }
}

void ReplicaLinks::NoteBacklog(int id, uint64_t batches) {
  MutexLock lock(&mu_);
  auto it = links_.find(id);
  if (it != links_.end()) it->second.backlog = batches;
}

int ReplicaLinks::CountAtLeastLocked(uint64_t sequence) const {
  return static_cast<int>(std::count_if(links_.begin(), links_.end(), [&](const auto& entry) {
    return entry.second.applied >= sequence;
  }));
}

void ReplicaLinks::WaitForReplicas(uint64_t sequence) {
  if (options_.sync_replicas == 0) return;
  int64_t timeouts = 0;
  {
    MutexLock lock(&mu_);
    if (degraded_) return;
    const absl::Time deadline = absl::Now() + options_.sync_timeout;
    while (!closed_ && CountAtLeastLocked(sequence) < options_.sync_replicas) {
      if (acked_.WaitWithDeadline(&mu_, deadline) &&
          CountAtLeastLocked(sequence) < options_.sync_replicas) {
        degraded_ = true;
        timeouts = ++timeouts_;
        break;
      }
    }
  }
  if (timeouts == 0) return;
  const std::string detail = absl::StrCat(
      "no ", options_.sync_replicas, " replica(s) wrote sequence ", sequence, " within ",
      absl::FormatDuration(options_.sync_timeout),
      ": answering without waiting until they catch up (duban admin replication)");
  SetHealth(false, detail);
  log_->Write(LogLevel::kWarning, detail,
              {{"sequence", static_cast<int64_t>(sequence)}, {"sync_timeouts", timeouts}});
}

void ReplicaLinks::Close() {
  {
    MutexLock lock(&mu_);
    closed_ = true;
  }
  acked_.SignalAll();
}

std::vector<v1::ReplicaLink> ReplicaLinks::Links(uint64_t latest) const {
  const absl::Time now = now_();
  MutexLock lock(&mu_);
  std::vector<v1::ReplicaLink> links;
  for (const auto& [id, link] : links_) {
    v1::ReplicaLink& out = links.emplace_back();
    out.set_principal(link.principal);
    out.set_peer(link.peer);
    out.set_applied_sequence(static_cast<int64_t>(link.applied));
    out.set_lag_batches(link.applied >= latest ? 0 : static_cast<int64_t>(link.backlog));
    *out.mutable_lag() =
        ToDuration(link.applied >= latest ? absl::ZeroDuration() : now - link.caught_up);
    *out.mutable_connect_time() = ToTimestamp(link.connected);
  }
  return links;
}

bool ReplicaLinks::degraded() const {
  MutexLock lock(&mu_);
  return degraded_;
}

int64_t ReplicaLinks::sync_timeouts() const {
  MutexLock lock(&mu_);
  return timeouts_;
}

void ReplicaLinks::SetHealth(bool serving, const std::string& detail) {
  health_->Set(ServerHealth::kReplication, serving, detail, now_());
}

}  // namespace duban
