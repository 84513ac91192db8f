// The transition table (PRODUCT.md, "The closed loop"), method by method and
// stage by stage: each step is accepted exactly in the stages its row lists
// and refused everywhere else with FAILED_PRECONDITION naming the stage.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/ticket_loop.h"
#include "duban/v1/ticket_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::ErrorMetadata;
using ::duban::testing::LoopWorld;
using ::duban::testing::OnlyEvent;
using ::testing::HasSubstr;

constexpr v1::Stage kAllStages[] = {
    v1::STAGE_DEPLOY,  v1::STAGE_IMPLEMENT, v1::STAGE_INSPECT,   v1::STAGE_FEEDBACK,
    v1::STAGE_IMPROVE, v1::STAGE_CLOSED,    v1::STAGE_CANCELLED,
};

using ApplyFn = std::function<absl::StatusOr<TicketChange>(const LoopWorld&, v1::Ticket)>;

struct MethodCase {
  const char* label;
  const char* method;  // its row in TransitionTable()
  std::vector<v1::Stage> accepted;
  Actor actor;
  ApplyFn apply;  // as a caller the row allows
};

const std::vector<MethodCase>& MethodCases() {
  static const auto* cases = new std::vector<MethodCase>{
      {"SignTicket",
       "SignTicket",
       {v1::STAGE_DEPLOY},
       Actor::kLeadUnit,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::SignRequest(t), w.ContextFor(w.lead_staff));
       }},
      {"DisputeTicket",
       "DisputeTicket",
       {v1::STAGE_DEPLOY},
       Actor::kLeadUnit,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::DisputeRequest(t), w.ContextFor(w.lead_staff));
       }},
      {"ResolveTicketDispute/overrule",
       "ResolveTicketDispute",
       {v1::STAGE_DEPLOY},
       Actor::kIssuerOrLeader,
       [](const LoopWorld& w, v1::Ticket t) {
         t.mutable_dispute()->set_reason("不归我们");
         return Apply(t, testing::OverruleRequest(t), w.ContextFor(w.leader));
       }},
      {"ResolveTicketDispute/reassign",
       "ResolveTicketDispute",
       {v1::STAGE_DEPLOY},
       Actor::kIssuerOrLeader,
       [](const LoopWorld& w, v1::Ticket t) {
         t.mutable_dispute()->set_reason("不归我们");
         return Apply(t, testing::ReassignRequest(t, "units/chengguan"), w.ContextFor(w.leader));
       }},
      {"ReportTicketProgress",
       "ReportTicketProgress",
       {v1::STAGE_IMPLEMENT, v1::STAGE_IMPROVE},
       Actor::kInvolvedUnit,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::ProgressRequest(t, 40), w.ContextFor(w.coop_staff));
       }},
      {"SubmitTicket",
       "SubmitTicket",
       {v1::STAGE_IMPLEMENT, v1::STAGE_IMPROVE},
       Actor::kLeadUnit,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::SubmitRequest(t), w.ContextFor(w.lead_staff));
       }},
      {"FileRectificationPlan",
       "FileRectificationPlan",
       {v1::STAGE_FEEDBACK},
       Actor::kLeadUnit,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::PlanRequest(t), w.ContextFor(w.lead_staff));
       }},
      {"ReviewTicket/accept",
       "ReviewTicket",
       {v1::STAGE_INSPECT},
       Actor::kIssuerOrInspector,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::AcceptRequest(t), w.ContextFor(w.inspector));
       }},
      {"ReviewTicket/reject",
       "ReviewTicket",
       {v1::STAGE_INSPECT},
       Actor::kIssuerOrInspector,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::RejectRequest(t), w.ContextFor(w.inspector));
       }},
      {"CancelTicket",
       "CancelTicket",
       {v1::STAGE_DEPLOY, v1::STAGE_IMPLEMENT, v1::STAGE_INSPECT, v1::STAGE_FEEDBACK,
        v1::STAGE_IMPROVE},
       Actor::kIssuer,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::CancelRequest(t), w.ContextFor(w.leader));
       }},
      {"ReopenTicket",
       "ReopenTicket",
       {v1::STAGE_CLOSED},
       Actor::kInspector,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::ReopenRequest(t), w.ContextFor(w.inspector));
       }},
      {"RequestExtension",
       "RequestExtension",
       {v1::STAGE_IMPLEMENT, v1::STAGE_FEEDBACK, v1::STAGE_IMPROVE},
       Actor::kLeadUnit,
       [](const LoopWorld& w, v1::Ticket t) {
         return Apply(t, testing::ExtensionRequest(t, testing::Local(2024, 6, 28, 18)),
                      w.ContextFor(w.lead_staff));
       }},
      {"DecideExtension/grant",
       "DecideExtension",
       {v1::STAGE_IMPLEMENT, v1::STAGE_FEEDBACK, v1::STAGE_IMPROVE},
       Actor::kIssuerOrLeader,
       [](const LoopWorld& w, v1::Ticket t) {
         *t.mutable_pending_extension() =
             testing::PendingExtension(testing::Local(2024, 6, 28, 18));
         return Apply(t, testing::GrantRequest(t), w.ContextFor(w.leader));
       }},
      {"DecideExtension/refuse",
       "DecideExtension",
       {v1::STAGE_IMPLEMENT, v1::STAGE_FEEDBACK, v1::STAGE_IMPROVE},
       Actor::kIssuerOrLeader,
       [](const LoopWorld& w, v1::Ticket t) {
         *t.mutable_pending_extension() =
             testing::PendingExtension(testing::Local(2024, 6, 28, 18));
         return Apply(t, testing::RefuseRequest(t), w.ContextFor(w.other_leader));
       }},
  };
  return *cases;
}

