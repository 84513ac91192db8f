// TicketQuery: parsing the ListTickets filter, matching tickets against it,
// and narrowing it to what the caller may see.
#include "domain/ticket_query.h"

#include <functional>
#include <string>

#include "base/errors.h"
#include "base/time_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::Local;
using ::duban::testing::MakeCaller;
using ::testing::ElementsAre;

absl::Time AsOf() { return Local(2024, 3, 18, 9, 30); }

TEST(TicketQueryTest, ParsesEveryField) {
  static const struct {
    const char* filter;
    std::function<void(TicketQuery&)> expect;  // applied to a default query
  } kCases[] = {
      {"", [](TicketQuery&) {}},
      {"unit=units/nongye", [](TicketQuery& q) { q.unit = "units/nongye"; }},
      {"location=units/chengguan", [](TicketQuery& q) { q.location = "units/chengguan"; }},
      {"indicator=indicators/gengdi", [](TicketQuery& q) { q.indicator = "indicators/gengdi"; }},
      {"parent=tickets/3", [](TicketQuery& q) { q.parent = "tickets/3"; }},
      {"stage=IMPLEMENT", [](TicketQuery& q) { q.stage = v1::STAGE_IMPLEMENT; }},
      {"stage=implement", [](TicketQuery& q) { q.stage = v1::STAGE_IMPLEMENT; }},
      {"stage=STAGE_IMPROVE", [](TicketQuery& q) { q.stage = v1::STAGE_IMPROVE; }},
      {"stage=Cancelled", [](TicketQuery& q) { q.stage = v1::STAGE_CANCELLED; }},
      {"severity=hard_flaw", [](TicketQuery& q) { q.severity = v1::SEVERITY_HARD_FLAW; }},
      {"severity=MAJOR", [](TicketQuery& q) { q.severity = v1::SEVERITY_MAJOR; }},
      {"overdue=true", [](TicketQuery& q) { q.overdue = true; }},
      {"overdue=false", [](TicketQuery&) {}},
      {"card=RED", [](TicketQuery& q) { q.card = v1::CARD_RED; }},
      {"card=card_referred", [](TicketQuery& q) { q.card = v1::CARD_REFERRED; }},
      {"card=NONE", [](TicketQuery& q) { q.card = v1::CARD_NONE; }},
      {"holder_unit=units/ducha", [](TicketQuery& q) { q.holder_unit = "units/ducha"; }},
      {"inspection_unit=units/ducha", [](TicketQuery& q) { q.inspection_unit = "units/ducha"; }},
      {"responsible=principals/nongye-staff",
       [](TicketQuery& q) { q.responsible_principal = "principals/nongye-staff"; }},
      {"card=YELLOW AND holder_unit=units/nongye AND responsible=principals/a AND "
       "inspection_unit=units/ducha",
       [](TicketQuery& q) {
         q.card = v1::CARD_YELLOW;
         q.holder_unit = "units/nongye";
         q.responsible_principal = "principals/a";
         q.inspection_unit = "units/ducha";
       }},
      {"unit=units/ziran AND stage=FEEDBACK and severity=NORMAL AND overdue=true AND "
       "parent=tickets/12 AND location=units/chengguan-dongjie AND indicator=indicators/a1",
       [](TicketQuery& q) {
         q.unit = "units/ziran";
         q.stage = v1::STAGE_FEEDBACK;
         q.severity = v1::SEVERITY_NORMAL;
         q.overdue = true;
         q.parent = "tickets/12";
         q.location = "units/chengguan-dongjie";
         q.indicator = "indicators/a1";
       }},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<TicketQuery> query = ParseTicketQuery(c.filter, AsOf());
    ASSERT_TRUE(query.ok()) << "\"" << c.filter << "\": " << query.status();
    TicketQuery expected;
    expected.as_of = AsOf();
    c.expect(expected);
    EXPECT_EQ(query->unit, expected.unit) << c.filter;
    EXPECT_EQ(query->stage, expected.stage) << c.filter;
    EXPECT_EQ(query->severity, expected.severity) << c.filter;
    EXPECT_EQ(query->indicator, expected.indicator) << c.filter;
    EXPECT_EQ(query->location, expected.location) << c.filter;
    EXPECT_EQ(query->parent, expected.parent) << c.filter;
    EXPECT_EQ(query->overdue, expected.overdue) << c.filter;
    EXPECT_EQ(query->card, expected.card) << c.filter;
    EXPECT_EQ(query->holder_unit, expected.holder_unit) << c.filter;
    EXPECT_EQ(query->inspection_unit, expected.inspection_unit) << c.filter;
    EXPECT_EQ(query->responsible_principal, expected.responsible_principal) << c.filter;
    EXPECT_EQ(query->as_of, expected.as_of) << c.filter;
    EXPECT_EQ(query->Canonical(), expected.Canonical()) << c.filter;
  }
}

