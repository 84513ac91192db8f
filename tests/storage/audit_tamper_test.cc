// Tampering with the store behind the server's back, straight through
// RocksDB, and what the audit verifier (storage/audit_verifier.h) says about
// it: for each case, whether it is caught without a checkpoint, whether it is
// caught with a checkpoint taken just before (AuditHead), and which entry the
// report names.
//
// Every case starts from the same small store, built afresh:
//   tickets/1  TASK of nongye: created, signed, reported, submitted (events 1-4)
//   tickets/2  TASK about indicators/renju, escalated to REFERRAL: referrals/1
//              and ledgerEntries/1 in the same write
//   tickets/3  FINDING of chengguan: filed, plan filed (events 1-2)
//   tickets/4  TASK of ziran: created — the last write
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "duban/v1/performance.pb.h"
#include "storage/audit_log.h"
#include "storage/audit_verifier.h"
#include "storage/big_endian.h"
#include "storage/ledger_keys.h"
#include "storage/record.h"
#include "storage/ticket_index.h"
#include "storage/ticket_keys.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

// What the report must say: the entry it names, or nullopt when the
// tampering cannot be told from an untouched store.
struct Verdict {
  std::optional<std::string> without_checkpoint;
  std::optional<std::string> with_checkpoint;
};

class AuditTamperTest;

struct TamperCase {
  const char* name;
  // Tampers with the store built by the fixture; returns the verdicts.
  Verdict (*tamper)(AuditTamperTest& test);
};

rocksdb::Slice Slice(absl::string_view bytes) { return rocksdb::Slice(bytes.data(), bytes.size()); }

// gtest names a failing case by this.
void PrintTo(const TamperCase& test, std::ostream* out) { *out << test.name; }

class AuditTamperTest : public StoreFixture, public ::testing::WithParamInterface<TamperCase> {
 public:
  void SetUp() override {
    StoreFixture::SetUp();
    BuildStore();
  }

