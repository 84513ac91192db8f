#include "domain/login_throttle.h"

#include <algorithm>

namespace duban {

std::optional<absl::Time> LoginThrottle::LockedUntil(absl::string_view key,
                                                     absl::Time now) const {
  MutexLock lock(&mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end() || it->second.locked_until <= now) return std::nullopt;
  return it->second.locked_until;
}

std::optional<absl::Time> LoginThrottle::RecordFailure(absl::string_view key, absl::Time now) {
  MutexLock lock(&mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) {
    TrimLocked(now);
    it = failures_.emplace(std::string(key), Failures{0, now, absl::InfinitePast()}).first;
  }
  Failures& failures = it->second;
  if (now - failures.first >= policy_.window || failures.locked_until != absl::InfinitePast()) {
    if (failures.locked_until > now) return std::nullopt;
    failures = Failures{0, now, absl::InfinitePast()};
  }
  if (++failures.count < policy_.max_failures) return std::nullopt;
  failures.locked_until = now + policy_.lockout;
  return failures.locked_until;
}

void LoginThrottle::RecordSuccess(absl::string_view key) {
  MutexLock lock(&mutex_);
  auto it = failures_.find(key);
  if (it != failures_.end()) failures_.erase(it);
}

void LoginThrottle::TrimLocked(absl::Time now) {
  if (failures_.size() < policy_.max_keys) return;
  std::erase_if(failures_, [&](const auto& entry) {
    return now - entry.second.first >= policy_.window && entry.second.locked_until <= now;
  });
  while (failures_.size() >= policy_.max_keys) {
    auto oldest = std::min_element(failures_.begin(), failures_.end(), [](const auto& a, const auto& b) {
      return a.second.first < b.second.first;
    });
    failures_.erase(oldest);
  }
}

}  // namespace duban
