// Creating a ticket: who may create which kind, and every field rule of
// Validate(CreateTicketRequest), with the BadRequest fields it names.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/time_convert.h"
#include "domain/ticket_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::Friday;
using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::duban::testing::TimeOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

enum class Who { kLeader, kInspector, kStaff };
using Mutation = std::function<void(v1::Ticket&)>;

struct CreateCase {
  const char* label;
  bool finding;  // start from FindingRequest() rather than TaskRequest()
  Who who;
  Mutation mutate;
  absl::StatusCode code;
  std::vector<std::string> fields;  // the BadRequest fields, in order
};

Mutation SetDue(absl::Time due) {
  return [due](v1::Ticket& t) { *t.mutable_due_time() = ToTimestamp(due); };
}

std::string Repeat(absl::string_view piece, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) absl::StrAppend(&text, piece);
  return text;
}

constexpr auto kOk = absl::StatusCode::kOk;
constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kDenied = absl::StatusCode::kPermissionDenied;

const std::vector<CreateCase>& Cases() {
  const bool kTask = false, kFinding = true;
  static const auto* cases = new std::vector<CreateCase>{
      {"valid task", kTask, Who::kLeader, [](v1::Ticket&) {}, kOk, {}},
      {"valid finding", kFinding, Who::kInspector, [](v1::Ticket&) {}, kOk, {}},
      {"task at a township",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_location("units/chengguan"); },
       kOk,
       {}},
      {"task at a village",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_location("units/chengguan-dongjie"); },
       kOk,
       {}},
      {"unit staff deploys a task", kTask, Who::kStaff, [](v1::Ticket&) {}, kDenied, {}},
      {"inspector deploys a task", kTask, Who::kInspector, [](v1::Ticket&) {}, kDenied, {}},
      {"leader files a finding", kFinding, Who::kLeader, [](v1::Ticket&) {}, kDenied, {}},
      {"unit staff files a finding", kFinding, Who::kStaff, [](v1::Ticket&) {}, kDenied, {}},
      {"no kind",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_kind(v1::TICKET_KIND_UNSPECIFIED); },
       kInvalid,
       {"ticket.kind"}},
      {"no title",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.clear_title(); },
       kInvalid,
       {"ticket.title"}},
      {"no lead unit",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.clear_lead_unit(); },
       kInvalid,
       {"ticket.lead_unit"}},
      {"no title and no lead unit",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) {
         t.clear_title();
         t.clear_lead_unit();
       },
       kInvalid,
       {"ticket.title", "ticket.lead_unit"}},
      {"lead unit without prefix",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_lead_unit("nongye"); },
       kInvalid,
       {"ticket.lead_unit"}},
      {"unknown lead unit",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_lead_unit("units/nosuch"); },
       kInvalid,
       {"ticket.lead_unit"}},
      {"task without due time",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.clear_due_time(); },
       kInvalid,
       {"ticket.due_time"}},
      {"finding without due time",
       kFinding,
       Who::kInspector,
       [](v1::Ticket& t) { t.clear_due_time(); },
       kOk,
       {}},
      {"finding without severity",
       kFinding,
       Who::kInspector,
       [](v1::Ticket& t) { t.set_severity(v1::SEVERITY_UNSPECIFIED); },
       kInvalid,
       {"ticket.severity"}},
      {"severity out of range",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_severity(static_cast<v1::Severity>(99)); },
       kInvalid,
       {"ticket.severity"}},
      {"location is a department",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_location("units/nongye"); },
       kInvalid,
       {"ticket.location"}},
      {"unknown location",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_location("units/nosuch"); },
       kInvalid,
       {"ticket.location"}},
      {"cooperating unit is the lead",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_cooperating_units(0, "units/nongye"); },
       kInvalid,
       {"ticket.cooperating_units[0]"}},
      {"cooperating unit twice",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.add_cooperating_units("units/ziran"); },
       kInvalid,
       {"ticket.cooperating_units[1]"}},
      {"unknown cooperating unit",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.add_cooperating_units("units/nosuch"); },
       kInvalid,
       {"ticket.cooperating_units[1]"}},
      {"due time in the past",
       kTask,
       Who::kLeader,
       SetDue(Local(2024, 3, 14)),
       kInvalid,
       {"ticket.due_time"}},
      {"due time now", kTask, Who::kLeader, SetDue(Friday()), kInvalid, {"ticket.due_time"}},
      {"due time four years out", kTask, Who::kLeader, SetDue(Local(2028, 3, 15)), kOk, {}},
      {"due time over five years out",
       kTask,
       Who::kLeader,
       SetDue(Local(2029, 6, 1)),
       kInvalid,
       {"ticket.due_time"}},
      {"due time with bad nanos",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.mutable_due_time()->set_nanos(-1); },
       kInvalid,
       {"ticket.due_time"}},
      {"finding rectification due in the past",
       kFinding,
       Who::kInspector,
       [](v1::Ticket& t) { *t.mutable_rectification_due_time() = ToTimestamp(Local(2024, 3, 1)); },
       kInvalid,
       {"ticket.rectification_due_time"}},
      {"title not UTF-8",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_title("abc\xC0\xAF"); },
       kInvalid,
       {"ticket.title"}},
      {"title of 600 bytes",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_title(Repeat("中", 200)); },
       kOk,
       {}},
      {"title of 601 bytes",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_title(Repeat("中", 200) + "a"); },
       kInvalid,
       {"ticket.title"}},
      {"control character in title",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_title("a\x01z"); },
       kInvalid,
       {"ticket.title"}},
      {"newline in title",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_title("a\nz"); },
       kInvalid,
       {"ticket.title"}},
      {"newline in detail",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_detail("a\nz"); },
       kOk,
       {}},
      {"good indicator",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_indicator("indicators/gengdi"); },
       kOk,
       {}},
      {"indicator without prefix",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_indicator("gengdi"); },
       kInvalid,
       {"ticket.indicator"}},
      {"indicator in capitals",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_indicator("indicators/Gengdi"); },
       kInvalid,
       {"ticket.indicator"}},
      {"indicator not in the catalogue",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_indicator("indicators/nosuch"); },
       kInvalid,
       {"ticket.indicator"}},
      {"parent tickets/0",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_parent("tickets/0"); },
       kInvalid,
       {"ticket.parent"}},
      {"parent without prefix",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_parent("42"); },
       kInvalid,
       {"ticket.parent"}},
      {"parent not a number",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_parent("tickets/x"); },
       kInvalid,
       {"ticket.parent"}},
      {"21 evidence references",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) {
         for (int i = 0; i < 21; ++i) t.add_evidence(absl::StrCat("files/", i));
       },
       kInvalid,
       {"ticket.evidence"}},
      {"an inspection unit of the issuer's choice",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_inspection_unit("units/county"); },
       kOk,
       {}},
      {"unknown inspection unit",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.set_inspection_unit("units/nosuch"); },
       kInvalid,
       {"ticket.inspection_unit"}},
      {"inspection unit without prefix",
       kFinding,
       Who::kInspector,
       [](v1::Ticket& t) { t.set_inspection_unit("ducha"); },
       kInvalid,
       {"ticket.inspection_unit"}},
      {"empty evidence reference",
       kTask,
       Who::kLeader,
       [](v1::Ticket& t) { t.add_evidence(""); },
       kInvalid,
       {"ticket.evidence[0]"}},
  };
  return *cases;
}

