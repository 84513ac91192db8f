// RequestLog and the idempotent mutations built on it.
#include "storage/request_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "domain/directory_rules.h"
#include "domain/resource_names.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

class RequestLogTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    log_ = &database_->requests();
  }

  // Runs `key` through the log with a stage that counts its calls, writes
  // `marker` into the default family and replies `reply`.
  absl::StatusOr<std::string> Run(const RequestKey& key, absl::Time now, const std::string& reply,
                                  const std::string& marker = "") {
    return log_->Run(key, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
      ++stage_calls_;
      if (!marker.empty()) batch.Put(database_->family(Family::kDefault), marker, reply);
      return reply;
    });
  }

  RequestLog* log_ = nullptr;
  std::atomic<int> stage_calls_ = 0;
};

const RequestKey kKey{
    .principal = "principals/leader", .request_id = "req-1", .fingerprint = "abc"};

TEST_F(RequestLogTest, RetryGetsTheFirstAnswerWithoutRunningAgain) {
  ASSERT_OK_AND_ASSIGN(std::string first, Run(kKey, now_, "first reply", "marker"));
  EXPECT_EQ(first, "first reply");
  ASSERT_OK_AND_ASSIGN(std::string second,
                       Run(kKey, now_ + absl::Hours(1), "second reply", "marker"));
  EXPECT_EQ(second, "first reply");
  EXPECT_EQ(stage_calls_, 1);
  // What the first stage wrote is there, untouched by the retry.
  EXPECT_EQ(Dump(*database_, Family::kDefault).at("marker"), "first reply");
  EXPECT_EQ(Dump(*database_, Family::kRequests).size(), 1u);
}

TEST_F(RequestLogTest, SameIdForADifferentRequestIsInvalidArgument) {
  ASSERT_TRUE(Run(kKey, now_, "first").ok());
  RequestKey other = kKey;
  other.fingerprint = "xyz";
  absl::StatusOr<std::string> refused = Run(other, now_, "second", "marker");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("request_id"));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("req-1"));
  EXPECT_EQ(stage_calls_, 1);
  EXPECT_FALSE(Dump(*database_, Family::kDefault).contains("marker"));
}

TEST_F(RequestLogTest, KeysAreScopedByPrincipalAndId) {
  struct Case {
    const char* what;
    RequestKey key;
    std::string expected_reply;
  };
  const Case cases[] = {
      {"the first", kKey, "reply 0"},
      {"another principal, same id",
       {.principal = "principals/inspector", .request_id = "req-1", .fingerprint = "abc"},
       "reply 1"},
      {"same principal, another id",
       {.principal = "principals/leader", .request_id = "req-2", .fingerprint = "abc"},
       "reply 2"},
      {"id that extends another",
       {.principal = "principals/leader", .request_id = "req-10", .fingerprint = "abc"},
       "reply 3"},
      {"the first again", kKey, "reply 0"},
      {"the second again",
       {.principal = "principals/inspector", .request_id = "req-1", .fingerprint = "abc"},
       "reply 1"},
  };
  int i = 0;
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(std::string reply, Run(c.key, now_, absl::StrCat("reply ", i++)));
    EXPECT_EQ(reply, c.expected_reply) << c.what;
  }
  EXPECT_EQ(stage_calls_, 4);
}

TEST_F(RequestLogTest, EmptyRequestIdIsNeverDeduplicated) {
  const RequestKey anonymous{.principal = "principals/leader"};
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(std::string reply, Run(anonymous, now_, absl::StrCat("reply ", i)));
    EXPECT_EQ(reply, absl::StrCat("reply ", i));
  }
  EXPECT_EQ(stage_calls_, 3);
  EXPECT_TRUE(Dump(*database_, Family::kRequests).empty());
}

TEST_F(RequestLogTest, FailedStageRecordsNothingSoARetryRunsAgain) {
  absl::StatusOr<std::string> failed =
      log_->Run(kKey, now_, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        batch.Put(database_->family(Family::kDefault), "marker", "x");
        return absl::FailedPreconditionError("not now");
      });
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Dump(*database_, Family::kRequests).empty());
  EXPECT_FALSE(Dump(*database_, Family::kDefault).contains("marker"));
  ASSERT_OK_AND_ASSIGN(std::string reply, Run(kKey, now_, "now it works"));
  EXPECT_EQ(reply, "now it works");
  EXPECT_EQ(stage_calls_, 1);
}

