// LedgerStore (storage/ledger_store.h): the performance office's entries,
// their indexes by period, indicator and unit, reversals, ids across
// reopening, and retries.
#include "storage/ledger_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/errors.h"
#include "domain/ledger.h"
#include "storage/ledger_keys.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

Caller Office() {
  return Caller{.principal = "principals/performance",
                .unit = "units/jixiao",
                .roles = {v1::ROLE_PERFORMANCE_OFFICE}};
}

class LedgerStoreTest : public StoreFixture {
 protected:
  LedgerContext Context() const {
    return LedgerContext{.caller = Office(),
                         .now = now_,
                         .zone = Shanghai(),
                         .policy = &ledger_policy_,
                         .indicators = &units_,
                         .name = ""};
  }

  // As the performance service does: an entry is named once it is valid,
  // so a refused request leaves no gap in the numbering.
  absl::StatusOr<v1::LedgerEntry> Numbered(absl::StatusOr<v1::LedgerEntry> entry) {
    if (entry.ok()) entry->set_name(LedgerEntryName(ledger_->NewEntryId()));
    return entry;
  }

  absl::StatusOr<v1::LedgerEntry> Deduct(const std::string& indicator, const std::string& points,
                                         const std::string& period,
                                         const RequestKey& key = RequestKey{}) {
    v1::CreateDeductionRequest request;
    request.set_indicator(indicator);
    request.set_points(points);
    request.set_period(period);
    request.set_reason("考核扣分");
    return ledger_->Put(key, now_, [&] { return Numbered(NewDeduction(request, Context())); });
  }

  absl::StatusOr<v1::LedgerEntry> FailVeto(const std::string& indicator,
                                           const std::string& period) {
    v1::FailVetoRequest request;
    request.set_indicator(indicator);
    request.set_period(period);
    request.set_reason("一票否决");
    request.add_evidence("reports/1");
    return ledger_->Put(RequestKey{}, now_,
                        [&] { return Numbered(NewVetoFailure(request, Context())); });
  }

  // Reverses entry `id` the way the service does: ReversedBy read inside
  // the write.
  absl::StatusOr<v1::LedgerEntry> Reverse(uint64_t id, const RequestKey& key = RequestKey{}) {
    v1::ReverseLedgerEntryRequest request;
    request.set_name(LedgerEntryName(id));
    request.set_reason("复核撤销");
    return ledger_->Put(key, now_, [&]() -> absl::StatusOr<v1::LedgerEntry> {
      absl::StatusOr<v1::LedgerEntry> original = ledger_->Get(id);
      if (!original.ok()) return original.status();
      absl::StatusOr<std::string> reversed_by = ledger_->ReversedBy(id);
      if (!reversed_by.ok()) return reversed_by.status();
      return Numbered(NewReversal(*original, *reversed_by, request, Context()));
    });
  }

  // Entry names of every page of `query`.
  std::vector<std::string> AllNames(const LedgerQuery& query, int page_size) {
    std::vector<std::string> names;
    std::string token;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<LedgerPage> page = ledger_->List(query, page_size, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(page->entries.size(), static_cast<size_t>(page_size));
      for (const v1::LedgerEntry& entry : page->entries) names.push_back(entry.name());
      token = page->next_page_token;
      if (token.empty()) return names;
    }
    ADD_FAILURE() << "List never ran out of pages";
    return names;
  }

  // Five entries over two periods and three indicators:
  //   1 renju 2024    nongye, ziran, chengguan
  //   2 gengdi 2024   (veto) ziran, nongye
  //   3 renju 2025    nongye, ziran, chengguan
  //   4 liangshi 2025 nongye, ziran
  //   5 renju 2024    nongye, ziran, chengguan
  void MakeFive() {
    ASSERT_TRUE(Deduct("indicators/renju", "2", "2024").ok());
    ASSERT_TRUE(FailVeto("indicators/gengdi", "2024").ok());
    ASSERT_TRUE(Deduct("indicators/renju", "1", "2025").ok());
    ASSERT_TRUE(Deduct("indicators/liangshi", "0.5", "2025").ok());
    ASSERT_TRUE(Deduct("indicators/renju", "0.33", "2024").ok());
  }
};