  // Raw access to one family.
  std::string Get(Family family, absl::string_view key) {
    std::string value;
    rocksdb::Status status =
        database_->db()->Get(rocksdb::ReadOptions(), database_->family(family), Slice(key), &value);
    EXPECT_TRUE(status.ok()) << status.ToString() << " reading " << absl::CHexEscape(key);
    return value;
  }
  void Put(Family family, absl::string_view key, absl::string_view value) {
    rocksdb::Status status =
        database_->db()->Put(rocksdb::WriteOptions(), database_->family(family), Slice(key),
                             Slice(value));
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
  void Delete(Family family, absl::string_view key) {
    rocksdb::Status status =
        database_->db()->Delete(rocksdb::WriteOptions(), database_->family(family), Slice(key));
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  // The log entries, in cursor order.
  std::vector<LogEntry> Log() {
    std::vector<LogEntry> entries;
    for (const auto& [key, value] : Dump(*database_, Family::kLog)) {
      absl::StatusOr<LogEntry> entry = DecodeLogEntry(ReadBigEndian64(key), value);
      EXPECT_TRUE(entry.ok()) << entry.status();
      if (entry.ok()) entries.push_back(*std::move(entry));
    }
    return entries;
  }
  // The cursor of the last log entry that wrote the record called `name`
  // ("tickets/1/events/3", "tickets/4").
  uint64_t CursorOf(absl::string_view name) {
    uint64_t cursor = 0;
    for (const LogEntry& entry : Log()) {
      if (AuditedName(entry.kind, entry.key) == name) cursor = entry.cursor;
    }
    EXPECT_NE(cursor, 0u) << "no log entry wrote " << name;
    return cursor;
  }
  uint64_t LastCursor() {
    const std::vector<LogEntry> log = Log();
    return log.empty() ? 0 : log.back().cursor;
  }
  static std::string LogName(uint64_t cursor) { return absl::StrCat("log/", cursor); }

  // Writes `record` under `key` in the family of `kind`, as the server
  // would, and a log entry for it at `cursor`.
  void ForgeLogged(AuditKind kind, Family family, const std::string& key,
                   const std::string& record, uint64_t cursor) {
    Put(family, key, record);
    Put(Family::kLog, TicketKey(cursor),
        EncodeLogValue(AuditedRecord{kind, key, Sha256Raw(record)}));
  }

  v1::Ticket StoredTicket(uint64_t id) {
    v1::Ticket ticket;
    EXPECT_TRUE(DecodeRecord(Get(Family::kTickets, TicketKey(id)), ticket).ok());
    return ticket;
  }

  // The next event of ticket `id`, chained to its stored last one as the
  // store chains them.
  v1::TicketEvent NextEvent(uint64_t id, int64_t sequence) {
    v1::TicketEvent event;
    event.set_name(absl::StrCat(TicketName(id), "/events/", sequence));
    event.set_ticket(TicketName(id));
    event.set_sequence(sequence);
    event.set_type(v1::EVENT_TYPE_PROGRESS_REPORTED);
    event.set_actor("principals/staff-nongye");
    event.set_comment("已全部整改到位");
    event.set_prev_event_sha256(Sha256Hex(Get(Family::kEvents, EventKey(id, sequence - 1))));
    return event;
  }

 private:
  void BuildStore() {
    ASSERT_OK_AND_ASSIGN(v1::Ticket first, CreateTicket({.lead = "units/nongye"}));
    ASSERT_EQ(first.name(), "tickets/1");
    ASSERT_TRUE(Sign(1).ok());
    ASSERT_TRUE(Report(1, "已排查 6 个村").ok());
    ASSERT_TRUE(Submit(1).ok());

    ASSERT_OK_AND_ASSIGN(v1::Ticket second, CreateTicket({.indicator = "indicators/renju"}));
    ASSERT_OK_AND_ASSIGN(v1::Ticket escalated, EscalateAt(2, TestStart() + absl::Hours(24 * 30)));
    ASSERT_EQ(escalated.card(), v1::CARD_REFERRED);
    ASSERT_TRUE(ledger_->Get(1).ok()) << "the referral made no ledger entry";

    ASSERT_OK_AND_ASSIGN(v1::Ticket third,
                         CreateTicket({.kind = v1::TICKET_KIND_FINDING, .lead = "units/chengguan"}));
    ASSERT_EQ(third.name(), "tickets/3");
    ASSERT_TRUE(FilePlan(3).ok());
    ASSERT_OK_AND_ASSIGN(v1::Ticket fourth, CreateTicket({.lead = "units/ziran"}));
    ASSERT_EQ(fourth.name(), "tickets/4");
    ASSERT_TRUE(StoreIsConsistent(*database_));
  }
};

// --- The cases -------------------------------------------------------------

Verdict FlipAByteOfAnEvent(AuditTamperTest& test) {
  std::string value = test.Get(Family::kEvents, EventKey(1, 3));
  value.back() ^= 0x01;
  test.Put(Family::kEvents, EventKey(1, 3), value);
  return {"tickets/1/events/3", "tickets/1/events/3"};
}

Verdict DeleteAnEvent(AuditTamperTest& test) {
  test.Delete(Family::kEvents, EventKey(1, 2));
  return {"tickets/1/events/2", "tickets/1/events/2"};
}

Verdict DeleteAnEventAndItsLogEntry(AuditTamperTest& test) {
  const uint64_t cursor = test.CursorOf("tickets/1/events/2");
  test.Delete(Family::kEvents, EventKey(1, 2));
  test.Delete(Family::kLog, TicketKey(cursor));
  // Event 3 now follows event 1: its sequence and its prev hash give it away.
  return {"tickets/1/events/3", "tickets/1/events/3"};
}

Verdict SwapTwoEvents(AuditTamperTest& test) {
  const std::string second = test.Get(Family::kEvents, EventKey(1, 2));
  const std::string third = test.Get(Family::kEvents, EventKey(1, 3));
  test.Put(Family::kEvents, EventKey(1, 2), third);
  test.Put(Family::kEvents, EventKey(1, 3), second);
  return {"tickets/1/events/2", "tickets/1/events/2"};
}

Verdict ReorderTheLogEntriesOfOneTicketsEvents(AuditTamperTest& test) {
  const uint64_t second = test.CursorOf("tickets/1/events/2");
  const uint64_t third = test.CursorOf("tickets/1/events/3");
  const std::string second_entry = test.Get(Family::kLog, TicketKey(second));
  test.Put(Family::kLog, TicketKey(second), test.Get(Family::kLog, TicketKey(third)));
  test.Put(Family::kLog, TicketKey(third), second_entry);
  // The first entry out of place points at event 3, which the log now puts
  // straight after event 1.
  return {"tickets/1/events/3", "tickets/1/events/3"};
}

Verdict ReorderTheLogAcrossWrites(AuditTamperTest& test) {
  // The last write of tickets/3 (its plan) and the first entry of the write
  // after it (tickets/4's creation event) trade places: every record still
  // matches its entry and every history is still in order.
  const uint64_t plan = test.CursorOf("tickets/3");
  const uint64_t created = test.CursorOf("tickets/4/events/1");
  EXPECT_LT(plan, created);
  const std::string plan_entry = test.Get(Family::kLog, TicketKey(plan));
  test.Put(Family::kLog, TicketKey(plan), test.Get(Family::kLog, TicketKey(created)));
  test.Put(Family::kLog, TicketKey(created), plan_entry);
  return {std::nullopt, AuditTamperTest::LogName(test.LastCursor())};
}

Verdict TruncateTheLastWriteWithItsRecords(AuditTamperTest& test) {
  // tickets/4's creation, the last write, vanishes whole: its records, its
  // index entries and its two log entries.
  const uint64_t last = test.LastCursor();
  const v1::Ticket ticket = test.StoredTicket(4);
  for (const IndexEntry& entry : TicketIndexEntries(4, ticket)) {
    test.Delete(Family::kTicketIndex, entry.key);
  }
  test.Delete(Family::kTickets, TicketKey(4));
  test.Delete(Family::kEvents, EventKey(4, 1));
  test.Delete(Family::kLog, TicketKey(test.CursorOf("tickets/4/events/1")));
  test.Delete(Family::kLog, TicketKey(last));
  return {std::nullopt, AuditTamperTest::LogName(last)};
}

Verdict TruncateTheTailOfTheLog(AuditTamperTest& test) {
  // The last two log entries go; the records they wrote stay. Without a
  // checkpoint the record the log no longer covers gives it away; with one,
  // the missing entry the checkpoint covers.
  const uint64_t last = test.LastCursor();
  test.Delete(Family::kLog, TicketKey(last));
  test.Delete(Family::kLog, TicketKey(last - 1));
  return {"tickets/4", AuditTamperTest::LogName(last)};
}

Verdict ModifyALedgerEntry(AuditTamperTest& test) {
  v1::LedgerEntry entry;
  EXPECT_TRUE(DecodeRecord(test.Get(Family::kLedger, LedgerEntryKey(1)), entry).ok());
  entry.set_county_points("0");
  test.Put(Family::kLedger, LedgerEntryKey(1), EncodeRecord(entry));
  return {"ledgerEntries/1", "ledgerEntries/1"};
}

Verdict ModifyATicket(AuditTamperTest& test) {
  v1::Ticket ticket = test.StoredTicket(2);
  ticket.set_title("已按期办结");
  test.Put(Family::kTickets, TicketKey(2), EncodeRecord(ticket));
  return {"tickets/2", "tickets/2"};
}

Verdict ModifyATicketAndItsLogEntry(AuditTamperTest& test) {
  v1::Ticket ticket = test.StoredTicket(2);
  ticket.set_title("已按期办结");
  test.ForgeLogged(AuditKind::kTicket, Family::kTickets, TicketKey(2), EncodeRecord(ticket),
                   test.CursorOf("tickets/2"));
  return {std::nullopt, AuditTamperTest::LogName(test.LastCursor())};
}

Verdict InsertAForgedEventNotInTheLog(AuditTamperTest& test) {
  test.Put(Family::kEvents, EventKey(1, 5), EncodeRecord(test.NextEvent(1, 5)));
  return {"tickets/1/events/5", "tickets/1/events/5"};
}

Verdict AppendAForgedEventAndItsLogEntry(AuditTamperTest& test) {
  // The ticket record still ends its history at event 4.
  const uint64_t next = test.LastCursor() + 1;
  test.ForgeLogged(AuditKind::kTicketEvent, Family::kEvents, EventKey(1, 5),
                   EncodeRecord(test.NextEvent(1, 5)), next);
  return {"tickets/1", "tickets/1"};
}

Verdict RewriteAnEventWithItsLogEntriesAndTicket(AuditTamperTest& test) {
  // Event 4 (the submission) is replaced by a forged one, consistently: its
  // log entry, the ticket's history head and the ticket's log entry follow.
  v1::TicketEvent forged = test.NextEvent(1, 4);
  const std::string record = EncodeRecord(forged);
  test.ForgeLogged(AuditKind::kTicketEvent, Family::kEvents, EventKey(1, 4), record,
                   test.CursorOf("tickets/1/events/4"));
  v1::Ticket ticket = test.StoredTicket(1);
  ticket.set_history_head_sha256(Sha256Hex(record));
  test.ForgeLogged(AuditKind::kTicket, Family::kTickets, TicketKey(1), EncodeRecord(ticket),
                   test.CursorOf("tickets/1"));
  return {std::nullopt, AuditTamperTest::LogName(test.LastCursor())};
}

Verdict AppendAForgedEventWithItsLogEntriesAndTicket(AuditTamperTest& test) {
  // A forged event 5 with its log entry, and the ticket moved on to it with
  // its own log entry, all after the checkpoint: the log up to the
  // checkpoint is untouched, so the checkpoint vouches for it and the rest
  // reads like writes made since.
  const uint64_t next = test.LastCursor() + 1;
  const std::string record = EncodeRecord(test.NextEvent(1, 5));
  test.ForgeLogged(AuditKind::kTicketEvent, Family::kEvents, EventKey(1, 5), record, next);
  v1::Ticket ticket = test.StoredTicket(1);
  ticket.set_etag("5");
  ticket.set_history_head_sha256(Sha256Hex(record));
  test.ForgeLogged(AuditKind::kTicket, Family::kTickets, TicketKey(1), EncodeRecord(ticket),
                   next + 1);
  return {std::nullopt, std::nullopt};
}

const TamperCase kCases[] = {
    {"FlipAByteOfAnEvent", FlipAByteOfAnEvent},
    {"DeleteAnEvent", DeleteAnEvent},
    {"DeleteAnEventAndItsLogEntry", DeleteAnEventAndItsLogEntry},
    {"SwapTwoEvents", SwapTwoEvents},
    {"ReorderTheLogEntriesOfOneTicketsEvents", ReorderTheLogEntriesOfOneTicketsEvents},
    {"ReorderTheLogAcrossWrites", ReorderTheLogAcrossWrites},
    {"TruncateTheLastWriteWithItsRecords", TruncateTheLastWriteWithItsRecords},
    {"TruncateTheTailOfTheLog", TruncateTheTailOfTheLog},
    {"ModifyALedgerEntry", ModifyALedgerEntry},
    {"ModifyATicket", ModifyATicket},
    {"ModifyATicketAndItsLogEntry", ModifyATicketAndItsLogEntry},
    {"InsertAForgedEventNotInTheLog", InsertAForgedEventNotInTheLog},
    {"AppendAForgedEventAndItsLogEntry", AppendAForgedEventAndItsLogEntry},
    {"RewriteAnEventWithItsLogEntriesAndTicket", RewriteAnEventWithItsLogEntriesAndTicket},
    {"AppendAForgedEventWithItsLogEntriesAndTicket",
     AppendAForgedEventWithItsLogEntriesAndTicket},
};

std::string Describe(const AuditReport& report) {
  return report.ok ? "ok" : absl::StrCat(report.entry, ": ", report.problem);
}

void ExpectVerdict(const absl::StatusOr<AuditReport>& report,
                   const std::optional<std::string>& entry, const char* how) {
  ASSERT_TRUE(report.ok()) << report.status();
  if (entry) {
    EXPECT_FALSE(report->ok) << how << ": not caught";
    EXPECT_EQ(report->entry, *entry) << how << ": " << Describe(*report);
  } else {
    EXPECT_TRUE(report->ok) << how << ": " << Describe(*report);
  }
}

TEST_P(AuditTamperTest, IsReportedWithTheEntryItTouched) {
  ASSERT_OK_AND_ASSIGN(AuditReport untouched, VerifyAudit(*database_, std::nullopt));
  ASSERT_TRUE(untouched.ok) << Describe(untouched);
  ASSERT_OK_AND_ASSIGN(ChainPoint checkpoint, AuditHead(*database_));
  ASSERT_EQ(checkpoint.cursor, LastCursor());

  const Verdict verdict = GetParam().tamper(*this);
  ASSERT_FALSE(HasFatalFailure());
  ExpectVerdict(VerifyAudit(*database_, std::nullopt), verdict.without_checkpoint,
                "without a checkpoint");
  ExpectVerdict(VerifyAudit(*database_, checkpoint), verdict.with_checkpoint,
                "with the checkpoint taken before");
}

INSTANTIATE_TEST_SUITE_P(Cases, AuditTamperTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<TamperCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace duban::storage
