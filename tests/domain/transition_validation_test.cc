// Validate() of each transition request: what it checks without a ticket,
// and which BadRequest fields it names.
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
using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::testing::ElementsAreArray;

struct ValidateCase {
  const char* label;
  std::function<absl::Status(const LoopContext&)> validate;
  std::vector<std::string> fields;  // empty: the request is valid
};

// A request named tickets/7 with the required fields, changed by `edit`,
// then validated.
template <typename Request>
std::function<absl::Status(const LoopContext&)> Check(Request (*make)(const v1::Ticket&),
                                                      std::function<void(Request&)> edit) {
  return [make, edit](const LoopContext& context) {
    v1::Ticket ticket;
    ticket.set_name("tickets/7");
    Request request = make(ticket);
    edit(request);
    return Validate(request, context);
  };
}

v1::ReportTicketProgressRequest Progress(const v1::Ticket& t) {
  return testing::ProgressRequest(t, 50);
}
v1::ResolveTicketDisputeRequest Reassign(const v1::Ticket& t) {
  return testing::ReassignRequest(t, "units/ziran");
}

template <typename Request>
void AddEvidence(Request& request, int count) {
  for (int i = 0; i < count; ++i) request.add_evidence(absl::StrCat("photos/", i, ".jpg"));
}

google::protobuf::Timestamp Past() { return ToTimestamp(Local(2024, 3, 1)); }
google::protobuf::Timestamp Later() { return ToTimestamp(Local(2024, 4, 20, 18)); }

using Sign = v1::SignTicketRequest;
using Dispute = v1::DisputeTicketRequest;
using Resolve = v1::ResolveTicketDisputeRequest;
using Report = v1::ReportTicketProgressRequest;
using Submit = v1::SubmitTicketRequest;
using Plan = v1::FileRectificationPlanRequest;
using Review = v1::ReviewTicketRequest;
using Cancel = v1::CancelTicketRequest;
using Reopen = v1::ReopenTicketRequest;

