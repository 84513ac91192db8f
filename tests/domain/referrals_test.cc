// Accountability referrals (问责线索): what a new referral names, recording
// the discipline commission's disposition, and the ListReferrals filter.
#include "domain/referrals.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
using ::duban::testing::LoopWorld;
using ::duban::testing::MakeCaller;
using ::duban::testing::TimeOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

absl::Time DecidedAt() { return Local(2024, 6, 3, 15); }

// A signed task the ladder referred, as the store holds it.
v1::Ticket ReferredTicket() {
  v1::Ticket ticket;
  ticket.set_name("tickets/7");
  ticket.set_title("开展撂荒地整治");
  ticket.set_lead_unit("units/nongye");
  ticket.set_inspection_unit("units/ducha");
  ticket.set_responsible_principal("principals/nongye-staff");
  ticket.set_stage(v1::STAGE_IMPLEMENT);
  ticket.set_holder(v1::HOLDER_LEAD_UNIT);
  ticket.set_holder_unit("units/nongye");
  ticket.set_card(v1::CARD_REFERRED);
  *ticket.mutable_stage_due_time() = ToTimestamp(Local(2024, 4, 30, 18));
  ticket.add_referrals("referrals/3");
  ticket.set_etag("9");
  return ticket;
}

TEST(NewReferralTest, NamesTheUnitWhoseClockRanOut) {
  const absl::Time now = Local(2024, 5, 11, 0, 5);
  const v1::Referral referral =
      NewReferral(ReferredTicket(), v1::REFERRAL_TRIGGER_LADDER, "referrals/3", 9, now);
  EXPECT_EQ(referral.name(), "referrals/3");
  EXPECT_EQ(referral.ticket(), "tickets/7");
  EXPECT_EQ(referral.ticket_title(), "开展撂荒地整治");
  EXPECT_EQ(referral.unit(), "units/nongye");
  EXPECT_EQ(referral.responsible_principal(), "principals/nongye-staff");
  EXPECT_EQ(referral.trigger(), v1::REFERRAL_TRIGGER_LADDER);
  EXPECT_EQ(referral.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(TimeOf(referral.deadline()), Local(2024, 4, 30, 18));
  EXPECT_EQ(referral.trail_until_sequence(), 9);
  EXPECT_EQ(TimeOf(referral.create_time()), now);
  EXPECT_EQ(TimeOf(referral.update_time()), now);
  EXPECT_EQ(referral.etag(), "1");
  EXPECT_THAT(referral.dispositions(), IsEmpty());
  EXPECT_THAT(referral.trail(), IsEmpty());

  // Held by the inspection unit: the inspectors answer, not the signer.
  v1::Ticket inspecting = ReferredTicket();
  inspecting.set_stage(v1::STAGE_INSPECT);
  inspecting.set_holder(v1::HOLDER_INSPECTION);
  inspecting.set_holder_unit("units/ducha");
  const v1::Referral late_review =
      NewReferral(inspecting, v1::REFERRAL_TRIGGER_LADDER, "referrals/4", 12, now);
  EXPECT_EQ(late_review.unit(), "units/ducha");
  EXPECT_EQ(late_review.responsible_principal(), "");
  EXPECT_EQ(late_review.stage(), v1::STAGE_INSPECT);

  // A hard flaw is the lead unit's whoever holds the ticket.
  const v1::Referral hard_flaw =
      NewReferral(inspecting, v1::REFERRAL_TRIGGER_HARD_FLAW, "referrals/5", 2, now);
  EXPECT_EQ(hard_flaw.unit(), "units/nongye");
  EXPECT_EQ(hard_flaw.responsible_principal(), "principals/nongye-staff");
  EXPECT_FALSE(hard_flaw.has_deadline());
}

v1::Referral Stored() {
  v1::Referral referral = NewReferral(ReferredTicket(), v1::REFERRAL_TRIGGER_LADDER, "referrals/3",
                                      9, Local(2024, 5, 11, 0, 5));
  *referral.add_trail() = v1::TicketEvent();  // as GetReferral fills it
  return referral;
}

v1::DecideReferralRequest Decide(v1::DispositionKind kind, const std::string& etag = "1") {
  v1::DecideReferralRequest request;
  request.set_name("referrals/3");
  request.set_etag(etag);
  request.set_kind(kind);
  request.set_reason("未按期完成整治任务");
  return request;
}

TEST(DecideReferralTest, ValidateNamesEachBadField) {
  using Edit = std::function<void(v1::DecideReferralRequest&)>;
  const struct {
    const char* label;
    Edit edit;
    std::vector<std::string> fields;
  } kCases[] = {
      {"valid", [](v1::DecideReferralRequest&) {}, {}},
      {"exempted with a reason",
       [](v1::DecideReferralRequest& r) { r.set_kind(v1::DISPOSITION_KIND_EXEMPTED); },
       {}},
      {"no etag", [](v1::DecideReferralRequest& r) { r.clear_etag(); }, {}},
      {"no name", [](v1::DecideReferralRequest& r) { r.clear_name(); }, {"name"}},
      {"a ticket name", [](v1::DecideReferralRequest& r) { r.set_name("tickets/3"); }, {"name"}},
      {"no kind",
       [](v1::DecideReferralRequest& r) { r.set_kind(v1::DISPOSITION_KIND_UNSPECIFIED); },
       {"kind"}},
      {"an unknown kind",
       [](v1::DecideReferralRequest& r) { r.set_kind(static_cast<v1::DispositionKind>(42)); },
       {"kind"}},
      {"no reason", [](v1::DecideReferralRequest& r) { r.clear_reason(); }, {"reason"}},
      {"an exemption needs its reason too",
       [](v1::DecideReferralRequest& r) {
         r.set_kind(v1::DISPOSITION_KIND_EXEMPTED);
         r.clear_reason();
       },
       {"reason"}},
      {"everything wrong",
       [](v1::DecideReferralRequest& r) {
         r.set_name("referrals/0");
         r.set_kind(v1::DISPOSITION_KIND_UNSPECIFIED);
         r.clear_reason();
       },
       {"name", "kind", "reason"}},
  };
  LoopWorld world;
  const LoopContext context =
      world.ContextFor(MakeCaller("jiwei-staff", v1::ROLE_DISCIPLINE, "jiwei"), DecidedAt());
  for (const auto& c : kCases) {
    v1::DecideReferralRequest request = Decide(v1::DISPOSITION_KIND_TALK);
    c.edit(request);
    const absl::Status status = Validate(request, context);
    if (c.fields.empty()) {
      EXPECT_TRUE(status.ok()) << c.label << ": " << status;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.label;
      EXPECT_THAT(BadRequestFields(status), ElementsAreArray(c.fields)) << c.label;
    }
  }
}

TEST(DecideReferralTest, ApplyRecordsTheDispositionOnReferralAndTicket) {
  LoopWorld world;
  const LoopContext context =
      world.ContextFor(MakeCaller("jiwei-staff", v1::ROLE_DISCIPLINE, "jiwei"), DecidedAt());
  const v1::Ticket ticket = ReferredTicket();
  v1::DecideReferralRequest request = Decide(v1::DISPOSITION_KIND_TALK);
  request.set_request_id("decide-1");
  absl::StatusOr<TicketChange> change = Apply(ticket, Stored(), request, context);
  ASSERT_TRUE(change.ok()) << change.status();

  ASSERT_EQ(change->referrals.size(), 1u);
  const v1::Referral& referral = change->referrals[0];
  EXPECT_EQ(referral.name(), "referrals/3");
  ASSERT_EQ(referral.dispositions_size(), 1);
  EXPECT_EQ(referral.dispositions(0).kind(), v1::DISPOSITION_KIND_TALK);
  EXPECT_EQ(referral.dispositions(0).reason(), "未按期完成整治任务");
  EXPECT_EQ(referral.dispositions(0).decided_by(), "principals/jiwei-staff");
  EXPECT_EQ(TimeOf(referral.dispositions(0).decide_time()), DecidedAt());
  EXPECT_EQ(referral.etag(), "2");
  EXPECT_EQ(TimeOf(referral.update_time()), DecidedAt());
  EXPECT_EQ(TimeOf(referral.create_time()), Local(2024, 5, 11, 0, 5));
  EXPECT_THAT(referral.trail(), IsEmpty()) << "the trail is filled on read, never stored";
  EXPECT_EQ(referral.unit(), "units/nongye") << "everything else stays";

  ASSERT_EQ(change->events.size(), 1u);
  const v1::TicketEvent& event = change->events[0];
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_REFERRAL_DECIDED);
  EXPECT_EQ(event.sequence(), 10);
  EXPECT_EQ(event.referral(), "referrals/3");
  EXPECT_EQ(event.disposition(), v1::DISPOSITION_KIND_TALK);
  EXPECT_EQ(event.comment(), "未按期完成整治任务");
  EXPECT_EQ(event.actor(), "principals/jiwei-staff");
  EXPECT_EQ(event.request_id(), "decide-1");
  EXPECT_EQ(event.from_stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(event.to_stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(TimeOf(event.create_time()), DecidedAt());
  EXPECT_EQ(change->ticket.etag(), "10");
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(change->ticket.card(), v1::CARD_REFERRED) << "a decision does not change the card";

  // A later decision is added after it; the last one stands.
  absl::StatusOr<TicketChange> revised =
      Apply(change->ticket, referral, Decide(v1::DISPOSITION_KIND_EXEMPTED, "2"), context);
  ASSERT_TRUE(revised.ok()) << revised.status();
  ASSERT_EQ(revised->referrals[0].dispositions_size(), 2);
  EXPECT_EQ(revised->referrals[0].dispositions(0).kind(), v1::DISPOSITION_KIND_TALK);
  EXPECT_EQ(revised->referrals[0].dispositions(1).kind(), v1::DISPOSITION_KIND_EXEMPTED);
  EXPECT_EQ(revised->referrals[0].etag(), "3");
  EXPECT_EQ(revised->events[0].sequence(), 11);
}

TEST(DecideReferralTest, AStaleEtagIsAborted) {
  LoopWorld world;
  const LoopContext context =
      world.ContextFor(MakeCaller("jiwei-staff", v1::ROLE_DISCIPLINE, "jiwei"), DecidedAt());
  for (const char* etag : {"2", "0", "9"}) {
    absl::StatusOr<TicketChange> change =
        Apply(ReferredTicket(), Stored(), Decide(v1::DISPOSITION_KIND_SANCTION, etag), context);
    ASSERT_FALSE(change.ok()) << "etag " << etag;
    EXPECT_EQ(change.status().code(), absl::StatusCode::kAborted) << "etag " << etag;
  }
  EXPECT_TRUE(
      Apply(ReferredTicket(), Stored(), Decide(v1::DISPOSITION_KIND_SANCTION, ""), context).ok())
      << "without an etag the decision is not conditional";
}

TEST(ReferralNameTest, ParseReferralName) {
  static const struct {
    const char* name;
    uint64_t id;  // 0: refused
  } kCases[] = {
      {"referrals/3", 3},
      {"referrals/99999999999999999999", 0},  // past uint64
      {"referrals/9999999999999999999", 9999999999999999999u},
      {"referrals/0", 0},
      {"referrals/03", 0},
      {"referrals/", 0},
      {"referrals/x", 0},
      {"referrals/-3", 0},
      {"referrals/3/", 0},
      {"tickets/3", 0},
      {"", 0},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<uint64_t> id = ParseReferralName(c.name, "name");
    if (c.id == 0) {
      ASSERT_FALSE(id.ok()) << c.name;
      EXPECT_THAT(BadRequestFields(id.status()), ElementsAre("name")) << c.name;
    } else {
      ASSERT_TRUE(id.ok()) << c.name << ": " << id.status();
      EXPECT_EQ(*id, c.id);
      EXPECT_EQ(ReferralName(*id), c.name);
    }
  }
}

TEST(ReferralQueryTest, ParsesEachTerm) {
  absl::StatusOr<ReferralQuery> query = ParseReferralQuery(
      "unit=units/nongye AND principal=principals/nongye-staff AND ticket=tickets/7 AND "
      "decided=false");
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->unit, "units/nongye");
  EXPECT_EQ(query->principal, "principals/nongye-staff");
  EXPECT_EQ(query->ticket, "tickets/7");
  ASSERT_TRUE(query->decided.has_value());
  EXPECT_FALSE(*query->decided);

  absl::StatusOr<ReferralQuery> empty = ParseReferralQuery("");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_FALSE(empty->decided.has_value());
  EXPECT_TRUE(empty->unit.empty());

  absl::StatusOr<ReferralQuery> decided = ParseReferralQuery("decided=true");
  ASSERT_TRUE(decided.ok());
  EXPECT_EQ(decided->decided, std::optional<bool>(true));

  for (const char* filter :
       {"unit=nongye", "principal=li", "principal=units/nongye", "ticket=tickets/0",
        "ticket=referrals/3", "decided=yes", "decided=", "stage=IMPLEMENT",
        "unit=units/nongye AND unit=units/ziran", "unit units/nongye"}) {
    absl::StatusOr<ReferralQuery> bad = ParseReferralQuery(filter);
    ASSERT_FALSE(bad.ok()) << "\"" << filter << "\" was accepted";
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << filter;
    EXPECT_THAT(BadRequestFields(bad.status()), ElementsAre("filter")) << filter;
  }
}

TEST(ReferralQueryTest, Matches) {
  v1::Referral undecided = Stored();
  v1::Referral decided = Stored();
  decided.add_dispositions()->set_kind(v1::DISPOSITION_KIND_TALK);
  using Edit = std::function<void(ReferralQuery&)>;
  const struct {
    const char* label;
    Edit edit;
    bool undecided;
    bool decided;
  } kCases[] = {
      {"no terms", [](ReferralQuery&) {}, true, true},
      {"unit", [](ReferralQuery& q) { q.unit = "units/nongye"; }, true, true},
      {"other unit", [](ReferralQuery& q) { q.unit = "units/ducha"; }, false, false},
      {"principal", [](ReferralQuery& q) { q.principal = "principals/nongye-staff"; }, true, true},
      {"other principal", [](ReferralQuery& q) { q.principal = "principals/li"; }, false, false},
      {"ticket", [](ReferralQuery& q) { q.ticket = "tickets/7"; }, true, true},
      {"other ticket", [](ReferralQuery& q) { q.ticket = "tickets/8"; }, false, false},
      {"decided=false", [](ReferralQuery& q) { q.decided = false; }, true, false},
      {"decided=true", [](ReferralQuery& q) { q.decided = true; }, false, true},
  };
  for (const auto& c : kCases) {
    ReferralQuery query;
    c.edit(query);
    EXPECT_EQ(query.Matches(undecided), c.undecided) << c.label << " (undecided)";
    EXPECT_EQ(query.Matches(decided), c.decided) << c.label << " (decided)";
  }
}

TEST(ReferralQueryTest, CanonicalTellsEveryQueryApart) {
  std::vector<ReferralQuery> queries(7);
  queries[1].unit = "units/nongye";
  queries[2].principal = "principals/li";
  queries[3].ticket = "tickets/7";
  queries[4].decided = false;
  queries[5].decided = true;
  queries[6].unit = "units/nongye";
  queries[6].decided = true;
  for (size_t i = 0; i < queries.size(); ++i) {
    for (size_t j = i + 1; j < queries.size(); ++j) {
      EXPECT_NE(queries[i].Canonical(), queries[j].Canonical()) << i << " vs " << j;
    }
  }
}

}  // namespace
}  // namespace duban
