// What the organization department reads: per-unit and per-principal
// accountability records, and a ticket's fair clocks (who held it, for how
// many working days, and on whose watch each deadline slipped).
#include "domain/accountability_records.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/time_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"
#include "tests/support/fake_directory.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::FakeDirectory;
using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::duban::testing::Must;
using ::duban::testing::Shanghai;
using ::duban::testing::ShippedCalendar;
using ::duban::testing::TimeOf;
using ::testing::DoubleEq;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr v1::EscalationLevel kReminder = v1::ESCALATION_LEVEL_REMINDER;
constexpr v1::EscalationLevel kYellow = v1::ESCALATION_LEVEL_YELLOW;
constexpr v1::EscalationLevel kRed = v1::ESCALATION_LEVEL_RED;
constexpr v1::EscalationLevel kReferral = v1::ESCALATION_LEVEL_REFERRAL;

struct Fired {
  v1::EscalationLevel level;
  std::string holder_unit;
  int64_t stage_cycle = 2;
  v1::Stage stage = v1::STAGE_IMPLEMENT;
  absl::Time deadline = Local(2024, 4, 30, 18);
  // Unset: a record made before escalations named their principal.
  std::optional<std::string> responsible_principal = std::nullopt;
};

// Closed (or ended) on 2024-05-10; escalations fire at their deadline.
v1::Ticket TicketOf(int id, const std::string& lead_unit, v1::Stage stage,
                    const std::vector<Fired>& fired = {}) {
  v1::Ticket ticket;
  ticket.set_name(absl::StrCat("tickets/", id));
  ticket.set_lead_unit(lead_unit);
  ticket.set_inspection_unit("units/ducha");
  ticket.set_stage(stage);
  *ticket.mutable_stage_enter_time() = ToTimestamp(Local(2024, 5, 10, 9));
  for (const Fired& f : fired) {
    v1::EscalationRecord& record = *ticket.add_escalations();
    record.set_level(f.level);
    record.set_holder_unit(f.holder_unit);
    record.set_stage_cycle(f.stage_cycle);
    record.set_stage(f.stage);
    *record.mutable_deadline() = ToTimestamp(f.deadline);
    *record.mutable_fire_time() = ToTimestamp(f.deadline);
    if (f.responsible_principal) record.set_responsible_principal(*f.responsible_principal);
  }
  return ticket;
}

Period Year(int year) { return *ResolvePeriod("period", absl::StrCat(year), {}, Shanghai()); }

// The record of `subject` in `year`, built from whole tickets and referrals.
v1::AccountabilityRecord RecordIn(int year, const std::string& subject,
                                  const std::vector<v1::Ticket>& tickets,
                                  const std::vector<v1::Referral>& referrals) {
  const Period period = Year(year);
  return BuildRecord(subject, period.year, RecordSourcesOf(subject, period, tickets, referrals));
}

v1::AccountabilityRecord UnitRecord(const std::string& unit, const std::vector<v1::Ticket>& tickets,
                                    const std::vector<v1::Referral>& referrals) {
  return RecordIn(2024, unit, tickets, referrals);
}

v1::Referral ReferralOf(int id, std::vector<v1::DispositionKind> decisions = {}) {
  v1::Referral referral;
  referral.set_name(absl::StrCat("referrals/", id));
  referral.set_unit("units/nongye");
  referral.set_responsible_principal("principals/nongye-staff");
  *referral.mutable_create_time() = ToTimestamp(Local(2024, 5, 1) + absl::Hours(id));
  for (v1::DispositionKind kind : decisions) {
    v1::Disposition& disposition = *referral.add_dispositions();
    disposition.set_kind(kind);
    disposition.set_reason("依规处理");
  }
  referral.add_trail()->set_sequence(1);
  return referral;
}

std::map<v1::EscalationLevel, int> ByLevel(const v1::AccountabilityRecord& record) {
  std::map<v1::EscalationLevel, int> counts;
  for (const v1::LevelCount& entry : record.escalations()) counts[entry.level()] += entry.count();
  return counts;
}

std::map<v1::DispositionKind, int> ByKind(const v1::AccountabilityRecord& record) {
  std::map<v1::DispositionKind, int> counts;
  for (const v1::DispositionCount& entry : record.dispositions())
    counts[entry.kind()] += entry.count();
  return counts;
}