TEST(TicketQueryTest, RefusesBadValuesAndUnknownFields) {
  static const char* const kCases[] = {
      "unit=nongye",
      "unit=units/Nongye",
      "unit=units/",
      "location=chengguan",
      "indicator=gengdi",
      "indicator=units/gengdi",
      "parent=tickets/0",
      "parent=tickets/x",
      "parent=units/nongye",
      "stage=NOPE",
      "stage=UNSPECIFIED",
      "stage=STAGE_UNSPECIFIED",
      "stage=1",
      "severity=SEVERE",
      "severity=UNSPECIFIED",
      "overdue=yes",
      "overdue=1",
      "owner=principals/li",
      "kind=TASK",
      "stage=IMPLEMENT AND stage=CLOSED",
      "stage IMPLEMENT",
      "card=PURPLE",
      "card=UNSPECIFIED",
      "card=CARD_UNSPECIFIED",
      "holder_unit=ducha",
      "holder_unit=principals/li",
      "inspection_unit=tickets/3",
      "responsible=li",
      "responsible=units/nongye",
      "principal=principals/li",
  };
  for (const char* filter : kCases) {
    absl::StatusOr<TicketQuery> query = ParseTicketQuery(filter, AsOf());
    ASSERT_FALSE(query.ok()) << "\"" << filter << "\" was accepted";
    EXPECT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument) << filter;
    EXPECT_THAT(BadRequestFields(query.status()), ElementsAre("filter")) << filter;
  }
}

v1::Ticket SampleTicket() {
  v1::Ticket ticket;
  ticket.set_name("tickets/20");
  ticket.set_lead_unit("units/nongye");
  ticket.add_cooperating_units("units/ziran");
  ticket.set_stage(v1::STAGE_IMPLEMENT);
  ticket.set_severity(v1::SEVERITY_MAJOR);
  ticket.set_indicator("indicators/gengdi");
  ticket.set_location("units/chengguan");
  ticket.set_parent("tickets/3");
  *ticket.mutable_stage_due_time() = ToTimestamp(AsOf());
  ticket.set_card(v1::CARD_YELLOW);
  ticket.set_holder(v1::HOLDER_LEAD_UNIT);
  ticket.set_holder_unit("units/nongye");
  ticket.set_inspection_unit("units/ducha");
  ticket.set_responsible_principal("principals/nongye-staff");
  return ticket;
}

