#include "storage/auth_store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "storage/auth_keys.h"
#include "storage/paged_scan.h"
#include "storage/prefix_scan.h"
#include "storage/record.h"

namespace duban::storage {
namespace {

// Reads one record of the `auth` family; nullopt when absent.
template <class Message>
absl::StatusOr<std::optional<Message>> ReadRecord(const Database& database,
                                                  const std::string& key) {
  std::string value;
  rocksdb::Status status =
      database.db()->Get(rocksdb::ReadOptions(), database.family(Family::kAuth), key, &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "read auth"));
  Message message;
  RETURN_IF_ERROR(DecodeRecord(value, message));
  return message;
}

bool Expired(const v1::Session& session, absl::Time now) {
  return now >= FromTimestamp(session.idle_expire_time()) ||
         now >= FromTimestamp(session.expire_time());
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuthStore>> AuthStore::Open(Database* database) {
  // Keys run newest first: the first event key holds the highest number.
  PrefixScan scan(*database, Family::kAuth, std::string(1, kSecurityEventTag));
  scan.Seek();
  uint64_t next = 1;
  if (scan.Valid()) {
    if (scan.key().size() != 9) return absl::DataLossError("malformed security event key");
    next = ~ReadBigEndian64(scan.key(), 1) + 1;
  }
  RETURN_IF_ERROR(scan.status());
  return std::unique_ptr<AuthStore>(new AuthStore(database, next));
}

absl::StatusOr<std::optional<v1::PasswordCredential>> AuthStore::FindPassword(
    absl::string_view principal) const {
  return ReadRecord<v1::PasswordCredential>(*database_, PasswordKey(principal));
}

void AuthStore::StageEvent(AuditedBatch& batch, v1::SecurityEvent& event) {
  const uint64_t n = next_event_++;
  event.set_name(SecurityEventName(n));
  batch.PutRecord(AuditKind::kSecurityEvent, database_->family(Family::kAuth),
                  SecurityEventKey(n), EncodeRecord(event));
}

absl::Status AuthStore::Commit(AuditedBatch& batch, uint64_t first_event,
                               const WriteOptions& options) {
  absl::Status written = database_->Write(batch, options);
  if (!written.ok()) next_event_ = first_event;
  return written;
}

absl::StatusOr<int> AuthStore::StageEndSessions(AuditedBatch& batch, absl::string_view principal,
                                                std::optional<absl::Time> expired_by) const {
  rocksdb::ColumnFamilyHandle* family = database_->family(Family::kAuth);
  int ended = 0;
  PrefixScan scan(*database_, Family::kAuth, SessionIndexPrefix(principal));
  for (scan.Seek(); scan.Valid(); scan.Next()) {
    const absl::string_view hex = scan.key().substr(scan.prefix().size());
    if (expired_by) {
      ASSIGN_OR_RETURN(std::optional<v1::Session> session,
                       ReadRecord<v1::Session>(*database_, SessionKey(hex)));
      if (session && !Expired(*session, *expired_by)) continue;
    }
    batch.Delete(family, SessionKey(hex));
    batch.Delete(family, scan.key());
    ++ended;
  }
  RETURN_IF_ERROR(scan.status());
  return ended;
}

absl::StatusOr<int> AuthStore::SetPassword(absl::string_view principal,
                                           const v1::PasswordCredential& credential,
                                           v1::SecurityEvent event,
                                           const WriteOptions& options) {
  MutexLock lock(&write_mutex_);
  AuditedBatch batch;
  batch.PutRecord(AuditKind::kPassword, database_->family(Family::kAuth), PasswordKey(principal),
                  EncodeRecord(credential));
  ASSIGN_OR_RETURN(const int ended, StageEndSessions(batch, principal, std::nullopt));
  const uint64_t first = next_event_;
  if (event.detail().empty()) {
    event.set_detail(absl::StrCat(ended, " session(s) ended"));
  }
  StageEvent(batch, event);
  RETURN_IF_ERROR(Commit(batch, first, options));
  return ended;
}

absl::Status AuthStore::StartSession(absl::string_view token_sha256_hex,
                                     const v1::Session& session, v1::SecurityEvent event,
                                     const std::optional<std::string>& checked_hash,
                                     absl::Time now, const WriteOptions& options) {
  MutexLock lock(&write_mutex_);
  ASSIGN_OR_RETURN(std::optional<v1::PasswordCredential> current,
                   FindPassword(session.principal()));
  if (current.has_value() != checked_hash.has_value() ||
      (current && current->hash() != *checked_hash)) {
    return absl::AbortedError("the password changed during the login");
  }
  AuditedBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_->family(Family::kAuth);
  RETURN_IF_ERROR(StageEndSessions(batch, session.principal(), now).status());
  batch.Put(family, SessionKey(token_sha256_hex), EncodeRecord(session));
  batch.Put(family, absl::StrCat(SessionIndexPrefix(session.principal()), token_sha256_hex), "");
  const uint64_t first = next_event_;
  StageEvent(batch, event);
  return Commit(batch, first, options);
}

absl::StatusOr<std::optional<v1::Session>> AuthStore::FindSession(
    absl::string_view token_sha256_hex) const {
  return ReadRecord<v1::Session>(*database_, SessionKey(token_sha256_hex));
}

absl::Status AuthStore::TouchSession(absl::string_view token_sha256_hex,
                                     const v1::Session& session) {
  MutexLock lock(&write_mutex_);
  ASSIGN_OR_RETURN(std::optional<v1::Session> stored, FindSession(token_sha256_hex));
  if (!stored) return absl::OkStatus();
  AuditedBatch batch;
  batch.Put(database_->family(Family::kAuth), SessionKey(token_sha256_hex),
            EncodeRecord(session));
  return database_->Write(batch, WriteOptions{});
}

absl::StatusOr<std::optional<std::string>> AuthStore::SessionHexOf(absl::string_view name) const {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "sessions/") || id.size() != kSessionIdDigits) {
    return InvalidField("name", "must be sessions/{id}, 16 hex digits");
  }
  PrefixScan scan(*database_, Family::kAuth, SessionKey(id));
  scan.Seek();
  if (!scan.Valid()) {
    RETURN_IF_ERROR(scan.status());
    return std::nullopt;
  }
  return std::string(scan.key().substr(1));
}