TEST_F(RequestLogTest, RecordsExpireAfterTheRetention) {
  ASSERT_TRUE(Run(kKey, now_, "first").ok());
  struct Case {
    absl::Duration later;
    std::string expected_reply;
    int stage_calls;
  };
  const Case cases[] = {
      {absl::ZeroDuration(), "first", 1},
      {kRequestRetention, "first", 1},
      {kRequestRetention + absl::Microseconds(1), "second", 2},
      // The new record starts its own retention.
      {kRequestRetention + absl::Hours(2), "second", 2},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(std::string reply, Run(kKey, now_ + c.later, "second"));
    EXPECT_EQ(reply, c.expected_reply) << absl::FormatDuration(c.later);
    EXPECT_EQ(stage_calls_, c.stage_calls) << absl::FormatDuration(c.later);
  }
}

TEST_F(RequestLogTest, ReplyMayHoldAnyBytes) {
  const std::string reply("\0\x01\xff reply", 9);
  ASSERT_TRUE(Run(kKey, now_, reply).ok());
  ASSERT_OK_AND_ASSIGN(std::string again, Run(kKey, now_, "other"));
  EXPECT_EQ(again, reply);
}

// The idempotency of the ticket store, end to end.
class IdempotentTicketTest : public StoreFixture {
 protected:
  // CreateTicket, counting how often the store builds a ticket.
  absl::StatusOr<v1::Ticket> CountedCreate(const RequestKey& key, const std::string& title) {
    const v1::CreateTicketRequest request = CreateRequest({.title = title, .lead = "units/nongye"});
    const LoopContext context = ContextFor(Leader());
    return tickets_->Create(key, now_, [&](uint64_t id) {
      ++builds_;
      return NewTicket(id, request, nullptr, context);
    });
  }

  std::atomic<int> builds_ = 0;
};

TEST_F(IdempotentTicketTest, RetriedCreateMakesOneTicket) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket first, CountedCreate(kKey, "first"));
  now_ += absl::Minutes(5);
  ASSERT_OK_AND_ASSIGN(v1::Ticket retried, CountedCreate(kKey, "first"));
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(builds_, 1);
  EXPECT_EQ(tickets_->last_ticket_id(), 1u);
  EXPECT_TRUE(tickets_->Get(2).status().code() == absl::StatusCode::kNotFound);

  RequestKey changed = kKey;
  changed.fingerprint = "another request";
  absl::StatusOr<v1::Ticket> refused = CountedCreate(changed, "second");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("request_id"));
  EXPECT_EQ(ErrorReason(refused.status()), "INVALID_FIELD");
  EXPECT_EQ(builds_, 1);

  RequestKey other_principal = kKey;
  other_principal.principal = "principals/inspector";
  ASSERT_OK_AND_ASSIGN(v1::Ticket independent, CountedCreate(other_principal, "third"));
  EXPECT_EQ(independent.name(), "tickets/2");
  EXPECT_EQ(builds_, 2);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(IdempotentTicketTest, RetriedUpdateAppliesOnce) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const uint64_t id = TicketId(created);
  ASSERT_TRUE(Sign(id).ok());
  v1::ReportTicketProgressRequest request;
  request.set_comment("half way");
  request.set_request_id("report-1");
  const RequestKey key{.principal = "principals/staff-nongye",
                       .request_id = "report-1",
                       .fingerprint = "report half way"};
  ASSERT_OK_AND_ASSIGN(v1::Ticket first, Step(id, StaffOf("units/nongye"), request, key));
  ASSERT_OK_AND_ASSIGN(v1::Ticket second, Step(id, StaffOf("units/nongye"), request, key));
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(first.etag(), "3");
  EXPECT_EQ(AllEvents(id).size(), 3u);

  // A retry still answers as the first time after the ticket moved on.
  ASSERT_TRUE(Report(id, "later").ok());
  ASSERT_OK_AND_ASSIGN(v1::Ticket third, Step(id, StaffOf("units/nongye"), request, key));
  EXPECT_EQ(third.etag(), "3");
  EXPECT_EQ(AllEvents(id).size(), 4u);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(IdempotentTicketTest, ConcurrentRetriesMakeOneTicket) {
  constexpr int kThreads = 8;
  std::vector<std::string> replies(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      absl::StatusOr<v1::Ticket> created = CountedCreate(kKey, "once");
      replies[t] = created.ok() ? created->SerializeAsString() : created.status().ToString();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(builds_, 1);
  EXPECT_EQ(tickets_->last_ticket_id(), 1u);
  EXPECT_EQ(std::set<std::string>(replies.begin(), replies.end()).size(), 1u);
  EXPECT_EQ(Dump(*database_, Family::kTickets).size(), 1u);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(IdempotentTicketTest, ConcurrentRetriedUpdatesApplyOnce) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket created, CreateTicket({.lead = "units/nongye"}));
  const uint64_t id = TicketId(created);
  ASSERT_TRUE(Sign(id).ok());
  constexpr int kThreads = 6;
  std::vector<std::string> etags(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      v1::ReportTicketProgressRequest request;
      request.set_comment("once");
      const RequestKey key{
          .principal = "principals/staff-nongye", .request_id = "r", .fingerprint = "once"};
      absl::StatusOr<v1::Ticket> updated = Step(id, StaffOf("units/nongye"), request, key);
      etags[t] = updated.ok() ? updated->etag() : updated.status().ToString();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& etag : etags) EXPECT_EQ(etag, "3");
  EXPECT_EQ(AllEvents(id).size(), 3u);
}