std::vector<std::string> Names(const v1::AccountabilityRecord& record) {
  std::vector<std::string> names;
  for (const v1::Referral& referral : record.recent_referrals()) names.push_back(referral.name());
  return names;
}

// The tickets of units/nongye, led by it and inspected by units/ducha.
std::vector<v1::Ticket> NongyeTickets() {
  return {
      TicketOf(1, "units/nongye", v1::STAGE_CLOSED),
      // The inspectors reviewed late: their slip, not the department's.
      TicketOf(2, "units/nongye", v1::STAGE_CLOSED,
               {{kYellow, "units/ducha", 4, v1::STAGE_INSPECT},
                {kRed, "units/ducha", 4, v1::STAGE_INSPECT}}),
      TicketOf(3, "units/nongye", v1::STAGE_CLOSED,
               {{kReminder, "units/nongye"}, {kYellow, "units/nongye"}}),
      // A reminder is not an overdue.
      TicketOf(4, "units/nongye", v1::STAGE_CLOSED, {{kReminder, "units/nongye"}}),
      TicketOf(5, "units/nongye", v1::STAGE_IMPLEMENT,
               {{kYellow, "units/nongye"}, {kRed, "units/nongye"}}),
      TicketOf(6, "units/nongye", v1::STAGE_CANCELLED, {{kYellow, "units/nongye"}}),
  };
}

TEST(UnitRecordTest, CountsClosedOnTimeAndEscalationsChargedToTheUnit) {
  const v1::AccountabilityRecord record = UnitRecord("units/nongye", NongyeTickets(), {});
  EXPECT_EQ(record.subject(), "units/nongye");
  EXPECT_EQ(record.tickets_closed(), 4) << "open and cancelled tickets are not closed";
  EXPECT_EQ(record.tickets_closed_on_time(), 3);
  EXPECT_THAT(record.on_time_rate(), DoubleEq(0.75));
  EXPECT_THAT(ByLevel(record), ElementsAre(Pair(kReminder, 2), Pair(kYellow, 3), Pair(kRed, 1)));
  EXPECT_EQ(record.referrals(), 0);
  EXPECT_THAT(record.recent_referrals(), IsEmpty());
}

TEST(UnitRecordTest, TheInspectionUnitAnswersForItsLateReviews) {
  const std::vector<v1::Ticket> all = NongyeTickets();
  const v1::AccountabilityRecord record = UnitRecord("units/ducha", {all[0], all[1]}, {});
  EXPECT_EQ(record.tickets_closed(), 2);
  EXPECT_EQ(record.tickets_closed_on_time(), 1);
  EXPECT_THAT(record.on_time_rate(), DoubleEq(0.5));
  EXPECT_THAT(ByLevel(record), ElementsAre(Pair(kYellow, 1), Pair(kRed, 1)));
}

// Nothing closed is no rate at all, not a perfect one.
TEST(UnitRecordTest, NothingClosedLeavesTheRateUnset) {
  const v1::AccountabilityRecord record = UnitRecord("units/ziran", {}, {});
  EXPECT_EQ(record.tickets_closed(), 0);
  EXPECT_FALSE(record.has_on_time_rate());
  EXPECT_THAT(record.escalations(), IsEmpty());
  EXPECT_THAT(record.dispositions(), IsEmpty());
}

TEST(UnitRecordTest, CountsReferralsAndTheDispositionThatStands) {
  const std::vector<v1::Referral> referrals = {
      ReferralOf(1),
      ReferralOf(2, {v1::DISPOSITION_KIND_TALK}),
      // Talked to, then exempted on appeal: the exemption stands.
      ReferralOf(3, {v1::DISPOSITION_KIND_TALK, v1::DISPOSITION_KIND_EXEMPTED}),
      ReferralOf(4, {v1::DISPOSITION_KIND_SANCTION}),
  };
  const v1::AccountabilityRecord record = UnitRecord("units/nongye", {}, referrals);
  EXPECT_EQ(record.referrals(), 4);
  EXPECT_EQ(record.undecided_referrals(), 1);
  EXPECT_THAT(ByKind(record), UnorderedElementsAre(Pair(v1::DISPOSITION_KIND_TALK, 1),
                                                   Pair(v1::DISPOSITION_KIND_SANCTION, 1),
                                                   Pair(v1::DISPOSITION_KIND_EXEMPTED, 1)));
  ASSERT_EQ(record.recent_referrals_size(), 4);
  for (const v1::Referral& referral : record.recent_referrals()) {
    EXPECT_THAT(referral.trail(), IsEmpty()) << referral.name();
  }
}

