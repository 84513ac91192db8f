// Passwords, login sessions, lockouts and the security events, against a
// real duband: a session authenticates over gRPC and over HTTP alike, and
// ends on logout, expiry, a password change or an ADMIN's revocation.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "duban/v1/audit_service.grpc.pb.h"
#include "duban/v1/auth_service.grpc.pb.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

using Auth = v1::AuthService::Stub;

class LoginTest : public ::testing::Test {
 protected:
  LoginTest() : auth_(v1::AuthService::NewStub(server_.channel())) {}

  grpc::Status Login(const std::string& principal, const std::string& password,
                     v1::LoginResponse* response = nullptr) {
    v1::LoginRequest request;
    request.set_principal(principal);
    request.set_password(password);
    v1::LoginResponse ignored;
    grpc::ClientContext context;
    return auth_->Login(&context, request, response ? response : &ignored);
  }
  std::string MustLogin(const std::string& principal, const std::string& password) {
    v1::LoginResponse response;
    grpc::Status status = Login(principal, password, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.token();
  }
  // GetPrincipal of itself, as the holder of `token`, over gRPC.
  grpc::Status Whoami(const std::string& token, const std::string& principal = "leader") {
    v1::GetPrincipalRequest request;
    request.set_name("principals/" + principal);
    v1::Principal response;
    return client_.Call(token, &Directory::GetPrincipal, request, &response);
  }
  grpc::Status SetPassword(const std::string& token, const std::string& principal,
                           const std::string& password, const std::string& old = "",
                           v1::SetPasswordResponse* response = nullptr) {
    v1::SetPasswordRequest request;
    request.set_principal(principal);
    request.set_password(password);
    request.set_old_password(old);
    v1::SetPasswordResponse ignored;
    grpc::ClientContext context;
    Authorize(context, token);
    return auth_->SetPassword(&context, request, response ? response : &ignored);
  }
  std::vector<v1::SecurityEvent> Events(const std::string& principal = "") {
    v1::ListSecurityEventsRequest request;
    request.set_principal(principal);
    request.set_page_size(500);
    v1::ListSecurityEventsResponse response;
    grpc::ClientContext context;
    Authorize(context, "admin");
    EXPECT_TRUE(auth_->ListSecurityEvents(&context, request, &response).ok());
    return {response.events().begin(), response.events().end()};
  }
  int CountEvents(v1::SecurityEventKind kind, const std::string& principal) {
    int count = 0;
    for (const v1::SecurityEvent& event : Events(principal)) count += event.kind() == kind;
    return count;
  }

  TestServer server_{[](ServerOptions& options) { options.http_listen = "127.0.0.1:0"; },
                     /*scheduler=*/true};
  RpcClient client_{server_};
  std::unique_ptr<Auth> auth_;
};

TEST_F(LoginTest, DevPasswordGivesASessionThatWorksOverGrpcAndHttp) {
  v1::LoginResponse response;
  ASSERT_TRUE(Login("leader", "leader", &response).ok());
  EXPECT_EQ(response.token().size(), 64u);
  EXPECT_EQ(response.session().principal(), "principals/leader");
  EXPECT_TRUE(absl::StartsWith(response.session().name(), "sessions/"));
  EXPECT_EQ(response.session().client_address(), "127.0.0.1");
  // Idle expiry 2 h, absolute 12 h, on the server's clock.
  const absl::Time now = server_.clock().Now();
  EXPECT_EQ(absl::FromUnixSeconds(response.session().idle_expire_time().seconds()),
            absl::FromUnixSeconds(absl::ToUnixSeconds(now + absl::Hours(2))));
  EXPECT_EQ(absl::FromUnixSeconds(response.session().expire_time().seconds()),
            absl::FromUnixSeconds(absl::ToUnixSeconds(now + absl::Hours(12))));

  EXPECT_TRUE(Whoami(response.token()).ok());
  const HttpReply reply =
      PostJson(server_.server().http_port(), "/duban.v1.DirectoryService/GetPrincipal",
               response.token(), R"({"name":"principals/leader"})");
  EXPECT_EQ(reply.status, 200) << reply.body;
  // Login over HTTP too.
  const HttpReply login = PostJson(server_.server().http_port(), "/duban.v1.AuthService/Login", "",
                                   R"({"principal":"inspector","password":"inspector"})");
  ASSERT_EQ(login.status, 200) << login.body;
  v1::LoginResponse over_http;
  ASSERT_TRUE(FromJson(login.body, over_http));
  EXPECT_TRUE(Whoami(over_http.token(), "inspector").ok());
  EXPECT_EQ(CountEvents(v1::SECURITY_EVENT_LOGIN, "principals/leader"), 1);
}

TEST_F(LoginTest, WrongPasswordAndUnknownPrincipalAnswerAlike) {
  const grpc::Status wrong = Login("leader", "not-the-password");
  const grpc::Status unknown = Login("nobody", "whatever-it-is");
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_code(), wrong.error_code());
  EXPECT_EQ(unknown.error_message(), wrong.error_message());
  EXPECT_EQ(ErrorReason(unknown), "LOGIN_FAILED");
  EXPECT_EQ(ErrorReason(wrong), "LOGIN_FAILED");
  EXPECT_EQ(CountEvents(v1::SECURITY_EVENT_LOGIN_FAILED, "principals/nobody"), 1);
  // A name no principal could have is answered alike, and not recorded.
  const grpc::Status malformed = Login("No Such/Name!", "whatever-it-is");
  EXPECT_EQ(malformed.error_message(), wrong.error_message());
  EXPECT_EQ(CountEvents(v1::SECURITY_EVENT_LOGIN_FAILED, "principals/No Such/Name!"), 0);
  EXPECT_EQ(CountEvents(v1::SECURITY_EVENT_LOGIN_FAILED, ""), 2);
  // Refusals of the request itself name the field.
  EXPECT_EQ(BadFields(Login("", "")), (std::vector<std::string>{"principal", "password"}));
}

