// Indicators: what makes one valid, how updates are stamped, which a list
// asks for, and what a ticket about one takes from it.
#include "domain/indicator_rules.h"

#include <string>
#include <vector>

#include "base/time_convert.h"
#include "domain/ticket_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"
#include "tests/support/fake_directory.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::FakeDirectory;
using ::duban::testing::Friday;
using ::duban::testing::LoopWorld;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

v1::Indicator Houpinggu() {
  v1::Indicator indicator;
  indicator.set_display_name("巩固脱贫成果后评估");
  indicator.set_points("10");
  indicator.set_lead_unit("units/nongye");
  indicator.add_cooperating_units("units/ziran");
  indicator.add_cooperating_units("units/chengguan");
  indicator.set_description("按省考核办法评分");
  return indicator;
}

TEST(IndicatorRulesTest, ValidateIndicatorNamesEachBadField) {
  struct Case {
    const char* name;
    void (*mutate)(v1::Indicator&);
    std::vector<std::string> fields;
  } cases[] = {
      {"good", [](v1::Indicator&) {}, {}},
      {"no cooperating units", [](auto& i) { i.clear_cooperating_units(); }, {}},
      {"zero points", [](auto& i) { i.set_points("0"); }, {}},
      {"1000 points", [](auto& i) { i.set_points("1000"); }, {}},
      {"two decimals", [](auto& i) { i.set_points("2.75"); }, {}},
      {"no display name", [](auto& i) { i.clear_display_name(); }, {"indicator.display_name"}},
      {"no points", [](auto& i) { i.clear_points(); }, {"indicator.points"}},
      {"points not a number", [](auto& i) { i.set_points("ten"); }, {"indicator.points"}},
      {"negative points", [](auto& i) { i.set_points("-1"); }, {"indicator.points"}},
      {"over 1000 points", [](auto& i) { i.set_points("1000.01"); }, {"indicator.points"}},
      {"three decimals", [](auto& i) { i.set_points("1.125"); }, {"indicator.points"}},
      {"no lead unit", [](auto& i) { i.clear_lead_unit(); }, {"indicator.lead_unit"}},
      {"unknown lead unit",
       [](auto& i) { i.set_lead_unit("units/nosuch"); },
       {"indicator.lead_unit"}},
      {"lead not a unit name", [](auto& i) { i.set_lead_unit("nongye"); }, {"indicator.lead_unit"}},
      {"lead also cooperating",
       [](auto& i) { i.add_cooperating_units("units/nongye"); },
       {"indicator.cooperating_units[2]"}},
      {"cooperating twice",
       [](auto& i) { i.add_cooperating_units("units/ziran"); },
       {"indicator.cooperating_units[2]"}},
      {"unknown cooperating unit",
       [](auto& i) { i.set_cooperating_units(0, "units/nosuch"); },
       {"indicator.cooperating_units[0]"}},
      {"several",
       [](auto& i) {
         i.clear_display_name();
         i.set_points("x");
         i.set_cooperating_units(1, "units/nosuch");
       },
       {"indicator.display_name", "indicator.points", "indicator.cooperating_units[1]"}},
  };
  const FakeDirectory units;
  for (const auto& c : cases) {
    v1::Indicator indicator = Houpinggu();
    c.mutate(indicator);
    const absl::Status status = ValidateIndicator(indicator, units);
    EXPECT_EQ(status.ok(), c.fields.empty()) << c.name << ": " << status;
    if (!status.ok()) {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.name;
    }
    EXPECT_EQ(BadRequestFields(status), c.fields) << c.name;
  }
}