// accountability.proto: "The referrals themselves, newest first". The
// store lists referrals oldest first (by id); the record must still show
// the newest, and when it shows only some, the newest ones.
TEST(UnitRecordTest, RecentReferralsAreTheNewestFirst) {
  std::vector<v1::Referral> referrals;
  for (int id = 1; id <= 4; ++id) referrals.push_back(ReferralOf(id));
  EXPECT_THAT(Names(UnitRecord("units/nongye", {}, referrals)),
              ElementsAre("referrals/4", "referrals/3", "referrals/2", "referrals/1"));

  for (int id = 5; id <= 25; ++id) referrals.push_back(ReferralOf(id));
  const v1::AccountabilityRecord record = UnitRecord("units/nongye", {}, referrals);
  EXPECT_EQ(record.referrals(), 25);
  const std::vector<std::string> names = Names(record);
  ASSERT_FALSE(names.empty());
  EXPECT_LE(names.size(), 25u);
  EXPECT_EQ(names.front(), "referrals/25") << "the newest referral is not shown first";
  EXPECT_TRUE(std::find(names.begin(), names.end(), "referrals/25") != names.end())
      << "the newest referral is missing from the record";
}

// Escalations recorded before they named a principal: a slip of the lead
// unit after sign-for is the signer's.
TEST(PrincipalRecordTest, OlderSlipsCountWhenChargedToTheLeadUnit) {
  const std::vector<v1::Ticket> signed_for = {
      TicketOf(1, "units/nongye", v1::STAGE_CLOSED),
      // Signed for while at units/ziran: its slips are the principal's.
      TicketOf(2, "units/ziran", v1::STAGE_CLOSED, {{kYellow, "units/ziran"}}),
      TicketOf(3, "units/nongye", v1::STAGE_CLOSED,
               {{kYellow, "units/ducha", 4, v1::STAGE_INSPECT}}),
      TicketOf(4, "units/nongye", v1::STAGE_FEEDBACK,
               {{kReminder, "units/nongye"}, {kYellow, "units/nongye"}}),
  };
  std::vector<v1::Ticket> tickets = signed_for;
  for (v1::Ticket& ticket : tickets) ticket.set_responsible_principal("principals/nongye-staff");
  const v1::AccountabilityRecord record = RecordIn(
      2024, "principals/nongye-staff", tickets, {ReferralOf(7, {v1::DISPOSITION_KIND_ADMONISHMENT})});
  EXPECT_EQ(record.subject(), "principals/nongye-staff");
  EXPECT_EQ(record.tickets_closed(), 3);
  EXPECT_EQ(record.tickets_closed_on_time(), 2);
  EXPECT_THAT(record.on_time_rate(), DoubleEq(2.0 / 3.0));
  EXPECT_THAT(ByLevel(record), ElementsAre(Pair(kReminder, 1), Pair(kYellow, 2)));
  EXPECT_EQ(record.referrals(), 1);
  EXPECT_EQ(record.undecided_referrals(), 0);
  EXPECT_THAT(ByKind(record), ElementsAre(Pair(v1::DISPOSITION_KIND_ADMONISHMENT, 1)));
}

// A unit that let the sign-for deadline slip, disputed, and had the ticket
// reassigned keeps the slip: its record is built from what was charged to
// it, not from the tickets it leads now.
TEST(UnitRecordTest, ASlipStaysWithTheUnitAfterTheTicketIsReassigned) {
  const v1::Ticket reassigned =
      TicketOf(8, "units/ziran", v1::STAGE_CLOSED,
               {{kYellow, "units/nongye", 1, v1::STAGE_DEPLOY},
                {kRed, "units/nongye", 1, v1::STAGE_DEPLOY}});
  const v1::AccountabilityRecord nongye = UnitRecord("units/nongye", {reassigned}, {});
  EXPECT_EQ(nongye.tickets_closed(), 1);
  EXPECT_EQ(nongye.tickets_closed_on_time(), 0);
  EXPECT_THAT(ByLevel(nongye), ElementsAre(Pair(kYellow, 1), Pair(kRed, 1)));
  const v1::AccountabilityRecord ziran = UnitRecord("units/ziran", {reassigned}, {});
  EXPECT_EQ(ziran.tickets_closed_on_time(), 1) << "the new lead unit let nothing slip";
  EXPECT_THAT(ziran.escalations(), IsEmpty());
}

