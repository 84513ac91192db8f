// LoginThrottle: failed logins counted per key (a principal, or a client
// address); a key that fails too often is locked out for a while.
//
//   if (std::optional<absl::Time> until = throttle.LockedUntil(key, now)) refuse until *until;
//   if (!matched) throttle.RecordFailure(key, now); else throttle.RecordSuccess(key);
//
// Counts are kept in memory: a restart forgives them (the security events
// that record them are kept). At most `max_keys` keys are tracked; past
// that, the keys whose failures have all aged out are dropped, then the
// oldest.
//
// Thread-safe: `mutex_` guards the counts.
#ifndef DUBAN_DOMAIN_LOGIN_THROTTLE_H_
#define DUBAN_DOMAIN_LOGIN_THROTTLE_H_

#include <map>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/mutex.h"

namespace duban {

struct LoginThrottlePolicy {
  // This many failures within `window` lock the key out for `lockout`.
  int max_failures = 5;
  absl::Duration window = absl::Minutes(15);
  absl::Duration lockout = absl::Minutes(15);
  size_t max_keys = 100000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottlePolicy policy = {}) : policy_(policy) {}

  // When the key's lockout ends; nullopt when it is not locked out.
  std::optional<absl::Time> LockedUntil(absl::string_view key, absl::Time now) const;
  // Counts a failure; returns when the lockout it started ends, if it
  // started one.
  std::optional<absl::Time> RecordFailure(absl::string_view key, absl::Time now);
  // A successful login forgets the key's failures.
  void RecordSuccess(absl::string_view key);

 private:
  struct Failures {
    int count = 0;
    absl::Time first;         // of the current window
    absl::Time locked_until;  // InfinitePast when not locked
  };
  void TrimLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const LoginThrottlePolicy policy_;
  mutable Mutex mutex_;
  std::map<std::string, Failures, std::less<>> failures_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace duban

#endif  // DUBAN_DOMAIN_LOGIN_THROTTLE_H_