TEST_F(LedgerStoreTest, PutStoresTheEntryAndGetReadsIt) {
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry stored, Deduct("indicators/renju", "2", "2024"));
  EXPECT_EQ(stored.name(), "ledgerEntries/1");
  EXPECT_EQ(stored.county_points(), "2");
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry read, ledger_->Get(1));
  EXPECT_EQ(read.SerializeAsString(), stored.SerializeAsString());
  ASSERT_OK_AND_ASSIGN(std::string reversed_by, ledger_->ReversedBy(1));
  EXPECT_EQ(reversed_by, "");

  absl::StatusOr<v1::LedgerEntry> missing = ledger_->Get(2);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorReason(missing.status()), "LEDGER_ENTRY_NOT_FOUND");
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerStoreTest, ListFiltersByPeriodIndicatorAndUnitOldestFirst) {
  ASSERT_NO_FATAL_FAILURE(MakeFive());
  auto names = [](std::vector<int> ids) {
    std::vector<std::string> out;
    for (int id : ids) out.push_back(LedgerEntryName(id));
    return out;
  };
  struct Case {
    const char* name;
    LedgerQuery query;
    std::vector<std::string> expected;
  } cases[] = {
      {"everything", {}, names({1, 2, 3, 4, 5})},
      {"period 2024", {.period = "2024"}, names({1, 2, 5})},
      {"period 2025", {.period = "2025"}, names({3, 4})},
      {"period without entries", {.period = "2023"}, {}},
      {"indicator renju", {.indicator = "indicators/renju"}, names({1, 3, 5})},
      {"indicator gengdi", {.indicator = "indicators/gengdi"}, names({2})},
      {"unit chengguan", {.unit = "units/chengguan"}, names({1, 3, 5})},
      {"unit nongye", {.unit = "units/nongye"}, names({1, 2, 3, 4, 5})},
      {"unit tongji", {.unit = "units/tongji"}, {}},
      {"period and unit", {.period = "2025", .unit = "units/chengguan"}, names({3})},
      {"period and indicator", {.period = "2024", .indicator = "indicators/renju"}, names({1, 5})},
      {"indicator and unit", {.indicator = "indicators/liangshi", .unit = "units/chengguan"}, {}},
      {"all three",
       {.period = "2024", .indicator = "indicators/gengdi", .unit = "units/ziran"},
       names({2})},
  };
  for (const Case& c : cases) {
    for (int page_size : {1, 2, 100}) {
      EXPECT_THAT(AllNames(c.query, page_size), ElementsAreArray(c.expected))
          << c.name << ", pages of " << page_size;
    }
  }
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerStoreTest, APageTokenBelongsToItsQuery) {
  ASSERT_NO_FATAL_FAILURE(MakeFive());
  ASSERT_OK_AND_ASSIGN(LedgerPage first, ledger_->List(LedgerQuery{.period = "2024"}, 1, ""));
  ASSERT_FALSE(first.next_page_token.empty());
  for (const LedgerQuery& other :
       {LedgerQuery{.period = "2025"}, LedgerQuery{}, LedgerQuery{.unit = "units/nongye"}}) {
    absl::StatusOr<LedgerPage> page = ledger_->List(other, 1, first.next_page_token);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument) << other.Canonical();
  }
  absl::StatusOr<LedgerPage> garbage = ledger_->List(LedgerQuery{}, 1, "not-a-token");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LedgerStoreTest, EntriesOfAPeriodComeOldestFirst) {
  ASSERT_NO_FATAL_FAILURE(MakeFive());
  ASSERT_OK_AND_ASSIGN(std::vector<v1::LedgerEntry> entries, ledger_->EntriesOf("2024"));
  std::vector<std::string> names;
  for (const v1::LedgerEntry& entry : entries) names.push_back(entry.name());
  EXPECT_THAT(names, ElementsAre("ledgerEntries/1", "ledgerEntries/2", "ledgerEntries/5"));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::LedgerEntry> none, ledger_->EntriesOf("2030"));
  EXPECT_THAT(none, IsEmpty());
}