// While a dispute waits the issuer holds the clock; a slip then is on the
// issuer's unit, which leads nothing.
TEST(UnitRecordTest, TheIssuersUnitAnswersForASlipDuringADispute) {
  const v1::Ticket disputed = TicketOf(9, "units/nongye", v1::STAGE_IMPLEMENT,
                                       {{kYellow, "units/county", 2, v1::STAGE_DEPLOY}});
  EXPECT_THAT(ByLevel(UnitRecord("units/county", {disputed}, {})), ElementsAre(Pair(kYellow, 1)));
  EXPECT_THAT(UnitRecord("units/nongye", {disputed}, {}).escalations(), IsEmpty());
}

// A record covers one year: escalations by when they fired, tickets by when
// they closed, referrals by when they were made.
TEST(UnitRecordTest, CountsOnlyWhatHappenedInThePeriod) {
  v1::Ticket last_year = TicketOf(10, "units/nongye", v1::STAGE_CLOSED,
                                  {{kYellow, "units/nongye", 2, v1::STAGE_IMPLEMENT,
                                    Local(2023, 12, 29, 18)}});
  *last_year.mutable_stage_enter_time() = ToTimestamp(Local(2023, 12, 31, 23));
  v1::Ticket straddling = TicketOf(11, "units/nongye", v1::STAGE_CLOSED,
                                   {{kYellow, "units/nongye", 2, v1::STAGE_IMPLEMENT,
                                     Local(2023, 12, 29, 18)}});
  *straddling.mutable_stage_enter_time() = ToTimestamp(Local(2024, 1, 1, 0));
  v1::Referral old_referral = ReferralOf(1);
  *old_referral.mutable_create_time() = ToTimestamp(Local(2023, 12, 31, 23, 59));
  const std::vector<v1::Ticket> tickets = {last_year, straddling};

  const v1::AccountabilityRecord in_2024 =
      RecordIn(2024, "units/nongye", tickets, {old_referral, ReferralOf(2)});
  EXPECT_EQ(in_2024.period(), "2024");
  EXPECT_EQ(in_2024.tickets_closed(), 1) << "closed at 00:00 local on 1 January is this year's";
  EXPECT_EQ(in_2024.tickets_closed_on_time(), 0) << "its slip of last year still makes it late";
  EXPECT_THAT(in_2024.escalations(), IsEmpty()) << "both slips fired in 2023";
  EXPECT_EQ(in_2024.referrals(), 1);

  const v1::AccountabilityRecord in_2023 =
      RecordIn(2023, "units/nongye", tickets, {old_referral, ReferralOf(2)});
  EXPECT_EQ(in_2023.tickets_closed(), 1);
  EXPECT_THAT(ByLevel(in_2023), ElementsAre(Pair(kYellow, 2)));
  EXPECT_EQ(in_2023.referrals(), 1);
}

TEST(PrincipalRecordTest, SlipsCountWhereTheEscalationNamesThePrincipal) {
  v1::Ticket ticket = TicketOf(
      12, "units/ziran", v1::STAGE_CLOSED,
      {{kYellow, "units/nongye", 2, v1::STAGE_IMPLEMENT, Local(2024, 4, 30, 18), "principals/wang"},
       {kYellow, "units/nongye", 1, v1::STAGE_DEPLOY}});
  // Reassigned to ziran, where li signed for it.
  ticket.set_responsible_principal("principals/li");
  const v1::AccountabilityRecord wang = RecordIn(2024, "principals/wang", {ticket}, {});
  EXPECT_THAT(ByLevel(wang), ElementsAre(Pair(kYellow, 1)));
  EXPECT_EQ(wang.tickets_closed(), 1);
  EXPECT_EQ(wang.tickets_closed_on_time(), 0);
  const v1::AccountabilityRecord li = RecordIn(2024, "principals/li", {ticket}, {});
  EXPECT_THAT(li.escalations(), IsEmpty()) << "li signed after both slips, at another unit";
  EXPECT_EQ(li.tickets_closed_on_time(), 1);

  // A slip recorded as nobody's (a finding's plan is nobody's signature) is
  // not charged to whoever signs later.
  v1::Ticket finding = TicketOf(13, "units/ziran", v1::STAGE_CLOSED,
                                {{kYellow, "units/ziran", 2, v1::STAGE_FEEDBACK,
                                  Local(2024, 4, 30, 18), ""}});
  finding.set_responsible_principal("principals/li");
  EXPECT_THAT(RecordIn(2024, "principals/li", {finding}, {}).escalations(), IsEmpty());
  EXPECT_THAT(ByLevel(RecordIn(2024, "units/ziran", {finding}, {})),
              ElementsAre(Pair(kYellow, 1)));
}

