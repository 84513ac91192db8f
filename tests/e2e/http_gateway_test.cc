// The HTTP gateway (server/edge/http_gateway.h) against a real duband: every
// method of every duban.v1 service reached over HTTP, answered as over gRPC;
// the Connect protocol's JSON, errors and streams; the limits, the security
// headers, CORS and the console's files.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/raw_call.h"
#include "tests/e2e/rpc_client.h"
#include "tests/support/scratch_dir.h"

#ifndef DUBAN_SERVICE_DESCRIPTORS
#error "DUBAN_SERVICE_DESCRIPTORS: the descriptor set tests/e2e/CMakeLists.txt makes"
#endif

namespace duban::testing {
namespace {

void WithGateway(ServerOptions& options) { options.http_listen = "127.0.0.1:0"; }

// Sends `request` as it is on a new connection and returns all that comes
// back until the server closes it.
std::string RawExchange(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return "";
  }
  // The server may answer and close before taking it all.
  (void)send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string answer;
  char buffer[4096];
  for (ssize_t got; (got = recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, got);
  close(fd);
  return answer;
}

class HttpGatewayTest : public ::testing::Test {
 protected:
  int port() { return server_.server().http_port(); }
  TestServer server_{WithGateway, /*scheduler=*/true};
};

// Every method declared in proto/duban/v1/*_service.proto, from the
// descriptor set protoc wrote at build time: "duban.v1.TicketService/GetTicket".
std::vector<std::pair<std::string, bool>> DeclaredMethods() {
  google::protobuf::FileDescriptorSet files;
  std::ifstream in(DUBAN_SERVICE_DESCRIPTORS, std::ios::binary);
  EXPECT_TRUE(files.ParseFromIstream(&in));
  std::vector<std::pair<std::string, bool>> methods;
  for (const auto& file : files.file()) {
    if (!absl::StartsWith(file.package(), "duban.v1")) continue;
    for (const auto& service : file.service()) {
      for (const auto& method : service.method()) {
        // A client stream (a replica's) is for gRPC only: see below.
        if (method.client_streaming()) continue;
        methods.emplace_back(absl::StrCat(file.package(), ".", service.name(), "/", method.name()),
                             method.server_streaming());
      }
    }
  }
  return methods;
}

TEST_F(HttpGatewayTest, EveryMethodAnswersOverHttpAsOverGrpc) {
  const auto methods = DeclaredMethods();
  ASSERT_GT(methods.size(), 60u);
  for (const auto& [method, streaming] : methods) {
    SCOPED_TRACE(method);
    // An empty request, as ADMIN: each method answers it somehow, the same
    // way over both doors.
    const RawReply grpc_reply =
        RawCall(server_.channel(), method, "admin", "", streaming, absl::Seconds(1));
    if (streaming) {
      const HttpReply reply = PostStream(port(), "/" + method, "admin", "{}",
                                         {{"Connect-Timeout-Ms", "1000"}});
      ASSERT_EQ(reply.status, 200);
      EXPECT_EQ(reply.content_type, "application/connect+json");
      const std::vector<Frame> frames = SplitEnvelopes(reply.body);
      ASSERT_FALSE(frames.empty());
      EXPECT_EQ(frames.back().flags, 0x02);
      continue;
    }
    const HttpReply reply = PostJson(port(), "/" + method, "admin", "{}");
    ASSERT_NE(reply.status, 0) << "no answer";
    EXPECT_EQ(reply.content_type, "application/json");
    if (grpc_reply.status.ok()) {
      EXPECT_EQ(reply.status, 200) << reply.body;
      continue;
    }
    const ConnectError error = ParseConnectError(reply.body);
    EXPECT_NE(error.code, "unimplemented") << reply.body;
    EXPECT_EQ(error.message, grpc_reply.status.error_message());
    const ConnectError expected_code = ParseConnectError(
        absl::StrCat("{\"code\":\"", error.code, "\"}"));  // the code is a string
    EXPECT_EQ(expected_code.code, error.code);
    EXPECT_EQ(reply.status == 400 || reply.status == 403 || reply.status == 404 ||
                  reply.status == 409 || reply.status == 401,
              true)
        << reply.status << " " << reply.body;
  }
}

TEST_F(HttpGatewayTest, ClientStreamsAreForGrpcOnly) {
  const HttpReply reply =
      PostJson(port(), "/duban.v1.ReplicationService/StreamWal", "replica", "{}");
  EXPECT_EQ(reply.status, 404);
  const ConnectError error = ParseConnectError(reply.body);
  EXPECT_EQ(error.code, "unimplemented");
  EXPECT_NE(error.message.find("call it over gRPC"), std::string::npos) << error.message;
}

TEST_F(HttpGatewayTest, UnaryJsonIsProto3Json) {
  RpcClient client(server_);
  const std::string created = ToJson(DeployRequest(server_.clock().Now()));
  const HttpReply reply =
      PostJson(port(), "/duban.v1.TicketService/CreateTicket", "leader", created);
  ASSERT_EQ(reply.status, 200) << reply.body;
  v1::Ticket ticket;
  ASSERT_TRUE(FromJson(reply.body, ticket)) << reply.body;
  EXPECT_TRUE(absl::StrContains(reply.body, "\"leadUnit\"")) << reply.body;  // lowerCamelCase
  // The same ticket, read over gRPC.
  EXPECT_EQ(client.MustGet("leader", ticket.name()).etag(), ticket.etag());

  const HttpReply got = PostJson(port(), "/duban.v1.TicketService/GetTicket", "leader",
                                 absl::StrCat(R"({"name":")", ticket.name(), R"(","unknownField":1})"));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Header("Cache-Control"), "no-store");
  v1::Ticket read;
  ASSERT_TRUE(FromJson(got.body, read));
  EXPECT_EQ(read.name(), ticket.name());