TEST(TicketQueryTest, Matches) {
  using QueryEdit = std::function<void(TicketQuery&)>;
  using TicketEdit = std::function<void(v1::Ticket&)>;
  const auto due = [](absl::Time time) {
    return [time](v1::Ticket& t) { *t.mutable_stage_due_time() = ToTimestamp(time); };
  };
  const auto overdue_at = [](absl::Time as_of) {
    return [as_of](TicketQuery& q) {
      q.overdue = true;
      q.as_of = as_of;
    };
  };
  const TicketEdit same = [](v1::Ticket&) {};
  const absl::Time now = AsOf();
  const struct {
    const char* label;
    QueryEdit query;
    TicketEdit ticket;
    bool matches;
  } kCases[] = {
      {"no terms", [](TicketQuery&) {}, same, true},
      {"lead unit", [](TicketQuery& q) { q.unit = "units/nongye"; }, same, true},
      {"cooperating unit", [](TicketQuery& q) { q.unit = "units/ziran"; }, same, true},
      {"uninvolved unit", [](TicketQuery& q) { q.unit = "units/chengguan"; }, same, false},
      {"stage", [](TicketQuery& q) { q.stage = v1::STAGE_IMPLEMENT; }, same, true},
      {"other stage", [](TicketQuery& q) { q.stage = v1::STAGE_INSPECT; }, same, false},
      {"severity", [](TicketQuery& q) { q.severity = v1::SEVERITY_MAJOR; }, same, true},
      {"other severity", [](TicketQuery& q) { q.severity = v1::SEVERITY_NORMAL; }, same, false},
      {"indicator", [](TicketQuery& q) { q.indicator = "indicators/gengdi"; }, same, true},
      {"other indicator", [](TicketQuery& q) { q.indicator = "indicators/x"; }, same, false},
      {"location", [](TicketQuery& q) { q.location = "units/chengguan"; }, same, true},
      {"other location", [](TicketQuery& q) { q.location = "units/nongye"; }, same, false},
      {"parent", [](TicketQuery& q) { q.parent = "tickets/3"; }, same, true},
      {"other parent", [](TicketQuery& q) { q.parent = "tickets/4"; }, same, false},
      {"card", [](TicketQuery& q) { q.card = v1::CARD_YELLOW; }, same, true},
      {"other card", [](TicketQuery& q) { q.card = v1::CARD_RED; }, same, false},
      {"card NONE is a card, not no filter", [](TicketQuery& q) { q.card = v1::CARD_NONE; }, same,
       false},
      {"holder unit", [](TicketQuery& q) { q.holder_unit = "units/nongye"; }, same, true},
      {"holder unit is not a cooperating unit",
       [](TicketQuery& q) { q.holder_unit = "units/ziran"; }, same, false},
      {"held by the inspection unit", [](TicketQuery& q) { q.holder_unit = "units/ducha"; },
       [](v1::Ticket& t) {
         t.set_stage(v1::STAGE_INSPECT);
         t.set_holder(v1::HOLDER_INSPECTION);
         t.set_holder_unit("units/ducha");
       },
       true},
      {"inspection unit", [](TicketQuery& q) { q.inspection_unit = "units/ducha"; }, same, true},
      {"other inspection unit", [](TicketQuery& q) { q.inspection_unit = "units/county"; }, same,
       false},
      {"inspection unit is not the unit term", [](TicketQuery& q) { q.unit = "units/ducha"; }, same,
       false},
      {"responsible", [](TicketQuery& q) { q.responsible_principal = "principals/nongye-staff"; },
       same, true},
      {"other responsible", [](TicketQuery& q) { q.responsible_principal = "principals/li"; }, same,
       false},
      {"responsible asked, nobody signed yet",
       [](TicketQuery& q) { q.responsible_principal = "principals/nongye-staff"; },
       [](v1::Ticket& t) { t.clear_responsible_principal(); }, false},
      {"all terms, one off",
       [](TicketQuery& q) {
         q.unit = "units/ziran";
         q.stage = v1::STAGE_IMPLEMENT;
         q.severity = v1::SEVERITY_MAJOR;
         q.parent = "tickets/99";
       },
       same, false},
      {"due a second before as_of", overdue_at(now), due(now - absl::Seconds(1)), true},
      {"due a microsecond before as_of", overdue_at(now), due(now - absl::Microseconds(1)), true},
      {"due exactly at as_of", overdue_at(now), due(now), false},
      {"due after as_of", overdue_at(now), due(now + absl::Hours(1)), false},
      {"as_of later than now", overdue_at(now + absl::Hours(2)), due(now + absl::Hours(1)), true},
      {"no stage clock", overdue_at(now), [](v1::Ticket& t) { t.clear_stage_due_time(); }, false},
      {"closed with an old clock", overdue_at(now),
       [now](v1::Ticket& t) {
         t.set_stage(v1::STAGE_CLOSED);
         *t.mutable_stage_due_time() = ToTimestamp(now - absl::Hours(48));
       },
       false},
      {"cancelled with an old clock", overdue_at(now),
       [now](v1::Ticket& t) {
         t.set_stage(v1::STAGE_CANCELLED);
         *t.mutable_stage_due_time() = ToTimestamp(now - absl::Hours(48));
       },
       false},
      {"overdue=false does not filter", [](TicketQuery& q) { q.overdue = false; },
       due(now + absl::Hours(1)), true},
  };
  for (const auto& c : kCases) {
    TicketQuery query;
    query.as_of = now;
    c.query(query);
    v1::Ticket ticket = SampleTicket();
    c.ticket(ticket);
    EXPECT_EQ(query.Matches(ticket), c.matches) << c.label;
  }
}

TEST(TicketQueryTest, CanonicalTiesAsOfOnlyToOverdueQueries) {
  TicketQuery a, b;
  a.as_of = AsOf();
  b.as_of = AsOf() + absl::Hours(1);
  EXPECT_EQ(a.Canonical(), b.Canonical());
  a.overdue = b.overdue = true;
  EXPECT_NE(a.Canonical(), b.Canonical());
  b.as_of = a.as_of;
  EXPECT_EQ(a.Canonical(), b.Canonical());
  b.stage = v1::STAGE_DEPLOY;
  EXPECT_NE(a.Canonical(), b.Canonical());
}