TEST(AnswerersTest, EachSubjectOnceWithTheWorstSlipChargedToIt) {
  v1::Ticket ticket =
      TicketOf(13, "units/nongye", v1::STAGE_CLOSED,
               {{kReminder, "units/nongye", 2, v1::STAGE_IMPLEMENT, Local(2024, 4, 29, 18),
                 "principals/wang"},
                {kYellow, "units/ducha", 4, v1::STAGE_INSPECT},
                {kRed, "units/ducha", 4, v1::STAGE_INSPECT},
                {kYellow, "units/county", 1, v1::STAGE_DEPLOY}});
  ticket.set_responsible_principal("principals/wang");
  std::vector<std::pair<std::string, v1::EscalationLevel>> found;
  for (const Answerer& answerer : AnswerersOf(ticket)) {
    found.emplace_back(answerer.subject, answerer.worst_slip.level());
  }
  EXPECT_THAT(found,
              ElementsAre(Pair("units/nongye", v1::ESCALATION_LEVEL_UNSPECIFIED),
                          Pair("units/ducha", kRed),
                          Pair("principals/wang", v1::ESCALATION_LEVEL_UNSPECIFIED),
                          Pair("units/county", kYellow)));

  // A ticket closed without inspection does not count for the inspectors.
  ticket.set_requires_inspection(false);
  ticket.clear_escalations();
  std::vector<std::string> subjects;
  for (const Answerer& answerer : AnswerersOf(ticket)) subjects.push_back(answerer.subject);
  EXPECT_THAT(subjects, ElementsAre("units/nongye", "principals/wang"));
}

v1::TicketEvent EventAt(absl::Time at, v1::Holder holder, const std::string& unit, v1::Stage stage,
                        v1::EventType type = v1::EVENT_TYPE_PROGRESS_REPORTED) {
  v1::TicketEvent event;
  event.set_type(type);
  *event.mutable_create_time() = ToTimestamp(at);
  event.set_holder(holder);
  event.set_holder_unit(unit);
  event.set_to_stage(stage);
  return event;
}

std::map<std::string, double> Totals(const v1::TicketClocks& clocks) {
  std::map<std::string, double> totals;
  for (const v1::HolderTotal& total : clocks.totals())
    totals[total.holder_unit()] = total.working_days();
  return totals;
}

constexpr v1::Holder kLead = v1::HOLDER_LEAD_UNIT;
constexpr v1::Holder kInspection = v1::HOLDER_INSPECTION;