TEST_F(LoginTest, FiveFailuresLockThePrincipalOutForFifteenMinutes) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Login("leader", "wrong").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  grpc::Status locked = Login("leader", "leader");  // the right one, too late
  EXPECT_EQ(locked.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ErrorReason(locked), "LOGIN_LOCKED_OUT");
  EXPECT_TRUE(absl::StrContains(locked.error_message(), "900 s")) << locked.error_message();
  EXPECT_GE(CountEvents(v1::SECURITY_EVENT_LOCKED_OUT, "principals/leader"), 1);
  server_.Advance(absl::Minutes(14));
  EXPECT_EQ(Login("leader", "leader").error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  server_.Advance(absl::Minutes(1));
  EXPECT_TRUE(Login("leader", "leader").ok());
}

TEST_F(LoginTest, FailuresFromOneAddressLockItOutAcrossPrincipals) {
  for (const char* principal : {"a1", "a2", "a3", "a4", "a5"}) {
    EXPECT_EQ(Login(principal, "wrong").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  const grpc::Status locked = Login("inspector", "inspector");
  EXPECT_EQ(ErrorReason(locked), "LOGIN_LOCKED_OUT");
}

TEST_F(LoginTest, SessionExpiresWhenIdleAndAtItsEnd) {
  const std::string token = MustLogin("leader", "leader");
  server_.Advance(absl::Hours(1) + absl::Minutes(59));
  ASSERT_TRUE(Whoami(token).ok());  // used: the idle expiry moves on
  server_.Advance(absl::Hours(1) + absl::Minutes(59));
  ASSERT_TRUE(Whoami(token).ok());
  server_.Advance(absl::Hours(2));
  grpc::Status expired = Whoami(token);
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorReason(expired), "SESSION_EXPIRED");

  // Used every hour, it still ends 12 h after the login.
  const std::string kept = MustLogin("leader", "leader");
  for (int hour = 1; hour < 12; ++hour) {
    server_.Advance(absl::Hours(1));
    ASSERT_TRUE(Whoami(kept).ok()) << "hour " << hour;
  }
  server_.Advance(absl::Hours(1));
  EXPECT_EQ(ErrorReason(Whoami(kept)), "SESSION_EXPIRED");
}

TEST_F(LoginTest, LogoutEndsTheSession) {
  const std::string token = MustLogin("leader", "leader");
  grpc::ClientContext context;
  Authorize(context, token);
  v1::LogoutResponse response;
  ASSERT_TRUE(auth_->Logout(&context, v1::LogoutRequest(), &response).ok());
  EXPECT_EQ(Whoami(token).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CountEvents(v1::SECURITY_EVENT_LOGOUT, "principals/leader"), 1);

  grpc::ClientContext bearer;
  Authorize(bearer, "leader");
  EXPECT_EQ(auth_->Logout(&bearer, v1::LogoutRequest(), &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(LoginTest, PasswordChangeEndsEverySessionOfThePrincipal) {
  const std::string first = MustLogin("leader", "leader");
  const std::string second = MustLogin("leader", "leader");
  const std::string other = MustLogin("inspector", "inspector");
  v1::SetPasswordResponse response;
  ASSERT_TRUE(SetPassword("admin", "principals/leader", "Qiu-ju-2026", "", &response).ok());
  EXPECT_EQ(response.revoked_sessions(), 2);
  EXPECT_EQ(Whoami(first).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Whoami(second).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Whoami(other, "inspector").ok());
  // The dev password is gone with it; the new one works.
  EXPECT_EQ(Login("leader", "leader").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Login("leader", "Qiu-ju-2026").ok());
  const std::vector<v1::SecurityEvent> events = Events("principals/leader");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].kind(), v1::SECURITY_EVENT_LOGIN);  // newest first
  EXPECT_EQ(events[2].kind(), v1::SECURITY_EVENT_PASSWORD_SET);
  EXPECT_EQ(events[2].actor(), "principals/admin");
}

TEST_F(LoginTest, OwnPasswordNeedsTheCurrentOne) {
  // Only an ADMIN sets another's.
  EXPECT_EQ(SetPassword("inspector", "principals/leader", "Qiu-ju-2026").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(BadFields(SetPassword("leader", "principals/leader", "Qiu-ju-2026")),
            std::vector<std::string>{"old_password"});
  EXPECT_EQ(BadFields(SetPassword("leader", "principals/leader", "Qiu-ju-2026", "wrong")),
            std::vector<std::string>{"old_password"});
  ASSERT_TRUE(SetPassword("leader", "principals/leader", "Qiu-ju-2026", "leader").ok());
  EXPECT_TRUE(Login("leader", "Qiu-ju-2026").ok());
}

TEST_F(LoginTest, WeakPasswordsAreRefusedNamingTheField) {
  for (const char* weak : {"short", "my-leader-pw", "\x01\x02\x03\x04\x05\x06\x07\x08"}) {
    const grpc::Status status = SetPassword("admin", "principals/leader", weak);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << weak;
    EXPECT_EQ(BadFields(status), std::vector<std::string>{"password"}) << weak;
  }
  EXPECT_EQ(SetPassword("admin", "principals/nobody", "Qiu-ju-2026").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(CountEvents(v1::SECURITY_EVENT_PASSWORD_SET, ""), 0);
}

TEST_F(LoginTest, AdminListsAndRevokesSessions) {
  const std::string token = MustLogin("leader", "leader");
  MustLogin("inspector", "inspector");
  v1::ListSessionsRequest request;
  request.set_principal("leader");
  v1::ListSessionsResponse sessions;
  grpc::ClientContext list;
  Authorize(list, "admin");
  ASSERT_TRUE(auth_->ListSessions(&list, request, &sessions).ok());
  ASSERT_EQ(sessions.sessions_size(), 1);
  EXPECT_EQ(sessions.sessions(0).principal(), "principals/leader");

  v1::RevokeSessionRequest revoke;
  revoke.set_name(sessions.sessions(0).name());
  v1::RevokeSessionResponse revoked;
  grpc::ClientContext context;
  Authorize(context, "admin");
  ASSERT_TRUE(auth_->RevokeSession(&context, revoke, &revoked).ok());
  EXPECT_EQ(Whoami(token).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext again;
  Authorize(again, "admin");
  EXPECT_EQ(auth_->RevokeSession(&again, revoke, &revoked).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(CountEvents(v1::SECURITY_EVENT_SESSION_REVOKED, "principals/leader"), 1);
}

TEST_F(LoginTest, SecurityEventsArePartOfTheAuditChain) {
  MustLogin("leader", "leader");
  Login("leader", "wrong").ok();
  ASSERT_TRUE(SetPassword("admin", "principals/inspector", "Qiu-ju-2026").ok());
  auto audit = v1::AuditService::NewStub(server_.channel());
  grpc::ClientContext context;
  Authorize(context, "admin");
  v1::AuditReport report;
  ASSERT_TRUE(audit->VerifyAudit(&context, v1::VerifyAuditRequest(), &report).ok());
  EXPECT_TRUE(report.ok()) << report.entry() << ": " << report.problem();
  // And they survive a restart, numbered on.
  server_.Restart();
  auth_ = v1::AuthService::NewStub(server_.channel());
  client_ = RpcClient(server_);
  MustLogin("leader", "leader");
  const std::vector<v1::SecurityEvent> events = Events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].name(), "securityEvents/4");
  EXPECT_EQ(events[3].name(), "securityEvents/1");
}

}  // namespace
}  // namespace duban::testing