TEST(TicketCreationTest, Validate) {
  LoopWorld world;
  for (const CreateCase& c : Cases()) {
    v1::CreateTicketRequest request = c.finding ? world.FindingRequest() : world.TaskRequest();
    c.mutate(*request.mutable_ticket());
    const Caller& caller = c.who == Who::kLeader      ? world.leader
                           : c.who == Who::kInspector ? world.inspector
                                                      : world.lead_staff;
    const absl::Status status = Validate(request, world.ContextFor(caller));
    EXPECT_EQ(status.code(), c.code) << c.label << ": " << status;
    EXPECT_THAT(BadRequestFields(status), ElementsAreArray(c.fields)) << c.label;
    if (c.code == kDenied) {
      EXPECT_EQ(ErrorReason(status), "ROLE_NOT_ALLOWED") << c.label;
    }
    if (c.code == kInvalid) {
      EXPECT_EQ(ErrorReason(status), "INVALID_FIELD") << c.label;
    }
    // NewTicket refuses exactly what Validate refuses.
    absl::StatusOr<TicketChange> change = NewTicket(9, request, nullptr, world.ContextFor(caller));
    EXPECT_EQ(change.status().code(), c.code) << c.label << " (NewTicket)";
  }
}

TEST(TicketCreationTest, ARequestIdOver128BytesIsInvalid) {
  LoopWorld world;
  v1::CreateTicketRequest request = world.TaskRequest();
  request.set_request_id(std::string(129, 'r'));
  const absl::Status status = Validate(request, world.ContextFor(world.leader));
  EXPECT_THAT(BadRequestFields(status), ElementsAre("request_id"));
  request.set_request_id(std::string(128, 'r'));
  EXPECT_TRUE(Validate(request, world.ContextFor(world.leader)).ok());
}