TEST(TicketClocksTest, IntervalsMergeEventsOfTheSameHolderAndStage) {
  const WorkCalendar calendar(Shanghai());
  v1::Ticket ticket = TicketOf(7, "units/nongye", v1::STAGE_CLOSED);
  const std::vector<v1::TicketEvent> events = {
      EventAt(Local(2024, 3, 18, 9), kLead, "units/nongye", v1::STAGE_DEPLOY,
              v1::EVENT_TYPE_CREATED),
      EventAt(Local(2024, 3, 19, 9), kLead, "units/nongye", v1::STAGE_IMPLEMENT,
              v1::EVENT_TYPE_SIGNED),
      EventAt(Local(2024, 3, 20, 9), kLead, "units/nongye", v1::STAGE_IMPLEMENT),
      EventAt(Local(2024, 3, 20, 12), kLead, "units/nongye", v1::STAGE_IMPLEMENT,
              v1::EVENT_TYPE_ESCALATED),
      EventAt(Local(2024, 3, 21, 9), kInspection, "units/ducha", v1::STAGE_INSPECT,
              v1::EVENT_TYPE_SUBMITTED),
      EventAt(Local(2024, 3, 25, 9), v1::HOLDER_NONE, "", v1::STAGE_CLOSED,
              v1::EVENT_TYPE_ACCEPTED),
  };
  const v1::TicketClocks clocks = TicketClocksOf(ticket, events, calendar, Local(2024, 6, 1));
  EXPECT_EQ(clocks.ticket(), "tickets/7");
  ASSERT_EQ(clocks.intervals_size(), 3);
  const struct {
    v1::Holder holder;
    const char* unit;
    v1::Stage stage;
    absl::Time start, end;
    double working_days;
  } kExpected[] = {
      // Monday 09:00 to Tuesday 09:00: one working day.
      {kLead, "units/nongye", v1::STAGE_DEPLOY, Local(2024, 3, 18, 9), Local(2024, 3, 19, 9), 1.0},
      {kLead, "units/nongye", v1::STAGE_IMPLEMENT, Local(2024, 3, 19, 9), Local(2024, 3, 21, 9),
       2.0},
      // Thursday 09:00 to Monday 09:00 over a weekend: 15/24 + 1 + 9/24.
      {kInspection, "units/ducha", v1::STAGE_INSPECT, Local(2024, 3, 21, 9), Local(2024, 3, 25, 9),
       2.0},
  };
  for (int i = 0; i < 3; ++i) {
    const v1::HoldingInterval& interval = clocks.intervals(i);
    EXPECT_EQ(interval.holder(), kExpected[i].holder) << i;
    EXPECT_EQ(interval.holder_unit(), kExpected[i].unit) << i;
    EXPECT_EQ(interval.stage(), kExpected[i].stage) << i;
    EXPECT_EQ(TimeOf(interval.start_time()), kExpected[i].start) << i;
    EXPECT_EQ(TimeOf(interval.end_time()), kExpected[i].end) << i;
    EXPECT_THAT(interval.working_days(), DoubleEq(kExpected[i].working_days)) << i;
  }
  EXPECT_THAT(Totals(clocks),
              ElementsAre(Pair("units/ducha", DoubleEq(2.0)), Pair("units/nongye", DoubleEq(3.0))));
  EXPECT_THAT(clocks.slips(), IsEmpty());
}

TEST(TicketClocksTest, TheOpenIntervalRunsToNow) {
  const WorkCalendar calendar(Shanghai());
  const v1::Ticket ticket = TicketOf(7, "units/nongye", v1::STAGE_IMPLEMENT);
  const std::vector<v1::TicketEvent> events = {
      // An event from before holders were recorded does not count.
      EventAt(Local(2024, 3, 15, 9), v1::HOLDER_UNSPECIFIED, "", v1::STAGE_DEPLOY),
      EventAt(Local(2024, 3, 19, 9), kLead, "units/nongye", v1::STAGE_IMPLEMENT),
  };
  const v1::TicketClocks clocks = TicketClocksOf(ticket, events, calendar, Local(2024, 3, 20, 21));
  ASSERT_EQ(clocks.intervals_size(), 1);
  EXPECT_FALSE(clocks.intervals(0).has_end_time());
  EXPECT_EQ(TimeOf(clocks.intervals(0).start_time()), Local(2024, 3, 19, 9));
  // Tuesday from 09:00 (15/24) and Wednesday until 21:00 (21/24).
  EXPECT_THAT(clocks.intervals(0).working_days(), DoubleEq(1.5));
  EXPECT_THAT(Totals(clocks), ElementsAre(Pair("units/nongye", DoubleEq(1.5))));
}

TEST(TicketClocksTest, WorkingDaysFollowTheOfficialCalendar) {
  const WorkCalendar calendar = ShippedCalendar();
  const std::vector<v1::TicketEvent> events = {
      EventAt(Local(2024, 9, 27, 12), kLead, "units/nongye", v1::STAGE_DEPLOY),
      EventAt(Local(2024, 10, 8, 12), kLead, "units/nongye", v1::STAGE_IMPLEMENT),
  };
  const v1::TicketClocks clocks = TicketClocksOf(TicketOf(7, "units/nongye", v1::STAGE_IMPLEMENT),
                                                 events, calendar, Local(2024, 10, 8, 12));
  ASSERT_EQ(clocks.intervals_size(), 2);
  // Friday afternoon, make-up Sunday 09-29, Monday 09-30, Tuesday morning;
  // the National Day week is not the unit's time.
  EXPECT_THAT(clocks.intervals(0).working_days(), DoubleEq(3.0));
  EXPECT_THAT(clocks.intervals(1).working_days(), DoubleEq(0.0));
}

