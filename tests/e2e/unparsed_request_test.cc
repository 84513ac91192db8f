// Requests that gRPC cannot parse: the walker that names the field, and the
// edge that answers with it (server/edge/parse_checked_service.h).
#include "server/edge/unparsed_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "duban/v1/event_service.pb.h"
#include "duban/v1/ticket_service.pb.h"
#include "tests/e2e/raw_call.h"
#include "tests/support/test_server.h"

namespace duban {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

constexpr char kNotUtf8[] = "\xE6\xB1";  // 汉, cut short

const google::protobuf::Descriptor& CreateRequestType() {
  return *v1::CreateTicketRequest::descriptor();
}

TEST(FirstNonUtf8FieldTest, NamesANestedFieldByItsPath) {
  v1::CreateTicketRequest request;
  request.set_request_id("r-1");
  request.mutable_ticket()->set_title(absl::StrCat("防返贫", kNotUtf8));
  EXPECT_THAT(FirstNonUtf8Field(CreateRequestType(), request.SerializeAsString()),
              Optional(std::string("ticket.title")));
}

TEST(FirstNonUtf8FieldTest, IndexesARepeatedField) {
  v1::CreateTicketRequest request;
  request.mutable_ticket()->add_evidence("通知.pdf");
  request.mutable_ticket()->add_evidence(kNotUtf8);
  EXPECT_THAT(FirstNonUtf8Field(CreateRequestType(), request.SerializeAsString()),
              Optional(std::string("ticket.evidence[1]")));
}

TEST(FirstNonUtf8FieldTest, NamesTheFirstOfSeveral) {
  v1::CreateTicketRequest request;
  request.set_request_id(kNotUtf8);
  request.mutable_ticket()->set_title(kNotUtf8);
  EXPECT_THAT(FirstNonUtf8Field(CreateRequestType(), request.SerializeAsString()),
              Optional(std::string("ticket.title")));  // field 1 before field 2
}

TEST(FirstNonUtf8FieldTest, FindsNothingInAValidRequest) {
  v1::CreateTicketRequest request;
  request.set_request_id("r-1");
  request.mutable_ticket()->set_title("防返贫排查");
  EXPECT_EQ(FirstNonUtf8Field(CreateRequestType(), request.SerializeAsString()), std::nullopt);
}

TEST(FirstNonUtf8FieldTest, IgnoresBytesFieldsAndUnknownFields) {
  // Field 1000, unknown to the request, holding bytes that are not UTF-8.
  const std::string unknown = absl::StrCat("\xC2\x3E\x02", kNotUtf8);
  EXPECT_EQ(FirstNonUtf8Field(CreateRequestType(), unknown), std::nullopt);
}

TEST(ExplainUnparsedRequestTest, SaysWhenTheBytesAreNoMessageAtAll) {
  const absl::Status status = ExplainUnparsedRequest(CreateRequestType(), "\x0a\xff\x01");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("not a well-formed duban.v1.CreateTicketRequest"));
}

TEST(ExplainUnparsedRequestTest, NamesTheField) {
  v1::CreateTicketRequest request;
  request.mutable_ticket()->set_detail(kNotUtf8);
  const absl::Status status =
      ExplainUnparsedRequest(CreateRequestType(), request.SerializeAsString());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("ticket.detail"));
}

class UnparsedRequestEdgeTest : public ::testing::Test {
 protected:
  testing::TestServer server_{/*scheduler=*/false};
};

TEST_F(UnparsedRequestEdgeTest, MalformedBytesAreInvalidArgument) {
  const testing::RawReply reply = testing::RawCall(
      server_.channel(), "duban.v1.TicketService/CreateTicket", "leader", "\x0a\xff\x01");
  EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(reply.status.error_message(), HasSubstr("duban.v1.CreateTicketRequest"));
}

TEST_F(UnparsedRequestEdgeTest, AStreamingMethodIsCheckedToo) {
  const testing::RawReply reply =
      testing::RawCall(server_.channel(), "duban.v1.EventService/WatchEvents", "leader",
                       "\x0a\xff\x01", /*stream=*/true);
  EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(reply.status.error_message(), HasSubstr("duban.v1.WatchEventsRequest"));
}

TEST_F(UnparsedRequestEdgeTest, ARequestThatParsesStillNeedsAToken) {
  v1::GetTicketRequest request;
  request.set_name("tickets/1");
  const testing::RawReply reply = testing::RawCall(
      server_.channel(), "duban.v1.TicketService/GetTicket", "", request.SerializeAsString());
  EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace duban
