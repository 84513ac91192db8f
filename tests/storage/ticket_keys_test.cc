// Ticket and event keys and record framing (storage/ticket_keys.h, storage/record.h).
#include "storage/big_endian.h"
#include "storage/record.h"
#include "storage/ticket_keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "duban/v1/ticket.pb.h"

namespace duban::storage {
namespace {

constexpr uint64_t kSamples[] = {0,
                                 1,
                                 0xFF,
                                 0x100,
                                 0xFFFF,
                                 0x1234567890ABCDEFULL,
                                 uint64_t{1} << 32,
                                 (uint64_t{1} << 63) - 1,
                                 uint64_t{1} << 63,
                                 std::numeric_limits<uint64_t>::max()};

TEST(BigEndianTest, RoundTripsEveryValue) {
  for (uint64_t value : kSamples) {
    std::string bytes = "prefix";
    AppendBigEndian64(bytes, value);
    ASSERT_EQ(bytes.size(), 6u + 8u) << value;
    EXPECT_EQ(ReadBigEndian64(bytes, 6), value) << value;
  }
}

TEST(BigEndianTest, MostSignificantByteComesFirst) {
  std::string bytes;
  AppendBigEndian64(bytes, 0x0102030405060708ULL);
  EXPECT_EQ(bytes, std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
}

TEST(BigEndianTest, ByteOrderIsNumericOrder) {
  for (uint64_t a : kSamples) {
    for (uint64_t b : kSamples) {
      EXPECT_EQ(TicketKey(a) < TicketKey(b), a < b) << a << " vs " << b;
    }
  }
}

TEST(EventKeyTest, SortsByTicketThenSequence) {
  struct Case {
    uint64_t ticket_a, sequence_a, ticket_b, sequence_b;
  };
  const Case cases[] = {
      {1, 1, 1, 2}, {1, 255, 1, 256}, {1, 1000, 2, 1}, {255, 1, 256, 1}, {7, 9, 7, 10},
  };
  for (const Case& c : cases) {
    EXPECT_LT(EventKey(c.ticket_a, c.sequence_a), EventKey(c.ticket_b, c.sequence_b))
        << c.ticket_a << "/" << c.sequence_a << " vs " << c.ticket_b << "/" << c.sequence_b;
  }
}

TEST(EventKeyTest, StartsWithEventPrefixOfItsTicketOnly) {
  const std::string key = EventKey(42, 7);
  ASSERT_EQ(key.size(), 16u);
  EXPECT_EQ(key.substr(0, 8), EventPrefix(42));
  EXPECT_NE(key.substr(0, 8), EventPrefix(43));
  EXPECT_EQ(ReadBigEndian64(key, 0), 42u);
  EXPECT_EQ(ReadBigEndian64(key, 8), 7u);
}

TEST(RecordTest, RoundTrips) {
  v1::Ticket ticket;
  ticket.set_name("tickets/7");
  ticket.set_title("整改耕地");
  ticket.set_stage(v1::STAGE_IMPROVE);
  const std::string bytes = EncodeRecord(ticket);
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes[0], kRecordV1);
  v1::Ticket decoded;
  ASSERT_TRUE(DecodeRecord(bytes, decoded).ok());
  EXPECT_EQ(decoded.SerializeAsString(), ticket.SerializeAsString());
}

TEST(RecordTest, EmptyMessageIsOneFormatByte) {
  v1::Ticket decoded;
  EXPECT_EQ(EncodeRecord(v1::Ticket()), std::string(1, kRecordV1));
  EXPECT_TRUE(DecodeRecord(std::string(1, kRecordV1), decoded).ok());
}

TEST(RecordTest, RefusesBadFramingWithDataLoss) {
  v1::Ticket ticket;
  ticket.set_name("tickets/7");
  const std::string body = ticket.SerializeAsString();
  struct Case {
    const char* what;
    std::string bytes;
  };
  const Case cases[] = {
      {"empty", ""},
      {"unknown format byte 0x02", std::string(1, '\x02') + body},
      {"format byte 0x00", std::string(1, '\0') + body},
      {"no format byte", body},
      {"truncated protobuf", std::string(1, kRecordV1) + body.substr(0, body.size() - 2)},
      {"garbage after the format byte", std::string(1, kRecordV1) + "\xff\xff\xff"},
  };
  for (const Case& c : cases) {
    v1::Ticket decoded;
    const absl::Status status = DecodeRecord(c.bytes, decoded);
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << c.what << ": " << status;
  }
}

}  // namespace
}  // namespace duban::storage
