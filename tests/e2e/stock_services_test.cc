// The stock gRPC services a generic client relies on: health checking
// (grpc.health.v1) and server reflection. The messages are hand-encoded so
// the test needs nothing but the wire format.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "tests/support/test_server.h"

namespace duban::testing {
namespace {

std::string LengthDelimited(int field, const std::string& bytes) {
  std::string out(1, static_cast<char>((field << 3) | 2));
  out.push_back(static_cast<char>(bytes.size()));  // all our strings are < 128 bytes
  return out + bytes;
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// Calls grpc.health.v1.Health/Check for `service` on `channel`; returns the
// response bytes.
std::string HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                        grpc::Status* status) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  grpc::ByteBuffer request = ToBuffer(LengthDelimited(1, service));
  auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check", request, &queue);
  call->StartCall();
  grpc::ByteBuffer response;
  call->Finish(&response, status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  EXPECT_TRUE(queue.Next(&tag, &ok));
  EXPECT_TRUE(ok);
  return status->ok() ? FromBuffer(response) : "";
}

TEST(StockServicesTest, HealthReportsServingForEachService) {
  TestServer server;
  for (const char* service : {"", "duban.v1.TicketService", "duban.v1.DirectoryService"}) {
    grpc::Status status;
    const std::string response = HealthCheck(server.channel(), service, &status);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response, std::string("\x08\x01", 2)) << service;  // status: SERVING
  }
  grpc::Status unknown;
  HealthCheck(server.channel(), "duban.v1.NoSuchService", &unknown);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST(StockServicesTest, AHealthOnlyPortAnswersProbesAndNothingElse) {
  TestServer server(std::function<void(ServerOptions&)>(
      [](ServerOptions& options) { options.health_listen = "127.0.0.1:0"; }));
  ASSERT_NE(server.server().health_port(), 0);
  std::shared_ptr<grpc::Channel> health = grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", server.server().health_port()),
      grpc::InsecureChannelCredentials());
  for (const char* service : {"", "duban.v1.TicketService"}) {
    grpc::Status status;
    EXPECT_EQ(HealthCheck(health, service, &status), std::string("\x08\x01", 2)) << service;
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  auto tickets = v1::TicketService::NewStub(health);
  grpc::ClientContext context;
  Authorize(context, "leader");
  v1::GetTicketRequest request;
  request.set_name("tickets/1");
  v1::Ticket ticket;
  EXPECT_EQ(tickets->GetTicket(&context, request, &ticket).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST(StockServicesTest, ReflectionListsTheServices) {
  TestServer server;
  grpc::GenericStub stub(server.channel());
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  auto stream = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  void* tag = nullptr;
  bool ok = false;
  auto await = [&](intptr_t expected) {
    ASSERT_TRUE(queue.Next(&tag, &ok));
    ASSERT_TRUE(ok);
    ASSERT_EQ(reinterpret_cast<intptr_t>(tag), expected);
  };
  stream->StartCall(reinterpret_cast<void*>(1));
  ASSERT_NO_FATAL_FAILURE(await(1));
  stream->Write(ToBuffer(LengthDelimited(7, "")), reinterpret_cast<void*>(2));  // list_services
  ASSERT_NO_FATAL_FAILURE(await(2));
  grpc::ByteBuffer response;
  stream->Read(&response, reinterpret_cast<void*>(3));
  ASSERT_NO_FATAL_FAILURE(await(3));
  const std::string bytes = FromBuffer(response);
  EXPECT_NE(bytes.find("duban.v1.TicketService"), std::string::npos);
  EXPECT_NE(bytes.find("duban.v1.DirectoryService"), std::string::npos);
  stream->WritesDone(reinterpret_cast<void*>(4));
  ASSERT_NO_FATAL_FAILURE(await(4));
  grpc::Status status;
  stream->Finish(&status, reinterpret_cast<void*>(5));
  ASSERT_NO_FATAL_FAILURE(await(5));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace duban::testing
