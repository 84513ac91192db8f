// Building blocks shared by ticket creation, the transitions and the ladder
// (ticket_loop.h, escalation_ladder.h). Internal to the domain.
#ifndef DUBAN_DOMAIN_LOOP_STEPS_H_
#define DUBAN_DOMAIN_LOOP_STEPS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/errors.h"
#include "domain/deadlines.h"
#include "domain/loop_context.h"
#include "domain/resource_names.h"
#include "domain/text_rules.h"
#include "domain/ticket_loop.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"

namespace duban {

// Checks the caller, the etag and the stage against the table row of
// `method`, then starts the change: a copy of the ticket and one event of
// `type` by the caller.
absl::StatusOr<TicketChange> BeginStep(absl::string_view method, const v1::Ticket& ticket,
                                       absl::string_view etag, absl::string_view request_id,
                                       v1::EventType type, const LoopContext& context);

// Starts a change with no checks and no event (the ladder's).
TicketChange BeginChange(const v1::Ticket& ticket, const LoopContext& context);

// Appends an event of `type` by the caller, numbered after the last one.
v1::TicketEvent& AddEvent(TicketChange& change, v1::EventType type, const LoopContext& context);

// Moves the ticket into `stage` with its clock running out at `due` (none
// when unset) and starts a new stage cycle.
void EnterStage(TicketChange& change, v1::Stage stage, const Deadline& due, absl::Time now);

// Restarts the clock of the current stage: a new cycle, the same stage, a
// fresh card and ladder.
void RestartClock(TicketChange& change, const Deadline& due, absl::Time now);

// Completes the change: who holds the ticket, when the ladder next fires,
// and on every event the resulting stage, etag and holder.
TicketChange Finish(TicketChange change, const LoopContext& context);

// The fields every transition request has: name, request_id, etag.
template <typename Request>
void CheckTransitionFields(FieldViolations& violations, const Request& request) {
  if (!ParseTicketName(request.name(), "name").ok()) {
    violations.Add(
        "name", request.name().empty() ? "is required" : "must be a ticket name like tickets/42");
  }
  CheckText(violations, "request_id", request.request_id(), kRequestId);
  CheckText(violations, "etag", request.etag(), kShortLabel);
}

// A deadline field: must be after `now` and within 5 years. `required`
// adds a violation when it is unset.
void CheckDeadline(FieldViolations& violations, absl::string_view field,
                   const google::protobuf::Timestamp& deadline, absl::Time now, bool required);

// Evidence references: at most kMaxEvidencePerCall, each a short reference.
void CheckEvidence(FieldViolations& violations, absl::string_view field,
                   const google::protobuf::RepeatedPtrField<std::string>& evidence);

// A unit reference: `units/{id}` of a unit that exists; `kinds` empty means
// any kind.
void CheckUnitRef(FieldViolations& violations, absl::string_view field, absl::string_view name,
                  const UnitDirectory& units, std::initializer_list<v1::UnitKind> kinds = {});

}  // namespace duban

#endif  // DUBAN_DOMAIN_LOOP_STEPS_H_