// 回头看: a closed ticket reopened is held again from the reopening on.
TEST(TicketClocksTest, AReopenedTicketIsHeldAgain) {
  const WorkCalendar calendar(Shanghai());
  const std::vector<v1::TicketEvent> events = {
      EventAt(Local(2024, 3, 18, 9), kLead, "units/nongye", v1::STAGE_IMPLEMENT),
      EventAt(Local(2024, 3, 19, 9), kInspection, "units/ducha", v1::STAGE_INSPECT),
      EventAt(Local(2024, 3, 20, 9), v1::HOLDER_NONE, "", v1::STAGE_CLOSED,
              v1::EVENT_TYPE_ACCEPTED),
      EventAt(Local(2024, 3, 22, 9), kLead, "units/nongye", v1::STAGE_FEEDBACK,
              v1::EVENT_TYPE_REOPENED),
  };
  const v1::TicketClocks clocks = TicketClocksOf(TicketOf(7, "units/nongye", v1::STAGE_FEEDBACK),
                                                 events, calendar, Local(2024, 3, 25, 9));
  ASSERT_EQ(clocks.intervals_size(), 3) << "the reopened stage has no interval";
  EXPECT_EQ(TimeOf(clocks.intervals(1).end_time()), Local(2024, 3, 20, 9))
      << "the inspection ended when the ticket closed, not when it was reopened";
  const v1::HoldingInterval& reopened = clocks.intervals(2);
  EXPECT_EQ(reopened.stage(), v1::STAGE_FEEDBACK);
  EXPECT_EQ(TimeOf(reopened.start_time()), Local(2024, 3, 22, 9));
  EXPECT_FALSE(reopened.has_end_time());
  EXPECT_THAT(reopened.working_days(), DoubleEq(1.0));
  EXPECT_THAT(Totals(clocks),
              ElementsAre(Pair("units/ducha", DoubleEq(1.0)), Pair("units/nongye", DoubleEq(2.0))));
}

TEST(TicketClocksTest, OneSlipPerMissedDeadlineAtItsHighestLevel) {
  const absl::Time implement_due = Local(2024, 4, 30, 18);
  const absl::Time plan_due = Local(2024, 5, 20);
  const absl::Time review_due = Local(2024, 6, 4);
  const v1::Ticket ticket =
      TicketOf(7, "units/nongye", v1::STAGE_IMPROVE,
               {{kReminder, "units/nongye", 2, v1::STAGE_IMPLEMENT, implement_due},
                {kYellow, "units/nongye", 2, v1::STAGE_IMPLEMENT, implement_due},
                {kRed, "units/nongye", 2, v1::STAGE_IMPLEMENT, implement_due},
                // Reminded only: no deadline missed.
                {kReminder, "units/ducha", 3, v1::STAGE_INSPECT, Local(2024, 5, 10)},
                {kYellow, "units/nongye", 4, v1::STAGE_FEEDBACK, plan_due},
                {kYellow, "units/ducha", 5, v1::STAGE_INSPECT, review_due},
                {kRed, "units/ducha", 5, v1::STAGE_INSPECT, review_due},
                {kReferral, "units/ducha", 5, v1::STAGE_INSPECT, review_due}});
  const v1::TicketClocks clocks =
      TicketClocksOf(ticket, {}, WorkCalendar(Shanghai()), Local(2024, 7, 1));
  ASSERT_EQ(clocks.slips_size(), 3);
  const struct {
    v1::Stage stage;
    absl::Time deadline;
    const char* unit;
    v1::EscalationLevel level;
  } kExpected[] = {
      {v1::STAGE_IMPLEMENT, implement_due, "units/nongye", kRed},
      {v1::STAGE_FEEDBACK, plan_due, "units/nongye", kYellow},
      {v1::STAGE_INSPECT, review_due, "units/ducha", kReferral},
  };
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(clocks.slips(i).stage(), kExpected[i].stage) << i;
    EXPECT_EQ(TimeOf(clocks.slips(i).deadline()), kExpected[i].deadline) << i;
    EXPECT_EQ(clocks.slips(i).holder_unit(), kExpected[i].unit) << i;
    EXPECT_EQ(clocks.slips(i).level(), kExpected[i].level) << i;
  }
}