TEST(TicketCreationTest, ParentMustBeFoundAndNotCancelled) {
  LoopWorld world;
  const v1::Ticket open_parent = world.TaskIn(v1::STAGE_IMPLEMENT);
  const v1::Ticket cancelled_parent = world.TaskIn(v1::STAGE_CANCELLED);
  v1::CreateTicketRequest request = world.TaskRequest();
  request.mutable_ticket()->set_parent("tickets/7");

  absl::StatusOr<TicketChange> missing =
      NewTicket(9, request, nullptr, world.ContextFor(world.leader));
  EXPECT_EQ(missing.status().code(), kInvalid) << missing.status();
  EXPECT_THAT(BadRequestFields(missing.status()), ElementsAre("ticket.parent"));

  absl::StatusOr<TicketChange> cancelled =
      NewTicket(9, request, &cancelled_parent, world.ContextFor(world.leader));
  EXPECT_EQ(cancelled.status().code(), kInvalid) << cancelled.status();
  EXPECT_THAT(BadRequestFields(cancelled.status()), ElementsAre("ticket.parent"));

  absl::StatusOr<TicketChange> child =
      NewTicket(9, request, &open_parent, world.ContextFor(world.leader));
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_EQ(child->ticket.parent(), "tickets/7");
  EXPECT_EQ(child->ticket.name(), "tickets/9");
}