TEST(TransitionValidationTest, Validate) {
  const ValidateCase kCases[] = {
      {"sign", Check<Sign>(testing::SignRequest, [](Sign&) {}), {}},
      {"sign without name",
       Check<Sign>(testing::SignRequest, [](Sign& r) { r.clear_name(); }),
       {"name"}},
      {"sign with a bad name",
       Check<Sign>(testing::SignRequest, [](Sign& r) { r.set_name("tickets/x"); }),
       {"name"}},
      {"sign with a unit name",
       Check<Sign>(testing::SignRequest, [](Sign& r) { r.set_name("units/nongye"); }),
       {"name"}},
      {"sign with a long etag",
       Check<Sign>(testing::SignRequest, [](Sign& r) { r.set_etag(std::string(61, '1')); }),
       {"etag"}},
      {"sign without name, long request id",
       Check<Sign>(testing::SignRequest,
                   [](Sign& r) {
                     r.clear_name();
                     r.set_request_id(std::string(129, 'r'));
                   }),
       {"name", "request_id"}},
      {"dispute", Check<Dispute>(testing::DisputeRequest, [](Dispute&) {}), {}},
      {"dispute without reason",
       Check<Dispute>(testing::DisputeRequest, [](Dispute& r) { r.clear_reason(); }),
       {"reason"}},
      {"reassign", Check<Resolve>(Reassign, [](Resolve&) {}), {}},
      {"reassign to an unknown unit",
       Check<Resolve>(Reassign, [](Resolve& r) { r.set_new_lead_unit("units/nosuch"); }),
       {"new_lead_unit"}},
      {"reassign to nobody",
       Check<Resolve>(Reassign, [](Resolve& r) { r.clear_new_lead_unit(); }),
       {"new_lead_unit"}},
      {"overrule", Check<Resolve>(testing::OverruleRequest, [](Resolve&) {}), {}},
      {"overrule naming a new lead",
       Check<Resolve>(testing::OverruleRequest,
                      [](Resolve& r) { r.set_new_lead_unit("units/ziran"); }),
       {"new_lead_unit"}},
      {"overrule without comment",
       Check<Resolve>(testing::OverruleRequest, [](Resolve& r) { r.clear_comment(); }),
       {"comment"}},
      {"resolution unspecified",
       Check<Resolve>(Reassign,
                      [](Resolve& r) { r.set_resolution(v1::DISPUTE_RESOLUTION_UNSPECIFIED); }),
       {"resolution"}},
      {"progress", Check<Report>(Progress, [](Report&) {}), {}},
      {"progress 0", Check<Report>(Progress, [](Report& r) { r.set_progress_percent(0); }), {}},
      {"progress 100", Check<Report>(Progress, [](Report& r) { r.set_progress_percent(100); }), {}},
      {"progress -1",
       Check<Report>(Progress, [](Report& r) { r.set_progress_percent(-1); }),
       {"progress_percent"}},
      {"progress 101",
       Check<Report>(Progress, [](Report& r) { r.set_progress_percent(101); }),
       {"progress_percent"}},
      {"progress without comment",
       Check<Report>(Progress, [](Report& r) { r.clear_comment(); }),
       {"comment"}},
      {"progress with 20 references",
       Check<Report>(Progress, [](Report& r) { AddEvidence(r, 20); }),
       {}},
      {"progress with 21 references",
       Check<Report>(Progress, [](Report& r) { AddEvidence(r, 21); }),
       {"evidence"}},
      {"submit", Check<Submit>(testing::SubmitRequest, [](Submit&) {}), {}},
      {"submit without comment",
       Check<Submit>(testing::SubmitRequest, [](Submit& r) { r.clear_comment(); }),
       {"comment"}},
      {"submit with 21 references",
       Check<Submit>(testing::SubmitRequest, [](Submit& r) { AddEvidence(r, 21); }),
       {"evidence"}},
      {"submit with a control character in a reference",
       Check<Submit>(testing::SubmitRequest, [](Submit& r) { r.add_evidence("a\tb"); }),
       {"evidence[0]"}},
      {"plan", Check<Plan>(testing::PlanRequest, [](Plan&) {}), {}},
      {"plan without plan",
       Check<Plan>(testing::PlanRequest, [](Plan& r) { r.clear_plan(); }),
       {"plan"}},
      {"plan with 21 references",
       Check<Plan>(testing::PlanRequest, [](Plan& r) { AddEvidence(r, 21); }),
       {"evidence"}},
      {"accept", Check<Review>(testing::AcceptRequest, [](Review&) {}), {}},
      {"accept with a rectification deadline",
       Check<Review>(testing::AcceptRequest,
                     [](Review& r) { *r.mutable_rectification_due_time() = Later(); }),
       {"rectification_due_time"}},
      {"reject", Check<Review>(testing::RejectRequest, [](Review&) {}), {}},
      {"reject with a rectification deadline",
       Check<Review>(testing::RejectRequest,
                     [](Review& r) { *r.mutable_rectification_due_time() = Later(); }),
       {}},
      {"reject without findings",
       Check<Review>(testing::RejectRequest, [](Review& r) { r.clear_findings(); }),
       {"findings"}},
      {"reject with a past rectification deadline",
       Check<Review>(testing::RejectRequest,
                     [](Review& r) { *r.mutable_rectification_due_time() = Past(); }),
       {"rectification_due_time"}},
      {"verdict unspecified",
       Check<Review>(testing::AcceptRequest,
                     [](Review& r) { r.set_verdict(v1::REVIEW_VERDICT_UNSPECIFIED); }),
       {"verdict"}},
      {"cancel", Check<Cancel>(testing::CancelRequest, [](Cancel&) {}), {}},
      {"cancel without reason",
       Check<Cancel>(testing::CancelRequest, [](Cancel& r) { r.clear_reason(); }),
       {"reason"}},
      {"reopen", Check<Reopen>(testing::ReopenRequest, [](Reopen&) {}), {}},
      {"reopen without findings",
       Check<Reopen>(testing::ReopenRequest, [](Reopen& r) { r.clear_findings(); }),
       {"findings"}},
      {"reopen with a past rectification deadline",
       Check<Reopen>(testing::ReopenRequest,
                     [](Reopen& r) { *r.mutable_rectification_due_time() = Past(); }),
       {"rectification_due_time"}},
  };

  LoopWorld world;
  const LoopContext context = world.ContextFor(world.leader);
  for (const ValidateCase& c : kCases) {
    const absl::Status status = c.validate(context);
    if (c.fields.empty()) {
      EXPECT_TRUE(status.ok()) << c.label << ": " << status;
      continue;
    }
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.label << ": " << status;
    EXPECT_EQ(ErrorReason(status), "INVALID_FIELD") << c.label;
    EXPECT_THAT(BadRequestFields(status), ElementsAreArray(c.fields)) << c.label;
  }
}

}  // namespace
}  // namespace duban
