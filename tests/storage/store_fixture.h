// StoreFixture: a real RocksDB in a scratch directory with a TicketStore, a
// DirectoryStore and a LedgerStore on it, and helpers that make tickets through the real
// domain functions (NewTicket, Apply).
//
//   class MyTest : public StoreFixture {};
//   TEST_F(MyTest, Works) {
//     ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, CreateTicket({.lead = "units/nongye"}));
//     ASSERT_TRUE(Step(TicketId(ticket), StaffOf("units/nongye"), v1::SignTicketRequest()).ok());
//     EXPECT_TRUE(StoreIsConsistent(*database_));
//   }
//
// The clock starts at Monday 2025-03-03 09:00 Asia/Shanghai and moves only
// when a test changes now_. The calendar counts weekends only; the policy is
// DefaultEscalationPolicy() until a test changes policy_, and new referrals
// take their ids from the store. The FakeDirectory units_ is also the
// indicator catalogue (gengdi, renju, and liangshi added here); the ledger
// policy is DefaultLedgerPolicy() at version 1 until a test changes
// ledger_policy_, and rule ledger entries take their ids from ledger_.
#ifndef DUBAN_TESTS_STORAGE_STORE_FIXTURE_H_
#define DUBAN_TESTS_STORAGE_STORE_FIXTURE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/caller.h"
#include "domain/loop_context.h"
#include "domain/resource_names.h"
#include "domain/ticket_loop.h"
#include "domain/work_calendar.h"
#include "duban/v1/escalation.pb.h"
#include "duban/v1/ticket.pb.h"
#include "storage/database.h"
#include "storage/directory_store.h"
#include "storage/ledger_store.h"
#include "storage/ticket_store.h"
#include "tests/storage/store_checks.h"
#include "tests/support/fake_directory.h"
#include "tests/support/scratch_dir.h"

#define DUBAN_TEST_CONCAT_INNER_(a, b) a##b
#define DUBAN_TEST_CONCAT_(a, b) DUBAN_TEST_CONCAT_INNER_(a, b)

// Asserts that `rexpr` (an absl::StatusOr<T>) is OK and moves its value
// into `lhs`.
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr)                                      \
  auto DUBAN_TEST_CONCAT_(status_or_, __LINE__) = (rexpr);                    \
  ASSERT_TRUE(DUBAN_TEST_CONCAT_(status_or_, __LINE__).ok())                  \
      << #rexpr << ": " << DUBAN_TEST_CONCAT_(status_or_, __LINE__).status(); \
  lhs = *std::move(DUBAN_TEST_CONCAT_(status_or_, __LINE__))

namespace duban::storage {

absl::TimeZone Shanghai();
// A store at `path` as the storage tests open it: the smallest memory plan, on
// `env` (null for the real file system).
absl::StatusOr<std::unique_ptr<Database>> OpenTestDatabase(const std::string& path,
                                                           rocksdb::Env* env = nullptr);
// Monday 2025-03-03 09:00 in Asia/Shanghai.
absl::Time TestStart();

// principals/leader: LEADER of units/county.
Caller Leader();
// principals/inspector: INSPECTOR of units/ducha.
Caller Inspector();
// principals/staff-<unit id>: UNIT_STAFF of `unit` (`units/{id}`).
Caller StaffOf(absl::string_view unit);
// duband/scheduler: the ESCALATOR the sweeper acts as.
Caller Scheduler();
// principals/jiwei: DISCIPLINE of units/jiwei, who decides referrals.
Caller Discipline();

// What CreateTicket makes. A TASK is deployed by Leader(), a FINDING filed
// by Inspector().
struct TicketSpec {
  v1::TicketKind kind = v1::TICKET_KIND_TASK;
  std::string title = "ticket";
  std::string lead = "units/nongye";
  std::vector<std::string> cooperating;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  std::string indicator;
  std::string location;
  std::string parent;
  // Empty: the default (the county's inspection office for a TASK).
  std::string inspection_unit;
  // Working days on the DEPLOY (TASK) or FEEDBACK (FINDING) clock.
  int stage_days = 1;
  // The TASK's overall deadline: now + due_days days.
  int due_days = 30;
  bool requires_inspection = true;
};

uint64_t TicketId(const v1::Ticket& ticket);

class StoreFixture : public ::testing::Test {
 protected:
  StoreFixture();
  ~StoreFixture() override;

  void SetUp() override { OpenStores(); }

  // Opens (or reopens) the database at path_ (on env_, when a test sets
  // one) and the stores.
  void OpenStores();
  // Closes the stores and the database.
  void CloseStores();
  void ReopenStores() {
    CloseStores();
    OpenStores();
  }

  LoopContext ContextFor(const Caller& caller) const;

  absl::StatusOr<v1::Ticket> CreateTicket(const TicketSpec& spec,
                                          const RequestKey& key = RequestKey{});
  // The CreateTicketRequest CreateTicket sends for `spec`.
  v1::CreateTicketRequest CreateRequest(const TicketSpec& spec) const;

  // Applies `request` (its name set to ticket `id`) as `caller`.
  template <typename Request>
  absl::StatusOr<v1::Ticket> Step(uint64_t id, const Caller& caller, Request request,
                                  const RequestKey& key = RequestKey{}) {
    request.set_name(TicketName(id));
    const LoopContext context = ContextFor(caller);
    return tickets_->Update(
        id, key, now_, [&](const v1::Ticket& current) { return Apply(current, request, context); });
  }

  // Common steps, each by the caller the loop expects.
  absl::StatusOr<v1::Ticket> Sign(uint64_t id);
  absl::StatusOr<v1::Ticket> Report(uint64_t id, const std::string& comment);
  absl::StatusOr<v1::Ticket> Submit(uint64_t id);
  absl::StatusOr<v1::Ticket> Review(uint64_t id, bool accept);
  absl::StatusOr<v1::Ticket> FilePlan(uint64_t id);
  absl::StatusOr<v1::Ticket> Cancel(uint64_t id);

  // All events of ticket `id`, paging through ListEvents.
  std::vector<v1::TicketEvent> AllEvents(uint64_t id, int page_size = 1000);
  // The whole event log after `after`, paging through ReadLog.
  std::vector<LoggedEvent> WholeLog(uint64_t after = 0, int page_size = 1000);

  // Fires what is due on ticket `id` at `as_of`, as the sweeper does.
  absl::StatusOr<v1::Ticket> EscalateAt(uint64_t id, absl::Time as_of);
  // When each step of the ladder of `ticket`'s current stage cycle fires
  // under policy_.
  std::map<v1::EscalationLevel, absl::Time> FireTimes(const v1::Ticket& ticket) const;

  duban::testing::ScratchDir scratch_;
  std::string path_;
  duban::testing::FakeDirectory units_;
  WorkCalendar calendar_;
  absl::Time now_;
  // The policy ContextFor hands out; tests may change it.
  v1::EscalationPolicy policy_;
  // The environment the database is opened on; null for the real one.
  rocksdb::Env* env_ = nullptr;
  std::unique_ptr<Database> database_;
  std::unique_ptr<TicketStore> tickets_;
  std::unique_ptr<DirectoryStore> directory_;
  // The ledger policy ContextFor hands out; tests may change it.
  v1::LedgerPolicy ledger_policy_;
  std::unique_ptr<LedgerStore> ledger_;
};

}  // namespace duban::storage

#endif  // DUBAN_TESTS_STORAGE_STORE_FIXTURE_H_
