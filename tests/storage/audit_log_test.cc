// The audit log on its own (storage/audit_log.h): cursors, reservations and
// the watermark, waiting, and reopening.
#include "storage/audit_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "storage/database.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/scratch_dir.h"

namespace duban::storage {
namespace {

// Long enough that no healthy run gets near it; a test that needs it fails
// on the elapsed-time check instead of hanging.
constexpr absl::Duration kGenerous = absl::Seconds(60);
constexpr absl::Duration kShort = absl::Milliseconds(50);

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    ASSERT_OK_AND_ASSIGN(database_, OpenTestDatabase(scratch_.path() + "/db"));
    log_ = &database_->log();
  }

  void Reopen() {
    log_ = nullptr;
    database_.reset();
    Open();
  }

  // Writes one entry per cursor of `cursors` (`count` of them) for ticket
  // `ticket`, events 1..count, without releasing the reservation. The
  // entries' keys are "ticket/event".
  void Write(const AuditLog::Reservation& cursors, uint64_t count, uint64_t ticket) {
    rocksdb::WriteBatch batch;
    for (uint64_t i = 0; i < count; ++i) {
      const AuditedRecord record{.kind = AuditKind::kTicketEvent,
                                 .key = absl::StrCat(ticket, "/", i + 1),
                                 .sha256 = Sha256Raw(absl::StrCat(ticket, "/", i + 1))};
      log_->Stage(batch, cursors.first() + i, record);
    }
    rocksdb::WriteOptions options;
    options.sync = true;
    ASSERT_TRUE(database_->db()->Write(options, &batch).ok());
  }

  // Reserves, writes and releases `count` entries; returns the first cursor.
  uint64_t Commit(uint64_t count, uint64_t ticket) {
    AuditLog::Reservation cursors = log_->Reserve(count);
    Write(cursors, count, ticket);
    return cursors.first();
  }

  std::vector<uint64_t> CursorsAfter(uint64_t after, int limit = 1000) {
    std::vector<uint64_t> cursors;
    absl::StatusOr<std::vector<LogEntry>> entries = log_->Read(after, limit);
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (!entries.ok()) return cursors;
    for (const LogEntry& entry : *entries) cursors.push_back(entry.cursor);
    return cursors;
  }

  duban::testing::ScratchDir scratch_;
  std::unique_ptr<Database> database_;
  AuditLog* log_ = nullptr;
};

TEST_F(AuditLogTest, ReservationsTakeIncreasingRunsOfCursors) {
  struct Case {
    uint64_t count;
    uint64_t first;
  };
  const Case cases[] = {{1, 1}, {3, 2}, {2, 5}, {1, 7}, {4, 8}};
  std::vector<AuditLog::Reservation> held;
  for (const Case& c : cases) {
    held.push_back(log_->Reserve(c.count));
    EXPECT_EQ(held.back().first(), c.first) << "reserving " << c.count;
  }
  // Reserving nothing takes no cursor and holds nothing back.
  AuditLog::Reservation none = log_->Reserve(0);
  EXPECT_EQ(log_->Reserve(1).first(), 12u);
  held.clear();
  EXPECT_EQ(log_->watermark(), 12u);
}

