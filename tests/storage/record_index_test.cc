// The accountability indexes (ticket_index.h: charges by subject, closed
// tickets by answerer, ended tickets): what a record or the county report
// reads from them is what the tickets themselves say
// (accountability_records.h), for every subject, period and kind of slip.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "domain/accountability_records.h"
#include "domain/period.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAreArray;

std::vector<std::string> Serialized(const std::vector<v1::EscalationRecord>& charges) {
  std::vector<std::string> out;
  for (const auto& charge : charges) out.push_back(charge.SerializeAsString());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Serialized(const std::vector<v1::Slip>& slips) {
  std::vector<std::string> out;
  for (const auto& slip : slips) out.push_back(slip.SerializeAsString());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Names(const std::vector<v1::Referral>& referrals) {
  std::vector<std::string> out;
  for (const auto& referral : referrals) out.push_back(referral.name());
  return out;
}

class RecordIndexTest : public StoreFixture {
 protected:
  Period Year(const char* year) const { return *ResolvePeriod("period", year, now_, Shanghai()); }

  std::vector<v1::Ticket> AllTickets() {
    std::vector<v1::Ticket> all;
    EXPECT_TRUE(tickets_->ForEach(TicketQuery(), [&](const v1::Ticket& t) { all.push_back(t); }).ok());
    return all;
  }

  std::vector<v1::Referral> AllReferrals() {
    absl::StatusOr<ReferralPage> page = tickets_->ListReferrals(ReferralQuery(), 500, "");
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->referrals : std::vector<v1::Referral>();
  }

  // A county year: a sign-for missed, then a dispute and a reassignment; a
  // late implementation and a late review; a dispute left unanswered; a
  // ticket closed on time.
  void PlayTheYear() {
    // tickets/1: nongye misses the sign-for (YELLOW … REFERRAL), disputes,
    // and the leader reassigns it to ziran, which closes it.
    ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
    ASSERT_TRUE(EscalateAt(1, now_ + absl::Hours(24 * 10)).ok());
    now_ += absl::Hours(24 * 10);
    v1::DisputeTicketRequest dispute;
    dispute.set_reason("不是本单位职责");
    ASSERT_TRUE(Step(1, StaffOf("units/nongye"), dispute).ok());
    v1::ResolveTicketDisputeRequest reassign;
    reassign.set_resolution(v1::DISPUTE_RESOLUTION_REASSIGN);
    reassign.set_new_lead_unit("units/ziran");
    ASSERT_TRUE(Step(1, Leader(), reassign).ok());
    ASSERT_TRUE(Sign(1).ok());
    ASSERT_TRUE(Submit(1).ok());
    ASSERT_TRUE(Review(1, true).ok());

    // tickets/2: nongye signs, lets implementation slip, submits; the
    // inspectors review late; accepted.
    ASSERT_TRUE(CreateTicket({.lead = "units/nongye", .due_days = 5}).ok());
    ASSERT_TRUE(Sign(2).ok());
    ASSERT_TRUE(EscalateAt(2, now_ + absl::Hours(24 * 20)).ok());
    now_ += absl::Hours(24 * 20);
    ASSERT_TRUE(Submit(2).ok());
    ASSERT_TRUE(EscalateAt(2, now_ + absl::Hours(24 * 20)).ok());
    now_ += absl::Hours(24 * 20);
    ASSERT_TRUE(Review(2, true).ok());

    // tickets/3: disputed at once; the leader does not answer in time.
    ASSERT_TRUE(CreateTicket({.lead = "units/chengguan"}).ok());
    ASSERT_TRUE(Step(3, StaffOf("units/chengguan"), dispute).ok());
    ASSERT_TRUE(EscalateAt(3, now_ + absl::Hours(24 * 10)).ok());

    // tickets/4: closed on time.
    ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
    ASSERT_TRUE(Sign(4).ok());
    ASSERT_TRUE(Submit(4).ok());
    ASSERT_TRUE(Review(4, true).ok());
  }
};

TEST_F(RecordIndexTest, TheIndexGivesWhatTheTicketsSayForEverySubject) {
  ASSERT_NO_FATAL_FAILURE(PlayTheYear());
  const std::vector<v1::Ticket> tickets = AllTickets();
  const std::vector<v1::Referral> referrals = AllReferrals();
  ASSERT_EQ(referrals.size(), 4u) << "tickets/1, tickets/2 twice, tickets/3";
  for (const char* year : {"2024", "2025", "2026"}) {
    const Period period = Year(year);
    for (const char* subject :
         {"units/nongye", "units/ziran", "units/ducha", "units/county", "units/chengguan",
          "principals/staff-nongye", "principals/staff-ziran", "principals/staff-chengguan"}) {
      const RecordSources expected = RecordSourcesOf(subject, period, tickets, referrals);
      ASSERT_OK_AND_ASSIGN(RecordSources indexed, tickets_->RecordSourcesOf(subject, period));
      EXPECT_EQ(Serialized(indexed.charges), Serialized(expected.charges)) << subject << " " << year;
      EXPECT_EQ(Serialized(indexed.closed), Serialized(expected.closed)) << subject << " " << year;
      EXPECT_THAT(Names(indexed.referrals), UnorderedElementsAreArray(Names(expected.referrals)))
          << subject << " " << year;
    }
  }
}

// The cases of the fair-clocks promise, read through the index.
TEST_F(RecordIndexTest, EachSlipStaysWithWhoeverLetItHappen) {
  ASSERT_NO_FATAL_FAILURE(PlayTheYear());
  const Period year = Year("2025");
  const auto record = [&](const char* subject) {
    absl::StatusOr<RecordSources> sources = tickets_->RecordSourcesOf(subject, year);
    EXPECT_TRUE(sources.ok()) << sources.status();
    return BuildRecord(subject, year.year, sources.ok() ? *sources : RecordSources());
  };
  const auto levels = [](const v1::AccountabilityRecord& r) {
    std::vector<v1::EscalationLevel> out;
    for (const v1::LevelCount& count : r.escalations()) out.push_back(count.level());
    return out;
  };
  // nongye missed the sign-for of tickets/1 though ziran closed it, and let
  // tickets/2 slip; tickets/4 was on time.
  const v1::AccountabilityRecord nongye = record("units/nongye");
  EXPECT_EQ(nongye.tickets_closed(), 3);
  EXPECT_EQ(nongye.tickets_closed_on_time(), 1);
  EXPECT_EQ(nongye.referrals(), 2);
  // ziran took tickets/1 over and closed it on time.
  const v1::AccountabilityRecord ziran = record("units/ziran");
  EXPECT_EQ(ziran.tickets_closed(), 1);
  EXPECT_EQ(ziran.tickets_closed_on_time(), 1);
  EXPECT_TRUE(ziran.escalations().empty());
  // The inspectors reviewed tickets/2 late: the whole ladder is theirs.
  const v1::AccountabilityRecord ducha = record("units/ducha");
  EXPECT_THAT(levels(ducha), ElementsAre(v1::ESCALATION_LEVEL_REMINDER, v1::ESCALATION_LEVEL_YELLOW,
                                         v1::ESCALATION_LEVEL_RED, v1::ESCALATION_LEVEL_REFERRAL));
  EXPECT_EQ(ducha.tickets_closed(), 3);
  EXPECT_EQ(ducha.tickets_closed_on_time(), 2);
  // The leader's unit left the dispute of tickets/3 unanswered.
  const v1::AccountabilityRecord county = record("units/county");
  EXPECT_FALSE(county.escalations().empty());
  EXPECT_EQ(county.referrals(), 1);
  // The signer of tickets/2 answers for its late implementation.
  const v1::AccountabilityRecord signer = record("principals/staff-nongye");
  EXPECT_FALSE(signer.escalations().empty());
  EXPECT_EQ(signer.tickets_closed(), 2) << "tickets/2 and tickets/4";
  EXPECT_EQ(signer.tickets_closed_on_time(), 1);
  // Nothing of it is another year's.
  ASSERT_OK_AND_ASSIGN(RecordSources next_year,
                       tickets_->RecordSourcesOf("units/nongye", Year("2026")));
  EXPECT_TRUE(next_year.charges.empty());
  EXPECT_TRUE(next_year.closed.empty());
  EXPECT_TRUE(next_year.referrals.empty());
}

// The tickets of a period: open ones created before it ended, and closed or
// cancelled ones that ended in or after it.
TEST_F(RecordIndexTest, TheTicketsOfAPeriodAreThoseOpenDuringIt) {
  ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());  // open
  ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  ASSERT_TRUE(Cancel(2).ok());  // ended in 2025
  now_ = absl::FromCivil(absl::CivilSecond(2026, 1, 5, 9, 0, 0), Shanghai());
  ASSERT_TRUE(CreateTicket({.lead = "units/ziran"}).ok());  // open, created in 2026
  ASSERT_TRUE(Cancel(1).ok());                              // created 2025, ended 2026

  const auto lead_units_of = [&](const char* year) {
    std::vector<std::string> leads;
    EXPECT_TRUE(tickets_
                    ->ForEachTicketOf(Year(year),
                                      [&](const v1::Ticket& t) {
                                        leads.push_back(t.lead_unit() + " " +
                                                        v1::Stage_Name(t.stage()));
                                      })
                    .ok());
    std::sort(leads.begin(), leads.end());
    return leads;
  };
  EXPECT_THAT(lead_units_of("2024"), ElementsAre());
  EXPECT_THAT(lead_units_of("2025"),
              ElementsAre("units/nongye STAGE_CANCELLED", "units/nongye STAGE_CANCELLED"));
  EXPECT_THAT(lead_units_of("2026"),
              ElementsAre("units/nongye STAGE_CANCELLED", "units/ziran STAGE_DEPLOY"));
}

}  // namespace
}  // namespace duban::storage
