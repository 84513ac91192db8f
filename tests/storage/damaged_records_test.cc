// Damaged bytes on disk come out as DATA_LOSS, never as a wrong answer.
#include <gtest/gtest.h>

#include <string>

#include "storage/record.h"
#include "storage/request_log.h"
#include "storage/ticket_keys.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

class DamagedRecordsTest : public StoreFixture {
 protected:
  void Put(Family family, const std::string& key, const std::string& value) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ASSERT_TRUE(database_->db()->Put(sync, database_->family(family), key, value).ok());
  }
};

TEST_F(DamagedRecordsTest, TicketWithAnUnknownFormatByte) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  std::string value = EncodeRecord(created);
  value[0] = 0x02;
  ASSERT_NO_FATAL_FAILURE(Put(Family::kTickets, TicketKey(1), value));

  EXPECT_EQ(tickets_->Get(1).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(tickets_->List({}, 10, "").status().code(), absl::StatusCode::kDataLoss);
  v1::ReportTicketProgressRequest report;
  report.set_comment("anything");
  EXPECT_EQ(Step(1, StaffOf("units/nongye"), report).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Dump(*database_, Family::kEvents).size(), 1u);
}

TEST_F(DamagedRecordsTest, EventThatDoesNotParse) {
  ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  ASSERT_NO_FATAL_FAILURE(
      Put(Family::kEvents, EventKey(1, 2), std::string(1, kRecordV1) + "\xff\xff\xff\xff"));
  EXPECT_EQ(tickets_->ListEvents(1, 10, "").status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(DamagedRecordsTest, MalformedTicketKeyStopsOpen) {
  ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  ASSERT_NO_FATAL_FAILURE(Put(Family::kTickets, "\xff\xff\xff", "x"));
  EXPECT_EQ(TicketStore::Open(database_.get()).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(DamagedRecordsTest, DamagedDirectoryStopsOpen) {
  struct Case {
    const char* what;
    std::string key;
    std::string value;
  };
  const Case cases[] = {
      {"unit with an unknown format byte", "uunits/x", "\x02"},
      {"principal that does not parse", "pprincipals/x", std::string(1, kRecordV1) + "\xff\xff"},
      {"unknown tag", "xsomething", EncodeRecord(v1::Unit())},
  };
  for (const Case& c : cases) {
    ASSERT_NO_FATAL_FAILURE(Put(Family::kDirectory, c.key, c.value));
    EXPECT_EQ(DirectoryStore::Open(database_.get()).status().code(), absl::StatusCode::kDataLoss)
        << c.what;
    ASSERT_TRUE(database_->db()
                    ->Delete(rocksdb::WriteOptions(), database_->family(Family::kDirectory), c.key)
                    .ok());
    EXPECT_TRUE(DirectoryStore::Open(database_.get()).ok()) << "after removing " << c.what;
  }
}

TEST_F(DamagedRecordsTest, MalformedRequestRecord) {
  RequestLog& log = database_->requests();
  const RequestKey key{.principal = "principals/leader", .request_id = "r", .fingerprint = "f"};
  ASSERT_NO_FATAL_FAILURE(Put(Family::kRequests, std::string("principals/leader\0r", 19), "\x01"));
  int calls = 0;
  absl::StatusOr<std::string> reply =
      log.Run(key, now_, [&](AuditedBatch&) -> absl::StatusOr<std::string> {
        ++calls;
        return std::string("reply");
      });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace duban::storage