// The clocks of a ticket walked through the real loop: every event says
// who holds the ticket from then on.
TEST(TicketClocksTest, TheLoopsOwnEventsGiveTheHoldingIntervals) {
  LoopWorld world;
  std::vector<v1::TicketEvent> events;
  auto record = [&events](absl::StatusOr<TicketChange> change) {
    if (change.ok()) events.insert(events.end(), change->events.begin(), change->events.end());
    return Must(std::move(change));
  };
  v1::Ticket ticket = record(NewTicket(7, world.TaskRequest(), nullptr,
                                       world.ContextFor(world.leader, Local(2024, 3, 18, 9))));
  ticket = record(Apply(ticket, testing::SignRequest(ticket),
                        world.ContextFor(world.lead_staff, Local(2024, 3, 19, 9))));
  ticket = record(Apply(ticket, testing::ProgressRequest(ticket, 50),
                        world.ContextFor(world.coop_staff, Local(2024, 3, 20, 9))));
  ticket = record(Apply(ticket, testing::SubmitRequest(ticket),
                        world.ContextFor(world.lead_staff, Local(2024, 3, 21, 9))));
  ticket = record(Apply(ticket, testing::AcceptRequest(ticket),
                        world.ContextFor(world.inspector, Local(2024, 3, 25, 9))));
  ASSERT_EQ(ticket.stage(), v1::STAGE_CLOSED);
  ASSERT_EQ(events.size(), 5u);

  const v1::TicketClocks clocks = TicketClocksOf(ticket, events, world.calendar, Local(2024, 6, 1));
  ASSERT_EQ(clocks.intervals_size(), 3);
  EXPECT_EQ(clocks.intervals(0).stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(clocks.intervals(1).stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(clocks.intervals(2).stage(), v1::STAGE_INSPECT);
  EXPECT_EQ(clocks.intervals(2).holder(), kInspection);
  EXPECT_THAT(Totals(clocks),
              ElementsAre(Pair("units/ducha", DoubleEq(2.0)), Pair("units/nongye", DoubleEq(3.0))));
}

TEST(RecordRequestTest, ARecordIsOfAUnitOrPrincipalThatExists) {
  FakeDirectory directory;
  const auto unit_record = [&](const std::string& unit) {
    v1::GetUnitRecordRequest request;
    request.set_unit(unit);
    request.set_period("2024");
    return Validate(request, directory);
  };
  const auto principal_record = [](const std::string& principal) {
    v1::GetPrincipalRecordRequest request;
    request.set_principal(principal);
    return Validate(request, [](absl::string_view name) { return name == "principals/li"; });
  };
  const struct {
    const char* label;
    absl::Status status;
    absl::StatusCode code;
    std::string reason;
    std::vector<std::string> fields;
    std::string message;
  } kCases[] = {
      {"a unit", unit_record("units/nongye"), absl::StatusCode::kOk, "", {}, ""},
      {"a unit name that is not one",
       unit_record("nongye"),
       absl::StatusCode::kInvalidArgument,
       "INVALID_FIELD",
       {"unit"},
       "unit: must be a unit name like units/nongye"},
      {"no unit",
       unit_record(""),
       absl::StatusCode::kInvalidArgument,
       "INVALID_FIELD",
       {"unit"},
       "unit: must be a unit name like units/nongye"},
      {"a unit not in the directory",
       unit_record("units/nosuch"),
       absl::StatusCode::kNotFound,
       "UNIT_NOT_FOUND",
       {},
       "no units/nosuch"},
      {"a principal", principal_record("principals/li"), absl::StatusCode::kOk, "", {}, ""},
      {"a unit for a principal",
       principal_record("units/nongye"),
       absl::StatusCode::kInvalidArgument,
       "INVALID_FIELD",
       {"principal"},
       "principal: must be a principal name like principals/li"},
      {"a principal not in the directory",
       principal_record("principals/wang"),
       absl::StatusCode::kNotFound,
       "PRINCIPAL_NOT_FOUND",
       {},
       "no principals/wang"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(c.status.code(), c.code) << c.label << ": " << c.status;
    EXPECT_EQ(ErrorReason(c.status), c.reason) << c.label;
    EXPECT_EQ(BadRequestFields(c.status), c.fields) << c.label;
    EXPECT_EQ(c.status.message(), c.message) << c.label;
  }
}

}  // namespace
}  // namespace duban