TEST(IndicatorRulesTest, RequestsNameABadIdOrNameAloneAndThenEachBadField) {
  const FakeDirectory units;
  const auto create = [&](const std::string& id, const v1::Indicator& indicator) {
    v1::CreateIndicatorRequest request;
    request.set_indicator_id(id);
    *request.mutable_indicator() = indicator;
    return Validate(request, units);
  };
  const auto update = [&](const std::string& name, v1::Indicator indicator) {
    v1::UpdateIndicatorRequest request;
    indicator.set_name(name);
    *request.mutable_indicator() = indicator;
    return Validate(request, units);
  };
  const auto get = [](const std::string& name) {
    v1::GetIndicatorRequest request;
    request.set_name(name);
    return Validate(request);
  };
  v1::Indicator nameless = Houpinggu();
  nameless.clear_display_name();
  const struct {
    const char* label;
    absl::Status status;
    std::vector<std::string> fields;
    std::string message;
  } kCases[] = {
      {"create", create("houpinggu", Houpinggu()), {}, ""},
      {"create, bad id",
       create("hou_pinggu", Houpinggu()),
       {"indicator_id"},
       "indicator_id: must be 1-63 characters of a-z, 0-9 and '-', starting with a letter"},
      {"create, bad id and no display name", create("", nameless), {"indicator_id"}, ""},
      {"create, no display name", create("houpinggu", nameless), {"indicator.display_name"}, ""},
      {"update", update("indicators/houpinggu", Houpinggu()), {}, ""},
      {"update, a unit's name",
       update("units/houpinggu", Houpinggu()),
       {"indicator.name"},
       "indicator.name: must be an indicator name like indicators/gengdi"},
      {"update, no name and no display name", update("", nameless), {"indicator.name"}, ""},
      {"update, no display name",
       update("indicators/houpinggu", nameless),
       {"indicator.display_name"},
       ""},
      {"get", get("indicators/gengdi"), {}, ""},
      {"get, no name", get(""), {"name"}, "name: must be an indicator name like indicators/gengdi"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(c.status.code(),
              c.fields.empty() ? absl::StatusCode::kOk : absl::StatusCode::kInvalidArgument)
        << c.label << ": " << c.status;
    EXPECT_EQ(BadRequestFields(c.status), c.fields) << c.label;
    if (!c.message.empty()) EXPECT_EQ(c.status.message(), c.message) << c.label;
  }
}

TEST(IndicatorRulesTest, NewIndicatorIsNamedStampedAndNormalized) {
  v1::Indicator input = Houpinggu();
  input.set_points("10.50");
  input.set_name("indicators/ignored");
  const v1::Indicator stored = NewIndicator("houpinggu", input, Friday());
  EXPECT_EQ(stored.name(), "indicators/houpinggu");
  EXPECT_EQ(stored.points(), "10.5");
  EXPECT_EQ(stored.display_name(), "巩固脱贫成果后评估");
  EXPECT_THAT(stored.cooperating_units(), ElementsAre("units/ziran", "units/chengguan"));
  EXPECT_EQ(FromTimestamp(stored.create_time()), Friday());
  EXPECT_EQ(FromTimestamp(stored.update_time()), Friday());
  EXPECT_EQ(stored.etag(), "1");
}

TEST(IndicatorRulesTest, UpdatedIndicatorKeepsNameAndCreateTimeAndBumpsTheEtag) {
  const v1::Indicator current = NewIndicator("houpinggu", Houpinggu(), Friday());
  v1::Indicator update = Houpinggu();
  update.set_points("12");
  update.set_veto(true);
  update.clear_cooperating_units();
  const absl::Time later = Friday() + absl::Hours(3);
  const v1::Indicator stored = UpdatedIndicator(current, update, later);
  EXPECT_EQ(stored.name(), "indicators/houpinggu");
  EXPECT_EQ(stored.points(), "12");
  EXPECT_TRUE(stored.veto());
  EXPECT_THAT(stored.cooperating_units(), IsEmpty());
  EXPECT_EQ(FromTimestamp(stored.create_time()), Friday());
  EXPECT_EQ(FromTimestamp(stored.update_time()), later);
  EXPECT_EQ(stored.etag(), "2");
  EXPECT_EQ(UpdatedIndicator(stored, update, later).etag(), "3");
}

TEST(IndicatorRulesTest, QueriesParseAndMatch) {
  struct Case {
    const char* filter;
    bool ok;
    bool matches_houpinggu;  // lead nongye, cooperating ziran and chengguan, no veto
  } cases[] = {
      {"", true, true},
      {"veto=false", true, true},
      {"veto=true", true, false},
      {"unit=units/nongye", true, true},
      {"unit=units/chengguan", true, true},
      {"unit=units/tongji", true, false},
      {"veto=false AND unit=units/ziran", true, true},
      {"veto=yes", false, false},
      {"unit=nongye", false, false},
      {"points=10", false, false},
  };
  const v1::Indicator houpinggu = NewIndicator("houpinggu", Houpinggu(), Friday());
  for (const auto& c : cases) {
    absl::StatusOr<IndicatorQuery> query = ParseIndicatorQuery(c.filter);
    EXPECT_EQ(query.ok(), c.ok) << c.filter << ": " << query.status();
    if (!query.ok()) {
      EXPECT_THAT(BadRequestFields(query.status()), ElementsAre("filter")) << c.filter;
      continue;
    }
    EXPECT_EQ(query->Matches(houpinggu), c.matches_houpinggu) << c.filter;
  }
  EXPECT_NE(IndicatorQuery{.veto = true}.Canonical(), IndicatorQuery{.veto = false}.Canonical());
  EXPECT_NE(IndicatorQuery{.veto = false}.Canonical(), IndicatorQuery{}.Canonical());
}

// A ticket about an indicator answers to the indicator's units unless the
// request names its own lead unit.
TEST(IndicatorTicketTest, ATicketWithoutALeadTakesTheIndicatorsUnits) {
  struct Case {
    const char* name;
    std::string lead;
    std::vector<std::string> cooperating;
    std::string expected_lead;
    std::vector<std::string> expected_cooperating;
  } cases[] = {
      {"no units: the indicator's", "", {}, "units/nongye", {"units/ziran", "units/chengguan"}},
      {"own lead: kept, with own cooperating", "units/ziran", {}, "units/ziran", {}},
      {"own lead and cooperating",
       "units/chengguan",
       {"units/ziran"},
       "units/chengguan",
       {"units/ziran"}},
      {"only cooperating given: the indicator's lead, the request's cooperating",
       "",
       {"units/chengguan"},
       "units/nongye",
       {"units/chengguan"}},
  };
  for (const Case& c : cases) {
    LoopWorld world;
    v1::CreateTicketRequest request = world.TaskRequest();
    v1::Ticket& input = *request.mutable_ticket();
    input.set_indicator("indicators/renju");
    input.set_lead_unit(c.lead);
    input.clear_cooperating_units();
    for (const std::string& unit : c.cooperating) input.add_cooperating_units(unit);
    absl::StatusOr<TicketChange> change =
        NewTicket(7, request, nullptr, world.ContextFor(world.leader));
    ASSERT_TRUE(change.ok()) << c.name << ": " << change.status();
    EXPECT_EQ(change->ticket.indicator(), "indicators/renju") << c.name;
    EXPECT_EQ(change->ticket.lead_unit(), c.expected_lead) << c.name;
    EXPECT_THAT(change->ticket.cooperating_units(),
                ::testing::ElementsAreArray(c.expected_cooperating))
        << c.name;
    EXPECT_EQ(change->events.front().lead_unit(), c.expected_lead) << c.name;
    EXPECT_EQ(change->ticket.holder_unit(), c.expected_lead) << c.name;
  }
}

TEST(IndicatorTicketTest, AFindingAboutAnIndicatorTakesItsUnitsToo) {
  LoopWorld world;
  v1::CreateTicketRequest request = world.FindingRequest();
  request.mutable_ticket()->clear_lead_unit();
  request.mutable_ticket()->set_indicator("indicators/gengdi");
  absl::StatusOr<TicketChange> change =
      NewTicket(7, request, nullptr, world.ContextFor(world.inspector));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.lead_unit(), "units/ziran");
  EXPECT_THAT(change->ticket.cooperating_units(), ElementsAre("units/nongye"));
}

