// AuthStore: principals' password hashes, login sessions, and the security
// events (logins, failures, lockouts, logouts, password changes,
// revocations) — column family `auth`, keys in auth_keys.h.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<AuthStore> auth, AuthStore::Open(database));
//   RETURN_IF_ERROR(auth->StartSession(token_hex, session, login_event, now, {}));
//   std::optional<v1::Session> session = auth->FindSession(token_hex);   // then check expiry
//
// Passwords and security events are records: audited, so the security
// history is part of the hash chain (`duban audit verify`). Sessions are
// not — their login event is — because each one changes as it is used.
// Every change is one synced write.
//
// Thread-safe. `write_mutex_` orders the writes (and numbers the events); it
// is taken before any lock of the Database (lock order: lock_table.h).
#ifndef DUBAN_STORAGE_AUTH_STORE_H_
#define DUBAN_STORAGE_AUTH_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/mutex.h"
#include "duban/v1/auth.pb.h"
#include "storage/database.h"

namespace duban::storage {

struct SessionPage {
  std::vector<v1::Session> sessions;
  std::string next_page_token;
};

struct SecurityEventPage {
  std::vector<v1::SecurityEvent> events;
  std::string next_page_token;
};

class AuthStore {
 public:
  // `database` is not owned and must outlive the store.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AuthStore>> Open(Database* database);

  AuthStore(const AuthStore&) = delete;
  AuthStore& operator=(const AuthStore&) = delete;

  // The principal's password; nullopt when it has none.
  absl::StatusOr<std::optional<v1::PasswordCredential>> FindPassword(
      absl::string_view principal) const;
  // Stores `credential` as the principal's password, ends every session of
  // the principal and records `event` (its name is assigned), in one write.
  // Returns how many sessions it ended.
  absl::StatusOr<int> SetPassword(absl::string_view principal,
                                  const v1::PasswordCredential& credential,
                                  v1::SecurityEvent event, const WriteOptions& options);

  // Stores a new session under the SHA-256 of its token and records the
  // login `event`, in one write; the principal's sessions that expired by
  // `now` are removed in the same write. `checked_hash` is the password
  // hash the login was checked against (nullopt: the principal had none):
  // if the password changed since, nothing is written and the answer is
  // ABORTED — a login must not outlive the password it used.
  [[nodiscard]] absl::Status StartSession(absl::string_view token_sha256_hex,
                                          const v1::Session& session, v1::SecurityEvent event,
                                          const std::optional<std::string>& checked_hash,
                                          absl::Time now, const WriteOptions& options);
  // The session of a token (by the token's SHA-256), expired or not;
  // nullopt when there is none.
  absl::StatusOr<std::optional<v1::Session>> FindSession(absl::string_view token_sha256_hex) const;
  // Stores the session's new last use and idle expiry (not audited). A
  // session ended meanwhile stays ended.
  [[nodiscard]] absl::Status TouchSession(absl::string_view token_sha256_hex,
                                          const v1::Session& session);
  // Ends the session named `sessions/{id}` and records `event` (with the
  // session's principal when the event has none), in one write. NOT_FOUND
  // naming `name` when there is no such session.
  absl::StatusOr<v1::Session> EndSession(absl::string_view name, v1::SecurityEvent event,
                                         const WriteOptions& options);
  // Ends the session named `sessions/{id}`, expired or not, without an event.
  [[nodiscard]] absl::Status RemoveSession(absl::string_view name);
  // Sessions not expired at `now`, of `principal` ("" for all), in key order.
  absl::StatusOr<SessionPage> ListSessions(absl::string_view principal, absl::Time now,
                                           int page_size, absl::string_view page_token) const;

  // Records one security event (its name is assigned) and returns it.
  absl::StatusOr<v1::SecurityEvent> RecordEvent(v1::SecurityEvent event,
                                                const WriteOptions& options);
  // Security events about `principal` ("" for all), newest first.
  absl::StatusOr<SecurityEventPage> ListEvents(absl::string_view principal, int page_size,
                                               absl::string_view page_token) const;

 private:
  AuthStore(Database* database, uint64_t next_event)
      : database_(database), next_event_(next_event) {}

  void StageEvent(AuditedBatch& batch, v1::SecurityEvent& event)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mutex_);
  // Stages the removal of every session of `principal` (all of them, or
  // only those expired at `expired_by`); returns how many.
  absl::StatusOr<int> StageEndSessions(AuditedBatch& batch, absl::string_view principal,
                                       std::optional<absl::Time> expired_by) const;
  // The stored key (token SHA-256 hex) of the session named `name`.
  absl::StatusOr<std::optional<std::string>> SessionHexOf(absl::string_view name) const;
  // Writes `batch`; on success the events staged in it are spent.
  absl::Status Commit(AuditedBatch& batch, uint64_t first_event, const WriteOptions& options)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mutex_);

  Database* database_;
  Mutex write_mutex_;
  // The number the next security event gets; numbers of a failed write are
  // used again.
  uint64_t next_event_ ABSL_GUARDED_BY(write_mutex_);
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_AUTH_STORE_H_