// Each new term changes the canonical text, so a page token cannot be
// carried over to a query that differs only in it.
TEST(TicketQueryTest, CanonicalCoversTheAccountabilityTerms) {
  const std::function<void(TicketQuery&)> kEdits[] = {
      [](TicketQuery& q) { q.card = v1::CARD_NONE; },
      [](TicketQuery& q) { q.holder_unit = "units/ducha"; },
      [](TicketQuery& q) { q.inspection_unit = "units/ducha"; },
      [](TicketQuery& q) { q.responsible_principal = "principals/li"; },
  };
  TicketQuery plain;
  plain.as_of = AsOf();
  for (size_t i = 0; i < std::size(kEdits); ++i) {
    TicketQuery edited = plain;
    kEdits[i](edited);
    EXPECT_NE(edited.Canonical(), plain.Canonical()) << "edit " << i;
  }
  TicketQuery holder = plain, inspection = plain;
  holder.holder_unit = "units/ducha";
  inspection.inspection_unit = "units/ducha";
  EXPECT_NE(holder.Canonical(), inspection.Canonical());
}

TEST(TicketQueryTest, ScopeToCaller) {
  const Caller staff = MakeCaller("nongye-staff", v1::ROLE_UNIT_STAFF, "nongye");
  const Caller leader = MakeCaller("li", v1::ROLE_LEADER, "county");
  const Caller inspector = MakeCaller("zhao", v1::ROLE_INSPECTOR, "ducha");
  Caller staff_and_inspector = staff;
  staff_and_inspector.roles.push_back(v1::ROLE_INSPECTOR);
  const struct {
    const char* label;
    Caller caller;
    std::string asked;  // the unit term of the filter
    absl::StatusCode code;
    std::string scoped;  // the unit term after scoping
  } kCases[] = {
      {"staff, no unit term", staff, "", absl::StatusCode::kOk, "units/nongye"},
      {"staff, own unit", staff, "units/nongye", absl::StatusCode::kOk, "units/nongye"},
      {"staff, another unit", staff, "units/ziran", absl::StatusCode::kPermissionDenied, ""},
      {"leader, no unit term", leader, "", absl::StatusCode::kOk, ""},
      {"leader, any unit", leader, "units/ziran", absl::StatusCode::kOk, "units/ziran"},
      {"inspector, no unit term", inspector, "", absl::StatusCode::kOk, ""},
      {"staff who also inspects", staff_and_inspector, "units/ziran", absl::StatusCode::kOk,
       "units/ziran"},
  };
  for (const auto& c : kCases) {
    TicketQuery query;
    query.unit = c.asked;
    query.stage = v1::STAGE_IMPLEMENT;
    const absl::Status status = ScopeToCaller(c.caller, query);
    EXPECT_EQ(status.code(), c.code) << c.label << ": " << status;
    if (status.ok()) {
      EXPECT_EQ(query.unit, c.scoped) << c.label;
      EXPECT_EQ(query.stage, v1::STAGE_IMPLEMENT) << c.label << ": other terms stay";
    } else {
      EXPECT_EQ(ErrorReason(status), "TICKET_NOT_OF_UNIT") << c.label;
    }
  }
}

// Unit staff see only their unit's tickets; staff without a unit (or a
// principal without roles, which UnitScoped() treats alike) have no unit and
// are refused outright, whether or not they name a unit — never widened to
// every ticket.
TEST(TicketQueryTest, ScopeToCallerWithoutAUnitIsRefused) {
  const Caller unitless_staff = MakeCaller("drifter", v1::ROLE_UNIT_STAFF, "");
  Caller roleless;
  roleless.principal = "principals/nobody";
  for (const Caller& caller : {unitless_staff, roleless}) {
    for (const char* asked : {"", "units/nongye"}) {
      TicketQuery query;
      query.as_of = AsOf();
      query.unit = asked;
      const absl::Status status = ScopeToCaller(caller, query);
      EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied)
          << caller.principal << " asking \"" << asked << "\": " << status;
      EXPECT_EQ(ErrorReason(status), "TICKET_NOT_OF_UNIT")
          << caller.principal << " asking \"" << asked << "\"";
    }
  }
}

}  // namespace
}  // namespace duban