TEST(TicketCreationTest, OutputOnlyFieldsOfTheRequestAreIgnored) {
  LoopWorld world;
  v1::CreateTicketRequest request = world.TaskRequest();
  v1::Ticket& input = *request.mutable_ticket();
  input.set_name("tickets/999");
  input.set_stage(v1::STAGE_CLOSED);
  input.set_issuer("principals/someone-else");
  input.set_etag("77");
  input.set_stage_cycle(5);
  input.set_progress_percent(100);
  input.mutable_dispute()->set_reason("x");
  input.set_card(v1::CARD_RED);
  input.add_fired_levels(v1::ESCALATION_LEVEL_RED);
  *input.mutable_next_escalation_time() = ToTimestamp(Local(2024, 3, 16));
  input.set_holder(v1::HOLDER_ISSUER);
  input.set_holder_unit("units/ziran");
  input.set_responsible_principal("principals/someone-else");
  input.set_issuer_unit("units/ziran");
  input.mutable_pending_extension()->set_reason("x");
  input.add_referrals("referrals/1");
  input.add_escalations()->set_level(v1::ESCALATION_LEVEL_RED);
  *input.mutable_clock_start_time() = ToTimestamp(Local(2024, 1, 1));
  *input.mutable_stage_due_basis()->mutable_counted_from() = ToTimestamp(Local(2024, 1, 1));
  absl::StatusOr<TicketChange> change =
      NewTicket(7, request, nullptr, world.ContextFor(world.leader));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.name(), "tickets/7");
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(change->ticket.issuer(), "principals/li");
  EXPECT_EQ(change->ticket.etag(), "1");
  EXPECT_EQ(change->ticket.stage_cycle(), 1);
  EXPECT_EQ(change->ticket.progress_percent(), 0);
  EXPECT_FALSE(change->ticket.has_dispute());
  EXPECT_EQ(change->ticket.card(), v1::CARD_NONE);
  EXPECT_THAT(change->ticket.fired_levels(), ::testing::IsEmpty());
  EXPECT_EQ(change->ticket.holder(), v1::HOLDER_LEAD_UNIT);
  EXPECT_EQ(change->ticket.holder_unit(), "units/nongye");
  EXPECT_EQ(change->ticket.responsible_principal(), "");
  EXPECT_EQ(change->ticket.issuer_unit(), "units/county");
  EXPECT_FALSE(change->ticket.has_pending_extension());
  EXPECT_THAT(change->ticket.referrals(), ::testing::IsEmpty());
  EXPECT_THAT(change->ticket.escalations(), ::testing::IsEmpty());
  EXPECT_EQ(TimeOf(change->ticket.clock_start_time()), Friday());
  EXPECT_EQ(TimeOf(change->ticket.stage_due_basis().counted_from()), Friday());
}

TEST(TicketCreationTest, DeadlinesMayBeGivenAsSpans) {
  LoopWorld world;
  v1::CreateTicketRequest task = world.TaskRequest();
  task.mutable_ticket()->clear_due_time();
  task.mutable_due_in()->set_working_days(10);
  absl::StatusOr<TicketChange> change = NewTicket(7, task, nullptr, world.ContextFor(world.leader));
  ASSERT_TRUE(change.ok()) << change.status();
  // 10 working days from Friday 03-15: the end of Friday 03-29.
  EXPECT_EQ(TimeOf(change->ticket.due_time()), Local(2024, 3, 30));
  EXPECT_EQ(change->ticket.due_basis().working_days(), 10);
  EXPECT_EQ(TimeOf(change->ticket.due_basis().counted_from()), Friday());
  EXPECT_TRUE(change->ticket.due_basis().weekends_only()) << "the test calendar has no data";

  v1::CreateTicketRequest finding = world.FindingRequest();
  finding.mutable_rectification_due_in()->set_hours(48);
  change = NewTicket(8, finding, nullptr, world.ContextFor(world.inspector));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(TimeOf(change->ticket.rectification_due_time()), Friday() + absl::Hours(48));
  EXPECT_EQ(change->ticket.rectification_due_basis().hours(), 48);

  v1::CreateTicketRequest both = world.TaskRequest();
  both.mutable_due_in()->set_working_days(10);
  const absl::Status status = Validate(both, world.ContextFor(world.leader));
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_THAT(BadRequestFields(status), ElementsAre("due_in"));
}

TEST(TicketCreationTest, TheInspectionUnitDefaultsByKind) {
  LoopWorld world;
  // A task: the county's inspection office.
  EXPECT_EQ(world.Create(world.TaskRequest()).inspection_unit(), "units/ducha");
  // A finding: the filing inspector's own unit.
  const Caller township_inspector = testing::MakeCaller("sun", v1::ROLE_INSPECTOR, "chengguan");
  const v1::Ticket finding = testing::Must(
      NewTicket(8, world.FindingRequest(), nullptr, world.ContextFor(township_inspector)));
  EXPECT_EQ(finding.inspection_unit(), "units/chengguan");
  EXPECT_EQ(finding.issuer_unit(), "units/chengguan");
  // Named in the request, it is kept.
  v1::CreateTicketRequest named = world.TaskRequest();
  named.mutable_ticket()->set_inspection_unit("units/county");
  EXPECT_EQ(world.Create(named).inspection_unit(), "units/county");
}

}  // namespace
}  // namespace duban
