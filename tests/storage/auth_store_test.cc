// AuthStore (storage/auth_store.h): passwords, sessions and security events
// — each change one write, sessions ended with their principal's password,
// a login refused when the password changed under it, events numbered on
// across reopening and part of the audit chain.
#include "storage/auth_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "base/time_convert.h"
#include "storage/audit_verifier.h"
#include "storage/auth_keys.h"
#include "tests/storage/store_checks.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'780'000'000);

class AuthStoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    OpenAuth();
  }
  void OpenAuth() {
    absl::StatusOr<std::unique_ptr<AuthStore>> auth = AuthStore::Open(database_.get());
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);
  }
  void Reopen() {
    auth_.reset();
    ReopenStores();
    OpenAuth();
  }

  static v1::Session SessionOf(const std::string& principal, const std::string& hex,
                               absl::Duration idle = absl::Hours(2)) {
    v1::Session session;
    session.set_name(SessionName(hex));
    session.set_principal(principal);
    *session.mutable_create_time() = ToTimestamp(kNow);
    *session.mutable_last_use_time() = ToTimestamp(kNow);
    *session.mutable_idle_expire_time() = ToTimestamp(kNow + idle);
    *session.mutable_expire_time() = ToTimestamp(kNow + absl::Hours(12));
    return session;
  }
  static v1::SecurityEvent Event(v1::SecurityEventKind kind, const std::string& principal) {
    v1::SecurityEvent event;
    event.set_kind(kind);
    event.set_principal(principal);
    *event.mutable_time() = ToTimestamp(kNow);
    return event;
  }
  absl::Status Start(const std::string& principal, const std::string& hex,
                     std::optional<std::string> checked_hash = std::nullopt,
                     absl::Duration idle = absl::Hours(2)) {
    return auth_->StartSession(hex, SessionOf(principal, hex, idle),
                               Event(v1::SECURITY_EVENT_LOGIN, principal), checked_hash, kNow,
                               {});
  }
  static v1::PasswordCredential Credential(const std::string& hash) {
    v1::PasswordCredential credential;
    credential.set_hash(hash);
    return credential;
  }

  std::unique_ptr<AuthStore> auth_;
};

std::string Hex(char c) { return std::string(64, c); }

TEST_F(AuthStoreTest, APasswordChangeEndsThePrincipalsSessionsOnly) {
  ASSERT_TRUE(Start("principals/wang", Hex('a')).ok());
  ASSERT_TRUE(Start("principals/wang", Hex('b')).ok());
  ASSERT_TRUE(Start("principals/li", Hex('c')).ok());
  absl::StatusOr<int> ended =
      auth_->SetPassword("principals/wang", Credential("h1"),
                         Event(v1::SECURITY_EVENT_PASSWORD_SET, "principals/wang"), {});
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(auth_->FindSession(Hex('a'))->has_value());
  EXPECT_FALSE(auth_->FindSession(Hex('b'))->has_value());
  EXPECT_TRUE(auth_->FindSession(Hex('c'))->has_value());
  EXPECT_EQ((*auth_->FindPassword("principals/wang"))->hash(), "h1");
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(AuthStoreTest, ALoginCheckedAgainstAnOldPasswordIsRefused) {
  ASSERT_TRUE(auth_->SetPassword("principals/wang", Credential("h1"),
                                 Event(v1::SECURITY_EVENT_PASSWORD_SET, "principals/wang"), {})
                  .ok());
  // Checked against no password, or against another one: nothing written.
  EXPECT_TRUE(absl::IsAborted(Start("principals/wang", Hex('a'))));
  EXPECT_TRUE(absl::IsAborted(Start("principals/wang", Hex('a'), "h0")));
  EXPECT_FALSE(auth_->FindSession(Hex('a'))->has_value());
  EXPECT_TRUE(Start("principals/wang", Hex('a'), "h1").ok());
  EXPECT_TRUE(auth_->FindSession(Hex('a'))->has_value());
}

TEST_F(AuthStoreTest, EndingASessionRecordsItOnceAndKnowsNoSecond) {
  ASSERT_TRUE(Start("principals/wang", Hex('a')).ok());
  absl::StatusOr<v1::Session> ended =
      auth_->EndSession(SessionName(Hex('a')), Event(v1::SECURITY_EVENT_LOGOUT, ""), {});
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->principal(), "principals/wang");
  EXPECT_EQ(auth_->EndSession(SessionName(Hex('a')), Event(v1::SECURITY_EVENT_LOGOUT, ""), {})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(auth_->EndSession("sessions/x", Event(v1::SECURITY_EVENT_LOGOUT, ""), {})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<SecurityEventPage> events = auth_->ListEvents("principals/wang", 10, "");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->events.size(), 2u);
  EXPECT_EQ(events->events[0].kind(), v1::SECURITY_EVENT_LOGOUT);  // newest first
  EXPECT_EQ(events->events[0].session(), SessionName(Hex('a')));
}

TEST_F(AuthStoreTest, ListingSkipsExpiredSessionsAndALoginClearsThePrincipals) {
  ASSERT_TRUE(Start("principals/wang", Hex('a'), std::nullopt, absl::Minutes(1)).ok());
  ASSERT_TRUE(Start("principals/li", Hex('b')).ok());
  absl::StatusOr<SessionPage> live = auth_->ListSessions("", kNow + absl::Minutes(2), 10, "");
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->sessions.size(), 1u);
  EXPECT_EQ(live->sessions[0].principal(), "principals/li");
  // wang logs in again later: the expired session goes in the same write.
  ASSERT_TRUE(auth_->StartSession(Hex('c'), SessionOf("principals/wang", Hex('c')),
                                  Event(v1::SECURITY_EVENT_LOGIN, "principals/wang"),
                                  std::nullopt, kNow + absl::Minutes(2), {})
                  .ok());
  EXPECT_FALSE(auth_->FindSession(Hex('a'))->has_value());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(AuthStoreTest, EventsAreNumberedOnAfterReopeningAndVerify) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(auth_->RecordEvent(Event(v1::SECURITY_EVENT_LOGIN_FAILED, "principals/wang"), {})
                    .ok());
  }
  Reopen();
  absl::StatusOr<v1::SecurityEvent> fourth =
      auth_->RecordEvent(Event(v1::SECURITY_EVENT_LOGIN_FAILED, "principals/wang"), {});
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->name(), "securityEvents/4");
  absl::StatusOr<AuditReport> report = VerifyAudit(*database_, std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok) << report->entry << ": " << report->problem;
}

}  // namespace
}  // namespace duban::storage