TEST_F(AuditLogTest, EntriesReadBackInCursorOrderWithTheirEvents) {
  ASSERT_EQ(Commit(2, 7), 1u);
  ASSERT_EQ(Commit(1, 3), 3u);
  absl::StatusOr<std::vector<LogEntry>> entries = log_->Read(0, 10);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 3u);
  struct Expected {
    uint64_t cursor;
    const char* key;
  };
  const Expected expected[] = {{1, "7/1"}, {2, "7/2"}, {3, "3/1"}};
  for (size_t i = 0; i < entries->size(); ++i) {
    EXPECT_EQ((*entries)[i].cursor, expected[i].cursor) << i;
    EXPECT_EQ((*entries)[i].kind, AuditKind::kTicketEvent) << i;
    EXPECT_EQ((*entries)[i].key, expected[i].key) << i;
    EXPECT_EQ((*entries)[i].sha256, Sha256Raw(expected[i].key)) << i;
  }
  // `after` and `limit` bound what comes back.
  EXPECT_EQ(CursorsAfter(1), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(CursorsAfter(0, 2), (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(CursorsAfter(3).empty());
}

// A reservation that is still held hides its own cursors and every later
// one, even those already written and released, until it is released.
TEST_F(AuditLogTest, HeldReservationHidesItselfAndEveryLaterCursor) {
  ASSERT_EQ(Commit(1, 1), 1u);
  AuditLog::Reservation slow = log_->Reserve(2);  // cursors 2, 3
  ASSERT_EQ(slow.first(), 2u);
  ASSERT_EQ(Commit(1, 2), 4u);
  ASSERT_EQ(Commit(2, 3), 5u);
  EXPECT_EQ(log_->watermark(), 1u);
  EXPECT_EQ(CursorsAfter(0), (std::vector<uint64_t>{1}));
  EXPECT_TRUE(CursorsAfter(1).empty());

  // Written but not yet released: still hidden.
  ASSERT_NO_FATAL_FAILURE(Write(slow, 2, 4));
  EXPECT_EQ(CursorsAfter(0), (std::vector<uint64_t>{1}));
  EXPECT_FALSE(log_->WaitBeyond(1, absl::ZeroDuration()));

  slow = AuditLog::Reservation();  // releases
  EXPECT_EQ(log_->watermark(), 6u);
  EXPECT_EQ(CursorsAfter(0), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(CursorsAfter(1), (std::vector<uint64_t>{2, 3, 4, 5, 6}));
}

// With two reservations held, releasing the later one shows nothing; the
// watermark follows the earliest one still held.
TEST_F(AuditLogTest, WatermarkFollowsTheEarliestHeldReservation) {
  AuditLog::Reservation first = log_->Reserve(1);
  AuditLog::Reservation second = log_->Reserve(1);
  AuditLog::Reservation third = log_->Reserve(1);
  ASSERT_NO_FATAL_FAILURE(Write(first, 1, 1));
  ASSERT_NO_FATAL_FAILURE(Write(second, 1, 2));
  ASSERT_NO_FATAL_FAILURE(Write(third, 1, 3));
  second = AuditLog::Reservation();
  EXPECT_EQ(log_->watermark(), 0u);
  EXPECT_TRUE(CursorsAfter(0).empty());
  first = AuditLog::Reservation();
  EXPECT_EQ(log_->watermark(), 2u);
  EXPECT_EQ(CursorsAfter(0), (std::vector<uint64_t>{1, 2}));
  third = AuditLog::Reservation();
  EXPECT_EQ(CursorsAfter(0), (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(AuditLogTest, MovingAReservationReleasesOnlyOnce) {
  AuditLog::Reservation held = log_->Reserve(1);
  AuditLog::Reservation moved = std::move(held);
  held = AuditLog::Reservation();  // moved-from: releases nothing
  EXPECT_EQ(log_->watermark(), 0u);
  ASSERT_EQ(Commit(1, 1), 2u);
  EXPECT_TRUE(CursorsAfter(0).empty());
  moved = AuditLog::Reservation();
  EXPECT_EQ(log_->watermark(), 2u);
}

// A write that never happened (it failed, or the change was refused after
// its cursors were reserved) leaves a gap that readers step over.
TEST_F(AuditLogTest, ReleasedWithoutAWriteLeavesAGapReadersSkip) {
  { AuditLog::Reservation abandoned = log_->Reserve(1); }  // cursor 1
  ASSERT_EQ(Commit(1, 1), 2u);
  { AuditLog::Reservation abandoned = log_->Reserve(3); }  // 3, 4, 5
  ASSERT_EQ(Commit(2, 2), 6u);
  EXPECT_EQ(log_->watermark(), 7u);
  EXPECT_EQ(CursorsAfter(0), (std::vector<uint64_t>{2, 6, 7}));
  EXPECT_EQ(CursorsAfter(2), (std::vector<uint64_t>{6, 7}));
  EXPECT_EQ(CursorsAfter(0, 1), (std::vector<uint64_t>{2}));
  EXPECT_EQ(CursorsAfter(3, 1), (std::vector<uint64_t>{6}));
}

// An entry written but hidden behind a held reservation appears, and wakes
// the waiter, when another thread releases that reservation.
TEST_F(AuditLogTest, WaitBeyondWakesWhenAHeldReservationIsReleased) {
  ASSERT_EQ(Commit(1, 1), 1u);
  AuditLog::Reservation gate = log_->Reserve(1);  // cursor 2
  ASSERT_EQ(Commit(1, 2), 3u);                    // hidden behind the gate
  ASSERT_TRUE(CursorsAfter(1).empty());
  const absl::Time start = absl::Now();
  std::thread releaser([&gate] { gate = AuditLog::Reservation(); });
  const bool woke = log_->WaitBeyond(1, kGenerous);
  const absl::Duration waited = absl::Now() - start;
  releaser.join();
  EXPECT_TRUE(woke);
  EXPECT_LT(waited, kGenerous / 4);
  EXPECT_EQ(CursorsAfter(1), (std::vector<uint64_t>{3}));
}

TEST_F(AuditLogTest, WaitBeyondWakesForAWriterThread) {
  std::thread writer([&] {
    for (int i = 0; i < 3; ++i) Commit(1, i + 1);
  });
  const absl::Time start = absl::Now();
  const bool woke = log_->WaitBeyond(0, kGenerous);
  const absl::Duration waited = absl::Now() - start;
  writer.join();
  EXPECT_TRUE(woke);
  EXPECT_LT(waited, kGenerous / 4);
  EXPECT_FALSE(CursorsAfter(0).empty());
}

TEST_F(AuditLogTest, WaitBeyondIsFalseOnTimeout) {
  ASSERT_EQ(Commit(2, 1), 1u);
  struct Case {
    const char* what;
    uint64_t after;
    bool expected;
  };
  const Case cases[] = {
      {"something after", 1, true},
      {"something after the start", 0, true},
      {"nothing after the last entry", 2, false},
      {"nothing after a cursor not yet reached", 5, false},
  };
  for (const Case& c : cases) {
    // Where something is there, a generous timeout the call must not use.
    const absl::Duration timeout = c.expected ? kGenerous : kShort;
    const absl::Time start = absl::Now();
    EXPECT_EQ(log_->WaitBeyond(c.after, timeout), c.expected) << c.what;
    const absl::Duration waited = absl::Now() - start;
    if (c.expected) {
      EXPECT_LT(waited, kGenerous / 4) << c.what << ": waited though there was something to read";
    } else {
      EXPECT_GE(waited, kShort) << c.what << ": returned before the timeout";
    }
  }
}

// A gap at the end of the log (cursors reserved by a write that failed) is
// read through: Read says how far it got, and a follower that waits beyond
// that point waits for real — it does not spin between an empty Read and a
// WaitBeyond that returns at once.
TEST_F(AuditLogTest, GapAtTheEndIsReadThrough) {
  ASSERT_EQ(Commit(1, 1), 1u);
  { AuditLog::Reservation abandoned = log_->Reserve(2); }  // cursors 2, 3: never written
  uint64_t through = 0;
  absl::StatusOr<std::vector<LogEntry>> entries = log_->Read(1, 10, &through);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_TRUE(entries->empty());
  EXPECT_EQ(through, 3u);
  const absl::Time start = absl::Now();
  EXPECT_FALSE(log_->WaitBeyond(through, kShort));
  EXPECT_GE(absl::Now() - start, kShort) << "WaitBeyond did not wait";
}

TEST_F(AuditLogTest, ReadThroughStopsAtTheLastEntryWhenTheLimitCutsIn) {
  ASSERT_EQ(Commit(1, 1), 1u);
  ASSERT_EQ(Commit(1, 2), 2u);
  uint64_t through = 0;
  absl::StatusOr<std::vector<LogEntry>> entries = log_->Read(0, 1, &through);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(through, 1u);
}

TEST_F(AuditLogTest, CloseWakesWaitersAndLaterWaitsReturnAtOnce) {
  ASSERT_EQ(Commit(1, 1), 1u);
  EXPECT_FALSE(log_->closed());
  bool woke = true;
  absl::Duration waited;
  std::atomic<bool> waiting = false;
  std::thread waiter([&] {
    const absl::Time start = absl::Now();
    waiting = true;
    woke = log_->WaitBeyond(1, kGenerous);
    waited = absl::Now() - start;
  });
  // Most likely the waiter is inside WaitBeyond by the time Close() runs;
  // if not, its wait must see the log closed and return at once anyway.
  while (!waiting) std::this_thread::yield();
  log_->Close();
  waiter.join();
  EXPECT_FALSE(woke);
  EXPECT_LT(waited, kGenerous / 4);
  EXPECT_TRUE(log_->closed());

  const absl::Time start = absl::Now();
  EXPECT_FALSE(log_->WaitBeyond(1, kGenerous));
  EXPECT_LT(absl::Now() - start, kGenerous / 4);
  // Entries already there are still there to read.
  EXPECT_TRUE(log_->WaitBeyond(0, kGenerous));
  EXPECT_EQ(CursorsAfter(0), (std::vector<uint64_t>{1}));
}

TEST_F(AuditLogTest, CursorsContinueAfterReopen) {
  ASSERT_EQ(Commit(2, 1), 1u);
  ASSERT_EQ(Commit(1, 2), 3u);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(log_->watermark(), 3u);
  EXPECT_EQ(CursorsAfter(0), (std::vector<uint64_t>{1, 2, 3}));
  const uint64_t next = Commit(1, 3);
  EXPECT_EQ(next, 4u);
  EXPECT_EQ(CursorsAfter(3), (std::vector<uint64_t>{4}));

  // Entries from before each reopen keep their cursors, and a new entry
  // never lands on or below one a reader may already have passed.
  ASSERT_NO_FATAL_FAILURE(Reopen());
  const uint64_t after_second = Commit(1, 4);
  EXPECT_GT(after_second, 4u);
  absl::StatusOr<std::vector<LogEntry>> entries = log_->Read(0, 10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 5u);
  EXPECT_EQ((*entries)[3].key, "3/1");
  EXPECT_EQ((*entries)[4].key, "4/1");
}

}  // namespace
}  // namespace duban::storage
