// DirectoryStore as the indicator catalogue: PutIndicator, PutAll with
// indicators, ListIndicators, and what survives a reopen.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "domain/indicator_rules.h"
#include "storage/directory_store.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Indicator MakeIndicator(const std::string& code, const std::string& points, bool veto,
                            const std::string& lead, std::vector<std::string> cooperating) {
  v1::Indicator indicator;
  indicator.set_display_name(code);
  indicator.set_points(points);
  indicator.set_veto(veto);
  indicator.set_lead_unit(lead);
  for (const std::string& unit : cooperating) indicator.add_cooperating_units(unit);
  return NewIndicator(code, indicator, TestStart());
}

// Four indicators, by name: dadou, gengdi, houpinggu, renju.
std::vector<v1::Indicator> SeedIndicators() {
  return {MakeIndicator("gengdi", "5", true, "units/ziran", {"units/nongye"}),
          MakeIndicator("renju", "8", false, "units/nongye", {"units/ziran", "units/chengguan"}),
          MakeIndicator("dadou", "5", true, "units/nongye", {}),
          MakeIndicator("houpinggu", "10", false, "units/chengguan", {})};
}

class DirectoryIndicatorsTest : public StoreFixture {
 protected:
  absl::StatusOr<v1::Indicator> Put(const std::string& code, const std::string& points,
                                    const RequestKey& key = RequestKey{}) {
    return directory_->PutIndicator(
        "indicators/" + code, key, now_,
        [&](const v1::Indicator* current) -> absl::StatusOr<v1::Indicator> {
          ++writes_;
          v1::Indicator input = MakeIndicator(code, points, false, "units/nongye", {});
          return current ? UpdatedIndicator(*current, input, now_)
                         : NewIndicator(code, input, now_);
        });
  }

  std::vector<std::string> AllNames(const IndicatorQuery& query, int page_size) {
    std::vector<std::string> names;
    std::string token;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<IndicatorPage> page = directory_->ListIndicators(query, page_size, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(page->indicators.size(), static_cast<size_t>(page_size));
      for (const v1::Indicator& indicator : page->indicators) names.push_back(indicator.name());
      token = page->next_page_token;
      if (token.empty()) return names;
    }
    ADD_FAILURE() << "ListIndicators never ran out of pages";
    return names;
  }

  int writes_ = 0;
};

TEST_F(DirectoryIndicatorsTest, PutIndicatorCreatesThenUpdates) {
  EXPECT_FALSE(directory_->FindIndicator("indicators/houpinggu").has_value());
  ASSERT_OK_AND_ASSIGN(v1::Indicator created, Put("houpinggu", "10"));
  EXPECT_EQ(created.name(), "indicators/houpinggu");
  EXPECT_EQ(created.etag(), "1");
  ASSERT_OK_AND_ASSIGN(v1::Indicator updated, Put("houpinggu", "12.5"));
  EXPECT_EQ(updated.etag(), "2");
  EXPECT_EQ(updated.points(), "12.5");
  std::optional<v1::Indicator> found = directory_->FindIndicator("indicators/houpinggu");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->SerializeAsString(), updated.SerializeAsString());
  EXPECT_FALSE(directory_->FindIndicator("indicators/houpingg").has_value());
  EXPECT_EQ(writes_, 2);
}

TEST_F(DirectoryIndicatorsTest, ARefusedWriteChangesNothing) {
  ASSERT_TRUE(Put("renju", "8").ok());
  const auto before = Dump(*database_, Family::kDirectory);
  const std::string stored = directory_->FindIndicator("indicators/renju")->SerializeAsString();
  struct Case {
    const char* what;
    std::function<absl::StatusOr<v1::Indicator>(const v1::Indicator*)> write;
    absl::StatusCode code;
  };
  const Case cases[] = {
      {"writer refuses",
       [](const v1::Indicator*) -> absl::StatusOr<v1::Indicator> {
         return absl::AbortedError("etag mismatch");
       },
       absl::StatusCode::kAborted},
      {"writer renames",
       [](const v1::Indicator* current) -> absl::StatusOr<v1::Indicator> {
         v1::Indicator renamed = *current;
         renamed.set_name("indicators/other");
         return renamed;
       },
       absl::StatusCode::kInternal},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::Indicator> result = directory_->PutIndicator(
        "indicators/renju", RequestKey{.principal = "principals/performance", .request_id = c.what},
        now_, [&](const v1::Indicator* current) { return c.write(current); });
    EXPECT_EQ(result.status().code(), c.code) << c.what;
    EXPECT_TRUE(Dump(*database_, Family::kDirectory) == before) << c.what;
    EXPECT_EQ(directory_->FindIndicator("indicators/renju")->SerializeAsString(), stored) << c.what;
    EXPECT_FALSE(directory_->FindIndicator("indicators/other").has_value()) << c.what;
  }
}