absl::StatusOr<v1::Session> AuthStore::EndSession(absl::string_view name, v1::SecurityEvent event,
                                                  const WriteOptions& options) {
  MutexLock lock(&write_mutex_);
  ASSIGN_OR_RETURN(std::optional<std::string> hex, SessionHexOf(name));
  absl::StatusOr<std::optional<v1::Session>> session =
      hex ? FindSession(*hex) : std::optional<v1::Session>();
  RETURN_IF_ERROR(session.status());
  if (!*session) {
    return ErrorWithReason(absl::StatusCode::kNotFound, "SESSION_NOT_FOUND",
                           absl::StrCat("no session ", name), {{"name", std::string(name)}});
  }
  const v1::Session& ended = **session;
  AuditedBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_->family(Family::kAuth);
  batch.Delete(family, SessionKey(*hex));
  batch.Delete(family, absl::StrCat(SessionIndexPrefix(ended.principal()), *hex));
  if (event.principal().empty()) event.set_principal(ended.principal());
  event.set_session(ended.name());
  const uint64_t first = next_event_;
  StageEvent(batch, event);
  RETURN_IF_ERROR(Commit(batch, first, options));
  return ended;
}

absl::Status AuthStore::RemoveSession(absl::string_view name) {
  MutexLock lock(&write_mutex_);
  ASSIGN_OR_RETURN(std::optional<std::string> hex, SessionHexOf(name));
  if (!hex) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<v1::Session> session, FindSession(*hex));
  if (!session) return absl::OkStatus();
  AuditedBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_->family(Family::kAuth);
  batch.Delete(family, SessionKey(*hex));
  batch.Delete(family, absl::StrCat(SessionIndexPrefix(session->principal()), *hex));
  return database_->Write(batch, WriteOptions{});
}

absl::StatusOr<SessionPage> AuthStore::ListSessions(absl::string_view principal, absl::Time now,
                                                    int page_size,
                                                    absl::string_view page_token) const {
  PrefixScan scan(*database_, Family::kAuth, std::string(1, kSessionTag));
  SessionPage page;
  ASSIGN_OR_RETURN(
      page.next_page_token,
      ScanPage(scan,
               {.scope = absl::StrCat("sessions ", principal),
                .page_size = page_size,
                .page_token = page_token},
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 v1::Session session;
                 RETURN_IF_ERROR(DecodeRecord(value, session));
                 if (Expired(session, now)) return false;
                 if (!principal.empty() && session.principal() != principal) return false;
                 page.sessions.push_back(std::move(session));
                 return true;
               }));
  return page;
}

absl::StatusOr<v1::SecurityEvent> AuthStore::RecordEvent(v1::SecurityEvent event,
                                                         const WriteOptions& options) {
  MutexLock lock(&write_mutex_);
  AuditedBatch batch;
  const uint64_t first = next_event_;
  StageEvent(batch, event);
  RETURN_IF_ERROR(Commit(batch, first, options));
  return event;
}

absl::StatusOr<SecurityEventPage> AuthStore::ListEvents(absl::string_view principal,
                                                        int page_size,
                                                        absl::string_view page_token) const {
  PrefixScan scan(*database_, Family::kAuth, std::string(1, kSecurityEventTag));
  SecurityEventPage page;
  ASSIGN_OR_RETURN(
      page.next_page_token,
      ScanPage(scan,
               {.scope = absl::StrCat("securityEvents ", principal),
                .page_size = page_size,
                .page_token = page_token},
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 v1::SecurityEvent event;
                 RETURN_IF_ERROR(DecodeRecord(value, event));
                 if (!principal.empty() && event.principal() != principal) return false;
                 page.events.push_back(std::move(event));
                 return true;
               }));
  return page;
}

}  // namespace duban::storage
