// Transport security: TLS with bearer tokens, mutual TLS where the client
// certificate names the principal, revocation, and plaintext on loopback
// only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/text_file.h"
#include "server/edge/http_gateway.h"
#include "server/edge/transport_security.h"
#include "tests/e2e/rpc_client.h"
#include "tests/support/test_certificates.h"

namespace duban::testing {
namespace {

std::string Pem(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

class TlsTest : public ::testing::Test {
 protected:
  TlsTest() : pki_(scratch_.path()) {}

  // A server with TLS, configured further by `more`.
  std::unique_ptr<TestServer> Serve(std::function<void(TlsFiles&)> more = nullptr) {
    return std::make_unique<TestServer>([this, more](ServerOptions& options) {
      options.tls = {.cert = pki_.server_cert(), .key = pki_.server_key()};
      if (more) more(options.tls);
    });
  }

  // Lists tickets over a fresh channel: with TLS when `tls`, presenting
  // `client` (if any) and the bearer `token` (if any).
  grpc::Status ListTickets(const TestServer& server, bool tls, const ClientIdentity* client,
                           const std::string& token) {
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (tls) {
      grpc::SslCredentialsOptions options{.pem_root_certs = Pem(pki_.ca_cert())};
      if (client != nullptr) {
        options.pem_private_key = Pem(client->key);
        options.pem_cert_chain = Pem(client->cert);
      }
      credentials = grpc::SslCredentials(options);
    }
    auto stub = v1::TicketService::NewStub(grpc::CreateChannel(server.address(), credentials));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (!token.empty()) Authorize(context, token);
    v1::ListTicketsRequest request;
    v1::ListTicketsResponse response;
    return stub->ListTickets(&context, request, &response);
  }

  // Deploys a task as whoever the certificate (and token) say.
  grpc::Status Deploy(TestServer& server, const ClientIdentity& client,
                      const std::string& token) {
    grpc::SslCredentialsOptions options{.pem_root_certs = Pem(pki_.ca_cert()),
                                        .pem_private_key = Pem(client.key),
                                        .pem_cert_chain = Pem(client.cert)};
    auto stub = v1::TicketService::NewStub(
        grpc::CreateChannel(server.address(), grpc::SslCredentials(options)));
    grpc::ClientContext context;
    if (!token.empty()) Authorize(context, token);
    v1::Ticket ticket;
    return stub->CreateTicket(&context, DeployRequest(server.clock().Now()), &ticket);
  }

  ScratchDir scratch_;
  TestCertificates pki_;
};

TEST_F(TlsTest, BearerTokensWorkOverTlsAndPlaintextIsRefused) {
  std::unique_ptr<TestServer> server = Serve();
  EXPECT_TRUE(ListTickets(*server, true, nullptr, "leader").ok());
  EXPECT_EQ(ListTickets(*server, true, nullptr, "").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ListTickets(*server, false, nullptr, "leader").error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, AClientCertificateNamesThePrincipal) {
  std::unique_ptr<TestServer> server =
      Serve([this](TlsFiles& tls) { tls.client_ca = pki_.ca_cert(); });
  const ClientIdentity leader = pki_.Client("leader");
  const ClientIdentity staff = pki_.Client("nongye");
  EXPECT_TRUE(Deploy(*server, leader, "").ok());
  grpc::Status refused = Deploy(*server, staff, "");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED) << refused.error_message();
  // A bearer token, when sent, decides.
  EXPECT_TRUE(Deploy(*server, staff, "leader").ok());
  // Certificates stay optional: a token alone still works.
  EXPECT_TRUE(ListTickets(*server, true, nullptr, "leader").ok());
}

TEST_F(TlsTest, ACertificateOfNoPrincipalIsUnauthenticated) {
  std::unique_ptr<TestServer> server =
      Serve([this](TlsFiles& tls) { tls.client_ca = pki_.ca_cert(); });
  const ClientIdentity nobody = pki_.Client("nobody");
  grpc::Status status = ListTickets(*server, true, &nobody, "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorReason(status), "UNKNOWN_CERTIFICATE");
}

TEST_F(TlsTest, ACertificateFromAnotherCaFailsTheHandshake) {
  std::unique_ptr<TestServer> server =
      Serve([this](TlsFiles& tls) { tls.client_ca = pki_.ca_cert(); });
  const ClientIdentity forged = pki_.Client("leader", /*trusted=*/false);
  EXPECT_EQ(ListTickets(*server, true, &forged, "").error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, RequiredClientCertificatesShutOutTokenOnlyClients) {
  std::unique_ptr<TestServer> server = Serve([this](TlsFiles& tls) {
    tls.client_ca = pki_.ca_cert();
    tls.require_client_cert = true;
  });
  const ClientIdentity leader = pki_.Client("leader");
  EXPECT_EQ(ListTickets(*server, true, nullptr, "leader").error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(ListTickets(*server, true, &leader, "").ok());
}

TEST_F(TlsTest, ARevokedCertificateIsRefused) {
  const ClientIdentity leader = pki_.Client("leader");
  const ClientIdentity revoked = pki_.Client("inspector");
  const std::string crl_dir = pki_.Revoke(revoked);
  std::unique_ptr<TestServer> server = Serve([&](TlsFiles& tls) {
    tls.client_ca = pki_.ca_cert();
    tls.crl_dir = crl_dir;
  });
  EXPECT_TRUE(ListTickets(*server, true, &leader, "").ok());
  EXPECT_EQ(ListTickets(*server, true, &revoked, "").error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(TransportSecurityTest, PlaintextIsForLoopbackUnlessInsecureIsGiven) {
  EXPECT_TRUE(ServerCredentialsFor({}, "127.0.0.1:7420", false).ok());
  EXPECT_TRUE(ServerCredentialsFor({}, "[::1]:7420", false).ok());
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> refused =
      ServerCredentialsFor({}, "0.0.0.0:7420", false);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("--insecure"));
  EXPECT_TRUE(ServerCredentialsFor({}, "0.0.0.0:7420", true).ok());

  ServerOptions options;
  options.listen = "0.0.0.0:0";
  ScratchDir scratch;
  options.data_dir = scratch.path();
  EXPECT_EQ(DubanServer::Start(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TransportSecurityTest, HalfAConfigurationIsRefused) {
  EXPECT_EQ(ServerCredentialsFor({.cert = "/x.pem"}, "127.0.0.1:0", false).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ServerCredentialsFor({.client_ca = "/ca.pem"}, "127.0.0.1:0", false).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ServerCredentialsFor({.cert = "/missing.pem", .key = "/missing.key"}, "127.0.0.1:0", false)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

// The HTTP gateway speaks HTTPS with the gRPC port's certificate flags.
TEST_F(TlsTest, TheHttpGatewayServesHttpsWithTheSameCertificate) {
  std::unique_ptr<TestServer> server = std::make_unique<TestServer>(
      [this](ServerOptions& options) {
        options.tls = {.cert = pki_.server_cert(), .key = pki_.server_key()};
        options.http_listen = "127.0.0.1:0";
      },
      /*scheduler=*/true);
  const int port = server->server().http_port();
  httplib::SSLClient https("127.0.0.1", port);
  https.set_ca_cert_path(pki_.ca_cert().c_str());
  https.enable_server_certificate_verification(true);
  auto reply = https.Post("/duban.v1.CalendarService/GetCalendarStatus",
                          {{"Authorization", "Bearer leader"}}, "{}", "application/json");
  ASSERT_TRUE(reply) << httplib::to_string(reply.error());
  EXPECT_EQ(reply->status, 200) << reply->body;
  EXPECT_EQ(reply->get_header_value("Strict-Transport-Security"), "max-age=31536000");
  // Plaintext on the HTTPS port gets no answer.
  httplib::Client plain("127.0.0.1", port);
  plain.set_read_timeout(5, 0);
  auto plain_reply = plain.Post("/duban.v1.CalendarService/GetCalendarStatus",
                                {{"Authorization", "Bearer leader"}}, "{}", "application/json");
  EXPECT_TRUE(!plain_reply || plain_reply->status != 200);
}

// --dev's well-known tokens and passwords stay on loopback: on both ports.
TEST(HttpGatewayStartTest, DevRefusesAnHttpPortOffLoopback) {
  ScratchDir scratch;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.http_listen = "0.0.0.0:0";
  options.insecure = true;
  options.dev = true;
  options.data_dir = scratch.path() + "/data";
  absl::StatusOr<std::unique_ptr<DubanServer>> server = DubanServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(server.status().message()), ::testing::HasSubstr("--http_listen"));
}

// Plaintext HTTP off loopback is refused at start-up, as for gRPC.
TEST(HttpGatewayStartTest, PlaintextOffLoopbackIsRefused) {
  HttpGatewayOptions options;
  options.listen = "0.0.0.0:0";
  absl::StatusOr<std::unique_ptr<HttpGateway>> gateway = HttpGateway::Start(options, nullptr);
  ASSERT_FALSE(gateway.ok());
  EXPECT_EQ(gateway.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(gateway.status().message()), ::testing::HasSubstr("--http_listen"));
}

}  // namespace
}  // namespace duban::testing
