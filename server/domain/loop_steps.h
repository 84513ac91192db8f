// Building blocks shared by ticket creation and the transitions
// (ticket_loop.h). Internal to the domain.
#ifndef DUBAN_SERVER_DOMAIN_LOOP_STEPS_H_
#define DUBAN_SERVER_DOMAIN_LOOP_STEPS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "server/domain/errors.h"
#include "server/domain/loop_context.h"
#include "server/domain/ticket_loop.h"

namespace duban {

// Checks the caller, the etag and the stage against the table row of
// `method`, then starts the change: a copy of the ticket at the next
// revision and an event of `type` by the caller.
absl::StatusOr<TicketChange> BeginStep(absl::string_view method, const v1::Ticket& ticket,
                                       absl::string_view etag, absl::string_view request_id,
                                       v1::EventType type, const LoopContext& context);

// Moves the ticket into `stage` with its clock running out at `due`
// (absl::InfinitePast() for none) and starts a new stage cycle.
void EnterStage(TicketChange& change, v1::Stage stage, absl::Time due, absl::Time now);

// Restarts the clock of the current stage: a new cycle, the same stage.
void RestartClock(TicketChange& change, absl::Time due);

// Records the ticket's resulting stage on the event.
TicketChange Finish(TicketChange change);

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

#endif  // DUBAN_SERVER_DOMAIN_LOOP_STEPS_H_