  // Protobuf bodies too.
  v1::GetTicketRequest request;
  request.set_name(ticket.name());
  const HttpReply binary = Post(port(), "/duban.v1.TicketService/GetTicket", "leader",
                                request.SerializeAsString(), "application/proto");
  ASSERT_EQ(binary.status, 200);
  EXPECT_EQ(binary.content_type, "application/proto");
  v1::Ticket parsed;
  ASSERT_TRUE(parsed.ParseFromString(binary.body));
  EXPECT_EQ(parsed.name(), ticket.name());
}

TEST_F(HttpGatewayTest, ErrorsCarryTheConnectCodeStatusAndDetails) {
  const std::string get = "/duban.v1.TicketService/GetTicket";
  HttpReply reply = PostJson(port(), get, "leader", R"({"name":"tickets/x"})");
  EXPECT_EQ(reply.status, 400);
  ConnectError error = ParseConnectError(reply.body);
  EXPECT_EQ(error.code, "invalid_argument");
  EXPECT_EQ(error.bad_fields, std::vector<std::string>{"name"});
  EXPECT_EQ(error.reason, "INVALID_FIELD");

  reply = PostJson(port(), get, "leader", R"({"name":"tickets/999"})");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(ParseConnectError(reply.body).code, "not_found");

  reply = PostJson(port(), get, "", R"({"name":"tickets/1"})");
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(ParseConnectError(reply.body).reason, "MISSING_TOKEN");

  reply = PostJson(port(), "/duban.v1.AdminService/GetServerHealth", "leader", "{}");
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(ParseConnectError(reply.body).code, "permission_denied");

  reply = PostJson(port(), get, "leader", R"({"name": )");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(ParseConnectError(reply.body).code, "invalid_argument");

  reply = PostJson(port(), "/duban.v1.TicketService/NoSuchMethod", "leader", "{}");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(ParseConnectError(reply.body).code, "unimplemented");
  reply = PostJson(port(), "/duban.v1.NoService/GetTicket", "leader", "{}");
  EXPECT_EQ(reply.status, 404);

  reply = Post(port(), get, "leader", R"({"name":"tickets/1"})", "text/plain");
  EXPECT_EQ(reply.status, 415);

  reply = Get(port(), get);
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.Header("Allow"), "POST");

  reply = Post(port(), get, "leader", R"({"name":"tickets/1"})", "application/json",
               {{"Connect-Timeout-Ms", "soon"}});
  EXPECT_EQ(reply.status, 400);
  EXPECT_TRUE(absl::StrContains(ParseConnectError(reply.body).message, "Connect-Timeout-Ms"));