const TransitionRule* FindRule(absl::string_view method) {
  for (const TransitionRule& rule : TransitionTable()) {
    if (rule.method == method) return &rule;
  }
  return nullptr;
}

bool Contains(const std::vector<v1::Stage>& stages, v1::Stage stage) {
  return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

TEST(TransitionTableTest, RowsListTheStagesAndActorsOfTheProductBrief) {
  for (const MethodCase& c : MethodCases()) {
    const TransitionRule* rule = FindRule(c.method);
    ASSERT_NE(rule, nullptr) << c.label;
    EXPECT_EQ(std::vector<v1::Stage>(rule->from.begin(), rule->from.end()), c.accepted) << c.label;
    EXPECT_EQ(rule->actor, c.actor) << c.label;
  }
}

TEST(TransitionTableTest, EveryRowIsATicketServiceMethodInProtoOrder) {
  const google::protobuf::ServiceDescriptor* service =
      v1::SignTicketRequest::descriptor()->file()->FindServiceByName("TicketService");
  ASSERT_NE(service, nullptr);
  int previous_index = -1;
  for (const TransitionRule& rule : TransitionTable()) {
    const google::protobuf::MethodDescriptor* method =
        service->FindMethodByName(std::string(rule.method));
    ASSERT_NE(method, nullptr) << rule.method;
    EXPECT_GT(method->index(), previous_index) << rule.method << " is out of proto order";
    previous_index = method->index();
  }
  EXPECT_EQ(TransitionTable().size(), 11u);
}

TEST(TransitionTableTest, EachStepIsAcceptedExactlyInItsStages) {
  LoopWorld world;
  for (v1::Stage stage : kAllStages) {
    const v1::Ticket ticket = world.TaskIn(stage);
    ASSERT_EQ(ticket.stage(), stage);
    for (const MethodCase& c : MethodCases()) {
      const std::string where = absl::StrCat(c.label, " from ", StageLabel(stage));
      absl::StatusOr<TicketChange> change = c.apply(world, ticket);
      if (Contains(c.accepted, stage)) {
        ASSERT_TRUE(change.ok()) << where << ": " << change.status();
        EXPECT_EQ(OnlyEvent(*change).from_stage(), stage) << where;
        EXPECT_EQ(OnlyEvent(*change).to_stage(), change->ticket.stage()) << where;
        continue;
      }
      ASSERT_FALSE(change.ok()) << where << " was accepted";
      EXPECT_EQ(change.status().code(), absl::StatusCode::kFailedPrecondition)
          << where << ": " << change.status();
      EXPECT_EQ(ErrorReason(change.status()), "STAGE_MISMATCH") << where;
      EXPECT_THAT(std::string(change.status().message()),
                  HasSubstr(absl::StrCat("is in stage ", StageLabel(stage))))
          << where;
      EXPECT_EQ(ErrorMetadata(change.status(), "current_stage"), StageLabel(stage)) << where;
    }
  }
}

TEST(TransitionTableTest, StageLabels) {
  static const struct {
    v1::Stage stage;
    const char* label;
    bool terminal;
  } kCases[] = {
      {v1::STAGE_UNSPECIFIED, "UNSPECIFIED", false},
      {v1::STAGE_DEPLOY, "DEPLOY", false},
      {v1::STAGE_IMPLEMENT, "IMPLEMENT", false},
      {v1::STAGE_INSPECT, "INSPECT", false},
      {v1::STAGE_FEEDBACK, "FEEDBACK", false},
      {v1::STAGE_IMPROVE, "IMPROVE", false},
      {v1::STAGE_CLOSED, "CLOSED", true},
      {v1::STAGE_CANCELLED, "CANCELLED", true},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(StageLabel(c.stage), c.label) << c.stage;
    EXPECT_EQ(IsTerminal(c.stage), c.terminal) << c.label;
  }
}

TEST(TransitionTableTest, RevisionIsTheEtagAsANumber) {
  static const struct {
    const char* etag;
    int64_t revision;
  } kCases[] = {{"", 0}, {"1", 1}, {"42", 42}, {"x", 0}, {"3a", 0}};
  for (const auto& c : kCases) {
    v1::Ticket ticket;
    ticket.set_etag(c.etag);
    EXPECT_EQ(Revision(ticket), c.revision) << "etag \"" << c.etag << "\"";
  }
}

}  // namespace
}  // namespace duban