TEST_F(LedgerStoreTest, AReversalIsRecordedAgainstTheEntryItReverses) {
  ASSERT_NO_FATAL_FAILURE(MakeFive());
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry reversal, Reverse(2));
  EXPECT_EQ(reversal.name(), "ledgerEntries/6");
  EXPECT_EQ(reversal.reverses(), "ledgerEntries/2");
  ASSERT_OK_AND_ASSIGN(std::string reversed_by, ledger_->ReversedBy(2));
  EXPECT_EQ(reversed_by, "ledgerEntries/6");
  ASSERT_OK_AND_ASSIGN(std::string not_reversed, ledger_->ReversedBy(1));
  EXPECT_EQ(not_reversed, "");
  // The reversal is indexed like any entry: gengdi, 2024, its units.
  EXPECT_THAT(AllNames(LedgerQuery{.indicator = "indicators/gengdi"}, 10),
              ElementsAre("ledgerEntries/2", "ledgerEntries/6"));
  EXPECT_TRUE(StoreIsConsistent(*database_));

  // A second reversal, and a reversal of the reversal, are refused and
  // write nothing.
  const auto before = Dump(*database_, Family::kLedger);
  absl::StatusOr<v1::LedgerEntry> again = Reverse(2);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(again.status()), "ALREADY_REVERSED");
  absl::StatusOr<v1::LedgerEntry> of_reversal = Reverse(6);
  EXPECT_EQ(of_reversal.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(of_reversal.status()), "REVERSAL_NOT_REVERSIBLE");
  EXPECT_TRUE(Dump(*database_, Family::kLedger) == before);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerStoreTest, IdsContinueAfterReopen) {
  ASSERT_NO_FATAL_FAILURE(MakeFive());
  // Ids handed out but never stored leave harmless gaps.
  (void)ledger_->NewEntryId();
  (void)ledger_->NewEntryId();
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry eighth, Deduct("indicators/renju", "1", "2024"));
  EXPECT_EQ(eighth.name(), "ledgerEntries/8");
  ReopenStores();
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry ninth, Deduct("indicators/renju", "1", "2024"));
  EXPECT_EQ(ninth.name(), "ledgerEntries/9");
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry first, ledger_->Get(1));
  EXPECT_EQ(first.indicator(), "indicators/renju");
  EXPECT_THAT(AllNames(LedgerQuery{.period = "2024"}, 2),
              ElementsAre("ledgerEntries/1", "ledgerEntries/2", "ledgerEntries/5",
                          "ledgerEntries/8", "ledgerEntries/9"));
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerStoreTest, ReversalsSurviveAReopen) {
  ASSERT_TRUE(Deduct("indicators/renju", "2", "2024").ok());
  ASSERT_TRUE(Reverse(1).ok());
  ReopenStores();
  ASSERT_OK_AND_ASSIGN(std::string reversed_by, ledger_->ReversedBy(1));
  EXPECT_EQ(reversed_by, "ledgerEntries/2");
  EXPECT_EQ(ErrorReason(Reverse(1).status()), "ALREADY_REVERSED");
}

TEST_F(LedgerStoreTest, ARetryWithTheSameRequestIdReturnsTheFirstAnswer) {
  const RequestKey key{
      .principal = "principals/performance", .request_id = "d-1", .fingerprint = "renju 2"};
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry first, Deduct("indicators/renju", "2", "2024", key));
  // Same id and fingerprint: the first answer, nothing new written, even if
  // the writer would now make something else.
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry retried, Deduct("indicators/renju", "5", "2025", key));
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  EXPECT_THAT(AllNames(LedgerQuery{}, 10), ElementsAre("ledgerEntries/1"));

  const RequestKey reused{
      .principal = "principals/performance", .request_id = "d-1", .fingerprint = "other"};
  absl::StatusOr<v1::LedgerEntry> refused = Deduct("indicators/renju", "5", "2025", reused);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(AllNames(LedgerQuery{}, 10), ElementsAre("ledgerEntries/1"));

  // Request ids are per principal.
  const RequestKey someone_else{
      .principal = "principals/other", .request_id = "d-1", .fingerprint = "renju 2"};
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry second,
                       Deduct("indicators/renju", "2", "2024", someone_else));
  EXPECT_NE(second.name(), first.name());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(LedgerStoreTest, ARefusedEntryWritesNothing) {
  const RequestKey key{.principal = "principals/performance", .request_id = "bad"};
  absl::StatusOr<v1::LedgerEntry> refused = Deduct("indicators/renju", "0", "2024", key);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Dump(*database_, Family::kLedger), IsEmpty());
  EXPECT_THAT(Dump(*database_, Family::kRequests), IsEmpty());
  // The request id is still free for a good request, and the numbering has
  // no gap.
  ASSERT_OK_AND_ASSIGN(v1::LedgerEntry good, Deduct("indicators/renju", "1", "2024", key));
  EXPECT_EQ(good.county_points(), "1");
  EXPECT_EQ(good.name(), "ledgerEntries/1");
}

TEST_F(LedgerStoreTest, IndexPrefixesFollowTheMostSelectiveTerm) {
  struct Case {
    LedgerQuery query;
    char tag;
  } cases[] = {
      {{}, 'e'},
      {{.period = "2024"}, 'p'},
      {{.unit = "units/nongye"}, 'u'},
      {{.period = "2024", .unit = "units/nongye"}, 'u'},
      {{.indicator = "indicators/renju"}, 'i'},
      {{.period = "2024", .indicator = "indicators/renju", .unit = "units/nongye"}, 'i'},
  };
  for (const Case& c : cases) {
    const std::string prefix = LedgerIndexPrefix(c.query);
    ASSERT_FALSE(prefix.empty());
    EXPECT_EQ(prefix[0], c.tag) << c.query.Canonical();
  }
  EXPECT_EQ(LedgerIdOfKey(LedgerEntryKey(42)), 42u);
  EXPECT_EQ(LedgerIdOfKey(ReversedByKey(7)), 7u);
  EXPECT_LT(LedgerEntryKey(2), LedgerEntryKey(10)) << "entries sort by id";
}

}  // namespace
}  // namespace duban::storage