TEST_F(DirectoryIndicatorsTest, ARetriedPutAnswersAsTheFirstTime) {
  const RequestKey key{
      .principal = "principals/performance", .request_id = "i-1", .fingerprint = "f"};
  ASSERT_OK_AND_ASSIGN(v1::Indicator first, Put("houpinggu", "10", key));
  ASSERT_OK_AND_ASSIGN(v1::Indicator second, Put("houpinggu", "20", key));
  EXPECT_EQ(writes_, 1);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(directory_->FindIndicator("indicators/houpinggu")->points(), "10");
}

TEST_F(DirectoryIndicatorsTest, ListIndicatorsFiltersAndPages) {
  ASSERT_TRUE(directory_->PutAll({}, {}, SeedIndicators()).ok());
  struct Case {
    const char* what;
    IndicatorQuery query;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"all",
       {},
       {"indicators/dadou", "indicators/gengdi", "indicators/houpinggu", "indicators/renju"}},
      {"veto", {.veto = true}, {"indicators/dadou", "indicators/gengdi"}},
      {"not veto", {.veto = false}, {"indicators/houpinggu", "indicators/renju"}},
      {"led or helped by nongye",
       {.unit = "units/nongye"},
       {"indicators/dadou", "indicators/gengdi", "indicators/renju"}},
      {"chengguan", {.unit = "units/chengguan"}, {"indicators/houpinggu", "indicators/renju"}},
      {"veto and ziran", {.veto = true, .unit = "units/ziran"}, {"indicators/gengdi"}},
      {"nobody's", {.unit = "units/jiwei"}, {}},
  };
  for (const Case& c : cases) {
    for (int page_size : {1, 2, 100}) {
      EXPECT_EQ(AllNames(c.query, page_size), c.expected) << c.what << ", page_size " << page_size;
    }
  }
  ASSERT_OK_AND_ASSIGN(IndicatorPage first, directory_->ListIndicators({.veto = true}, 1, ""));
  ASSERT_FALSE(first.next_page_token.empty());
  absl::StatusOr<IndicatorPage> reused =
      directory_->ListIndicators({.veto = false}, 1, first.next_page_token);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(reused.status().message()), HasSubstr("page_token"));
}

TEST_F(DirectoryIndicatorsTest, IndicatorsSurviveAReopen) {
  ASSERT_TRUE(directory_->PutAll({}, {}, SeedIndicators()).ok());
  ASSERT_TRUE(Put("renju", "9").ok());
  ReopenStores();
  EXPECT_EQ(AllNames({}, 10),
            (std::vector<std::string>{"indicators/dadou", "indicators/gengdi",
                                      "indicators/houpinggu", "indicators/renju"}));
  std::optional<v1::Indicator> renju = directory_->FindIndicator("indicators/renju");
  ASSERT_TRUE(renju.has_value());
  EXPECT_EQ(renju->points(), "9");
  EXPECT_EQ(renju->etag(), "2");
  std::optional<v1::Indicator> gengdi = directory_->FindIndicator("indicators/gengdi");
  ASSERT_TRUE(gengdi.has_value());
  EXPECT_TRUE(gengdi->veto());
  EXPECT_THAT(gengdi->cooperating_units(), ElementsAre("units/nongye"));
}

TEST_F(DirectoryIndicatorsTest, PutAllReplacesIndicatorsOfTheSameName) {
  ASSERT_TRUE(directory_->PutAll({}, {}, SeedIndicators()).ok());
  ASSERT_TRUE(
      directory_->PutAll({}, {}, {MakeIndicator("renju", "6", false, "units/ziran", {})}).ok());
  ReopenStores();
  EXPECT_EQ(directory_->FindIndicator("indicators/renju")->points(), "6");
  EXPECT_EQ(directory_->FindIndicator("indicators/renju")->lead_unit(), "units/ziran");
  EXPECT_EQ(AllNames({}, 10).size(), 4u);
}

// The store is the catalogue the loop consults: a ticket about a stored
// indicator takes its units.
TEST_F(DirectoryIndicatorsTest, TicketsTakeTheirUnitsFromTheStoredIndicator) {
  ASSERT_TRUE(directory_->PutAll({}, {}, SeedIndicators()).ok());
  const v1::CreateTicketRequest request = [&] {
    v1::CreateTicketRequest r = CreateRequest({.indicator = "indicators/gengdi"});
    r.mutable_ticket()->clear_lead_unit();
    return r;
  }();
  LoopContext context = ContextFor(Leader());
  context.indicators = directory_.get();
  ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, tickets_->Create(RequestKey{}, now_, [&](uint64_t id) {
    return NewTicket(id, request, nullptr, context);
  }));
  EXPECT_EQ(ticket.lead_unit(), "units/ziran");
  EXPECT_THAT(ticket.cooperating_units(), ElementsAre("units/nongye"));

  v1::CreateTicketRequest unknown = CreateRequest({.indicator = "indicators/liangshi"});
  absl::StatusOr<v1::Ticket> refused = tickets_->Create(
      RequestKey{}, now_, [&](uint64_t id) { return NewTicket(id, unknown, nullptr, context); });
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
      << "liangshi is only in the fake directory, not in the store";
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