TEST(IndicatorTicketTest, CreationRefusesAnIndicatorNotInTheCatalogue) {
  struct Case {
    const char* name;
    std::string indicator;
    std::string lead;
    std::vector<std::string> fields;
  } cases[] = {
      {"unknown, with a lead", "indicators/nosuch", "units/nongye", {"ticket.indicator"}},
      // Nothing to take a lead from: the lead is missing as well.
      {"unknown, without a lead",
       "indicators/nosuch",
       "",
       {"ticket.lead_unit", "ticket.indicator"}},
      {"malformed", "indicators/No", "units/nongye", {"ticket.indicator"}},
  };
  for (const Case& c : cases) {
    LoopWorld world;
    v1::CreateTicketRequest request = world.TaskRequest();
    request.mutable_ticket()->set_indicator(c.indicator);
    request.mutable_ticket()->set_lead_unit(c.lead);
    absl::StatusOr<TicketChange> change =
        NewTicket(7, request, nullptr, world.ContextFor(world.leader));
    EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(BadRequestFields(change.status()), c.fields) << c.name;
  }
}

TEST(IndicatorTicketTest, AContextWithoutACatalogueRefusesAnyIndicator) {
  LoopWorld world;
  v1::CreateTicketRequest request = world.TaskRequest();
  request.mutable_ticket()->set_indicator("indicators/renju");
  LoopContext context = world.ContextFor(world.leader);
  context.indicators = nullptr;
  absl::StatusOr<TicketChange> change = NewTicket(7, request, nullptr, context);
  EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadRequestFields(change.status()), ElementsAre("ticket.indicator"));
}

}  // namespace
}  // namespace duban