// The same principal reusing one request id on two stores at the same
// moment (a ticket create and a unit put): the stores share the database's
// one request log, so one call is applied and the other is refused as a
// reused id, whichever wins.
TEST_F(IdempotentTicketTest, OneRequestIdRacedAcrossTwoStoresIsAppliedOnce) {
  constexpr int kRounds = 60;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = absl::StrCat("race-", round);
    const RequestKey create_key{
        .principal = "principals/leader", .request_id = id, .fingerprint = "create"};
    const RequestKey unit_key{
        .principal = "principals/leader", .request_id = id, .fingerprint = "unit"};
    const v1::CreateTicketRequest request = CreateRequest({.title = id});
    const LoopContext context = ContextFor(Leader());
    v1::Unit input;
    input.set_display_name(id);
    input.set_kind(v1::UNIT_KIND_TOWNSHIP);
    input.set_tier(v1::TIER_FAR);

    // The unit put announces itself just before its call; the create's
    // build waits for that, so both calls are in their stores together.
    std::atomic<bool> unit_calling = false;
    absl::Status created, put;
    std::thread create_thread([&] {
      created = tickets_
                    ->Create(create_key, now_,
                             [&](uint64_t ticket_id) {
                               while (!unit_calling.load()) std::this_thread::yield();
                               return NewTicket(ticket_id, request, nullptr, context);
                             })
                    .status();
    });
    std::thread unit_thread([&] {
      unit_calling = true;
      put = directory_
                ->PutUnit(UnitName(id), unit_key, now_,
                          [&](const v1::Unit*) -> absl::StatusOr<v1::Unit> {
                            return NewUnit(id, input, now_);
                          })
                .status();
    });
    create_thread.join();
    unit_thread.join();

    ASSERT_NE(created.ok(), put.ok()) << "round " << round << ": create " << created
                                      << ", put " << put;
    const absl::Status& refused = created.ok() ? put : created;
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << refused;
    EXPECT_THAT(std::string(refused.message()), HasSubstr("request_id")) << refused;
    EXPECT_EQ(directory_->FindUnit(UnitName(id)).has_value(), put.ok()) << "round " << round;
  }
  EXPECT_EQ(Dump(*database_, Family::kRequests).size(), static_cast<size_t>(kRounds));
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(RequestLogTest, RunEachAnswersEachKeyAsRunWouldInOneWrite) {
  ASSERT_TRUE(Run(kKey, now_, "answered before").ok());
  RequestKey fresh = kKey;
  fresh.request_id = "req-2";
  RequestKey failing = kKey;
  failing.request_id = "req-3";
  RequestKey reused = fresh;
  reused.fingerprint = "xyz";
  const std::vector<RequestKey> keys = {kKey, fresh, failing, fresh, reused};
  std::vector<size_t> staged;
  rocksdb::ColumnFamilyHandle* markers = database_->family(Family::kDefault);
  std::vector<absl::StatusOr<std::string>> answers =
      log_->RunEach(keys, now_, [&](size_t i, AuditedBatch& batch) -> absl::StatusOr<std::string> {
        staged.push_back(i);
        EXPECT_FALSE(Dump(*database_, Family::kDefault).contains("marker 1"))
            << "nothing is written before every key is staged";
        batch.Put(markers, absl::StrCat("marker ", i), "x");
        if (i == 2) return absl::FailedPreconditionError("not this one");
        return absl::StrCat("reply ", i);
      });
  ASSERT_EQ(answers.size(), keys.size());
  EXPECT_EQ(staged, (std::vector<size_t>{1, 2})) << "retries and reuses are not staged";
  ASSERT_TRUE(answers[0].ok());
  EXPECT_EQ(*answers[0], "answered before");
  ASSERT_TRUE(answers[1].ok());
  EXPECT_EQ(*answers[1], "reply 1");
  EXPECT_EQ(answers[2].status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(answers[3].ok()) << "a retry within the same write";
  EXPECT_EQ(*answers[3], "reply 1");
  EXPECT_EQ(answers[4].status().code(), absl::StatusCode::kInvalidArgument);
  const std::map<std::string, std::string> written = Dump(*database_, Family::kDefault);
  EXPECT_TRUE(written.contains("marker 1"));
  EXPECT_FALSE(written.contains("marker 2")) << "a failed stage's puts are undone";
  EXPECT_EQ(Dump(*database_, Family::kRequests).size(), 2u);
}

}  // namespace
}  // namespace duban::storage