  // Bytes gRPC would not take as metadata are refused here, and the server
  // stays up.
  const std::string odd = RawExchange(
      port(), absl::StrCat("POST ", get, " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \x01\xe7\x9d\xa3\r\n"
                           "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"));
  EXPECT_TRUE(absl::StartsWith(odd, "HTTP/1.1 401")) << odd;
  EXPECT_EQ(PostJson(port(), get, "leader", R"({"name":"tickets/999"})").status, 404);

  // Nothing was written by any of these.
  RpcClient client(server_);
  v1::ListTicketsResponse tickets;
  ASSERT_TRUE(client.Call("leader", &Tickets::ListTickets, v1::ListTicketsRequest(), &tickets).ok());
  EXPECT_EQ(tickets.tickets_size(), 0);
}

TEST_F(HttpGatewayTest, StreamSendsEventsThenEndsCleanly) {
  RpcClient client(server_);
  for (int i = 0; i < 3; ++i) client.MustCreate("leader", DeployRequest(server_.clock().Now()));
  const HttpReply reply =
      PostStream(port(), "/duban.v1.EventService/WatchEvents", "leader", R"({"untilCaughtUp":true})");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "application/connect+json");
  const std::vector<Frame> frames = SplitEnvelopes(reply.body);
  ASSERT_GE(frames.size(), 4u);
  for (size_t i = 0; i + 1 < frames.size(); ++i) {
    EXPECT_EQ(frames[i].flags, 0);
    v1::StreamEvent event;
    ASSERT_TRUE(FromJson(frames[i].payload, event)) << frames[i].payload;
    EXPECT_GT(event.cursor(), 0);
    // int64 as a string.
    EXPECT_TRUE(absl::StrContains(frames[i].payload, absl::StrCat("\"cursor\":\"", event.cursor())))
        << frames[i].payload;
  }
  EXPECT_EQ(frames.back().flags, 0x02);
  EXPECT_EQ(frames.back().payload, "{}");
}

TEST_F(HttpGatewayTest, StreamErrorsComeInTheEndMessage) {
  const HttpReply reply =
      PostStream(port(), "/duban.v1.EventService/WatchEvents", "nongye", R"({"afterCursor":"-1"})");
  ASSERT_EQ(reply.status, 200);
  const std::vector<Frame> frames = SplitEnvelopes(reply.body);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].flags, 0x02);
  const google::protobuf::Struct end = ParseJson(frames[0].payload);
  ASSERT_TRUE(end.fields().count("error")) << frames[0].payload;
  EXPECT_EQ(ParseConnectError(ToJson(end.fields().at("error").struct_value())).code,
            "invalid_argument");
}

TEST_F(HttpGatewayTest, StreamEndsWhenTheServerShutsDown) {
  RpcClient client(server_);
  client.MustCreate("leader", DeployRequest(server_.clock().Now()));
  std::string received;
  Notification first_event;
  httplib::Client http("127.0.0.1", port());
  http.set_read_timeout(30, 0);
  std::thread watcher([&] {
    std::string envelope(1, '\0');
    envelope += std::string("\0\0\0\x02", 4) + "{}";
    httplib::Request request;
    request.method = "POST";
    request.path = "/duban.v1.EventService/WatchEvents";
    request.headers = {{"Authorization", "Bearer leader"},
                       {"Content-Type", "application/connect+json"}};
    request.body = envelope;
    request.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
      received.append(data, size);
      if (!first_event.HasBeenNotified() && !SplitEnvelopes(received).empty()) {
        first_event.Notify();
      }
      return true;
    };
    httplib::Response response;
    httplib::Error error;
    http.send(request, response, error);
  });
  first_event.WaitForNotification();
  server_.Stop();
  watcher.join();
  const std::vector<Frame> frames = SplitEnvelopes(received);
  ASSERT_GE(frames.size(), 2u);
  EXPECT_EQ(frames.back().flags, 0x02);
  const google::protobuf::Struct end = ParseJson(frames.back().payload);
  ASSERT_TRUE(end.fields().count("error")) << frames.back().payload;
  EXPECT_EQ(ParseConnectError(ToJson(end.fields().at("error").struct_value())).code,
            "unavailable");
}

TEST_F(HttpGatewayTest, LimitsOnBodyAndHeaders) {
  const std::string get = "/duban.v1.TicketService/GetTicket";
  // A declared body over the limit is refused before it is read.
  const std::string answer = RawExchange(
      port(), absl::StrCat("POST ", get, " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: ", 2 << 20, "\r\nConnection: close\r\n\r\n{"));
  EXPECT_TRUE(absl::StartsWith(answer, "HTTP/1.1 413")) << answer;
  EXPECT_TRUE(absl::StrContains(answer, R"("code":"resource_exhausted")")) << answer;
  // One sent in chunks is read through, dropped past the limit, and refused
  // the same way; the connection stays in step (the answer is one reply).
  const std::string chunk(64 << 10, 'x');
  std::string chunked = absl::StrCat("POST ", get, " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                     "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  for (int i = 0; i < 20; ++i) absl::StrAppend(&chunked, absl::Hex(chunk.size()), "\r\n", chunk, "\r\n");
  absl::StrAppend(&chunked, "0\r\n\r\n");
  const std::string cut = RawExchange(port(), chunked);
  EXPECT_TRUE(absl::StartsWith(cut, "HTTP/1.1 413")) << cut.substr(0, 300);
  EXPECT_TRUE(absl::StrContains(cut, R"("code":"resource_exhausted")")) << cut.substr(0, 300);
  EXPECT_EQ(cut.find("HTTP/1.1", 1), std::string::npos) << cut.substr(0, 600);
  // A body that says neither how long it is nor that it comes in chunks
  // is refused before anything is read.
  const std::string unsized = RawExchange(
      port(), absl::StrCat("POST ", get, " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Connection: close\r\n\r\n{}"));
  EXPECT_TRUE(absl::StartsWith(unsized, "HTTP/1.1 411")) << unsized;
  HttpReply reply;

  httplib::Headers many;
  for (int i = 0; i < kMaxHeaders + 1; ++i) many.emplace(absl::StrCat("X-Extra-", i), "1");
  reply = Post(port(), get, "leader", R"({"name":"tickets/1"})", "application/json", many);
  EXPECT_EQ(reply.status, 431);

  httplib::Headers long_line = {{"X-Long", std::string(10000, 'a')}};
  reply = Post(port(), get, "leader", R"({"name":"tickets/1"})", "application/json", long_line);
  EXPECT_NE(reply.status, 200);
}

// A client that starts a request and stops sending is dropped after the
// timeout, and so is one that says nothing at all: neither keeps a thread.
TEST(HttpGatewaySlowClientTest, ASilentClientIsDropped) {
  TestServer server(
      [](ServerOptions& options) {
        options.http_listen = "127.0.0.1:0";
        options.http_io_timeout = absl::Seconds(1);
        options.http_keep_alive = absl::Seconds(1);
      },
      /*scheduler=*/true);
  const int port = server.server().http_port();
  // Half a request line, then nothing: the server closes the connection
  // (RawExchange returns when it does).
  const std::string half = RawExchange(port, "POST /duban.v1.TicketService/GetTi");
  EXPECT_FALSE(absl::StartsWith(half, "HTTP/1.1 200")) << half;
  // Headers promising a body that never comes.
  const std::string no_body = RawExchange(
      port, "POST /duban.v1.TicketService/GetTicket HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
  EXPECT_FALSE(absl::StartsWith(no_body, "HTTP/1.1 200")) << no_body;
  // The server still answers.
  EXPECT_EQ(PostJson(port, "/duban.v1.CalendarService/GetCalendarStatus", "leader", "{}").status,
            200);
}

TEST(HttpGatewayStreamsTest, OneStreamTooManyIsRefusedAtOnce) {
  TestServer server([](ServerOptions& options) {
    options.http_listen = "127.0.0.1:0";
    options.max_http_streams = 1;
  }, /*scheduler=*/true);
  const int port = server.server().http_port();
  std::string received;
  Notification opened;
  httplib::Client http("127.0.0.1", port);
  std::thread holder([&] {
    httplib::Request request;
    request.method = "POST";
    request.path = "/duban.v1.EventService/WatchEvents";
    request.headers = {{"Authorization", "Bearer leader"},
                       {"Content-Type", "application/connect+json"},
                       {"Connect-Timeout-Ms", "30000"}};
    request.body = std::string("\0\0\0\0\x02", 5) + "{}";
    // The stream is open once its status line has come.
    request.response_handler = [&](const httplib::Response&) {
      opened.Notify();
      return true;
    };
    request.content_receiver = [&](const char*, size_t, uint64_t, uint64_t) { return true; };
    httplib::Response response;
    httplib::Error error;
    http.send(request, response, error);
  });
  opened.WaitForNotification();
  const HttpReply refused = PostStream(port, "/duban.v1.EventService/WatchEvents", "leader", "{}");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(ParseConnectError(refused.body).code, "resource_exhausted");
  // Unary calls still pass.
  EXPECT_EQ(PostJson(port, "/duban.v1.CalendarService/GetCalendarStatus", "leader", "{}").status,
            200);
  server.Stop();
  holder.join();
}

TEST_F(HttpGatewayTest, SecurityHeadersOnEveryReplyAndNoCorsByDefault) {
  for (const HttpReply& reply :
       {PostJson(port(), "/duban.v1.CalendarService/GetCalendarStatus", "leader", "{}"),
        PostJson(port(), "/duban.v1.TicketService/GetTicket", "", "{}"), Get(port(), "/")}) {
    EXPECT_TRUE(absl::StrContains(reply.Header("Content-Security-Policy"), "default-src 'self'"));
    EXPECT_EQ(reply.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(reply.Header("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(reply.Header("X-Frame-Options"), "DENY");
  }
  httplib::Client http("127.0.0.1", port());
  auto preflight = http.Options("/duban.v1.TicketService/GetTicket",
                                {{"Origin", "https://elsewhere.example"},
                                 {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 403);
  EXPECT_FALSE(preflight->has_header("Access-Control-Allow-Origin"));
}

TEST(HttpGatewayCorsTest, AllowedOriginsOnly) {
  TestServer server([](ServerOptions& options) {
    options.http_listen = "127.0.0.1:0";
    options.cors_origins = {"https://portal.example.gov.cn"};
  }, /*scheduler=*/true);
  httplib::Client http("127.0.0.1", server.server().http_port());
  auto allowed = http.Options("/duban.v1.TicketService/GetTicket",
                              {{"Origin", "https://portal.example.gov.cn"},
                               {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 204);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"),
            "https://portal.example.gov.cn");
  EXPECT_TRUE(absl::StrContains(allowed->get_header_value("Access-Control-Allow-Headers"),
                                "Authorization"));
  auto other = http.Options("/duban.v1.TicketService/GetTicket",
                            {{"Origin", "https://evil.example"}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403);
  const HttpReply call = Post(server.server().http_port(), "/duban.v1.CalendarService/GetCalendarStatus",
                              "leader", "{}", "application/json",
                              {{"Origin", "https://portal.example.gov.cn"}});
  EXPECT_EQ(call.status, 200);
  EXPECT_EQ(call.Header("Access-Control-Allow-Origin"), "https://portal.example.gov.cn");
}

TEST(HttpGatewayConsoleTest, ServesFilesWithTypesCachingAndRouteFallback) {
  ScratchDir console;
  std::filesystem::create_directories(console.path() + "/assets");
  std::ofstream(console.path() + "/index.html") << "<!doctype html><title>督办</title>";
  std::ofstream(console.path() + "/assets/app-1a2b.js") << "console.log(1)";
  std::ofstream(console.path() + "/favicon.ico") << "ico";
  TestServer server([&](ServerOptions& options) {
    options.http_listen = "127.0.0.1:0";
    options.console_dir = console.path();
  }, /*scheduler=*/true);
  const int port = server.server().http_port();
  HttpReply reply = Get(port, "/");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(reply.Header("Cache-Control"), "no-cache");
  EXPECT_TRUE(absl::StrContains(reply.body, "督办"));
  const std::string etag = reply.Header("ETag");
  EXPECT_FALSE(etag.empty());
  EXPECT_EQ(Get(port, "/", {{"If-None-Match", etag}}).status, 304);

  reply = Get(port, "/assets/app-1a2b.js");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(reply.Header("Cache-Control"), "public, max-age=31536000, immutable");

  reply = Get(port, "/tickets/42");  // a route of the console
  EXPECT_EQ(reply.status, 200);
  EXPECT_TRUE(absl::StrContains(reply.body, "督办"));

  EXPECT_EQ(Get(port, "/missing.png").status, 404);
  EXPECT_EQ(Get(port, "/assets/missing").status, 404);
  EXPECT_EQ(Get(port, "/assets/../../../etc/passwd").status, 404);
  EXPECT_EQ(Get(port, "/favicon.ico").content_type, "image/x-icon");
}

}  // namespace
}  // namespace duban::testing
