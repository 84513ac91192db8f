// The closed loop (部署 → 落实 → 督查 → 反馈 → 改进): creating a ticket and
// every transition of it, as pure functions from (ticket, request, context)
// to the next ticket and the events that record the step.
//
//   RETURN_IF_ERROR(Validate(request, context));        // no ticket needed
//   ASSIGN_OR_RETURN(TicketChange change, Apply(ticket, request, context));
//   // store change.ticket, change.events and change.referrals in one write
//
// Validate() checks what needs no ticket (fields, units, times) and returns
// INVALID_ARGUMENT naming every bad field. Apply() refuses, in this order: a
// caller who may not take this step on this ticket (PERMISSION_DENIED), a
// stale etag (ABORTED), a stage the step does not accept
// (FAILED_PRECONDITION naming the current stage), and then step-specific
// preconditions. On refusal nothing is produced. On success the events are
// numbered on from the ticket's revision, and the ticket's etag is the last
// event's sequence.
#ifndef DUBAN_DOMAIN_TICKET_LOOP_H_
#define DUBAN_DOMAIN_TICKET_LOOP_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/deadlines.h"
#include "domain/loop_context.h"
#include "duban/v1/accountability.pb.h"
#include "duban/v1/directory.pb.h"
#include "duban/v1/performance.pb.h"
#include "duban/v1/ticket.pb.h"
#include "duban/v1/ticket_service.pb.h"

namespace duban {

struct TicketChange {
  v1::Ticket ticket;
  std::vector<v1::TicketEvent> events;
  // Referrals made or updated by the step.
  std::vector<v1::Referral> referrals;
  // Ledger entries the step's rules made (a deduction for a referral, for a
  // late close).
  std::vector<v1::LedgerEntry> ledger_entries;
};

// Who may take a step on a given ticket.
enum class Actor {
  kLeadUnit,           // staff of the lead unit
  kInvolvedUnit,       // staff of the lead or a cooperating unit
  kIssuerOrInspector,  // the issuer, or any inspector
  kIssuerOrLeader,     // the issuer, or any leader
  kIssuer,             // the issuer only
  kInspector,          // any inspector
};

// One row of the transition table.
struct TransitionRule {
  absl::string_view method;  // the RPC, e.g. "SignTicket"
  std::span<const v1::Stage> from;
  Actor actor;
};

// The whole table, in the order of ticket_service.proto.
std::span<const TransitionRule> TransitionTable();

// "DEPLOY" for STAGE_DEPLOY.
absl::string_view StageLabel(v1::Stage stage);
bool IsTerminal(v1::Stage stage);

// The revision a ticket is at (its etag as a number); 0 for none.
int64_t Revision(const v1::Ticket& ticket);

// Creating: a TASK (LEADER) enters DEPLOY, a FINDING (INSPECTOR) enters
// FEEDBACK. `parent` is the ticket `request.ticket().parent` names, or null
// when it names none; the caller looks it up.
[[nodiscard]] absl::Status Validate(const v1::CreateTicketRequest& request,
                                    const LoopContext& context);
absl::StatusOr<TicketChange> NewTicket(uint64_t id, const v1::CreateTicketRequest& request,
                                       const v1::Ticket* parent, const LoopContext& context);

// The parent a create request names: `parent` is the ticket looked up for
// it (null if none). INVALID_ARGUMENT for a missing or cancelled parent.
// NewTicket checks it too; calling it first avoids spending a ticket id.
[[nodiscard]] absl::Status CheckParent(const v1::CreateTicketRequest& request,
                                       const v1::Ticket* parent);

// The inspection TASK a spot-check draw opens for `village` (of `township`):
// led by the caller's unit, located at the village, started in IMPLEMENT
// (the drawer's unit takes it at once) and closed by its own report; due at
// `due`. The draw service checks the caller may draw.
TicketChange NewDrawTicket(uint64_t id, const v1::Unit& township, const v1::Unit& village,
                           absl::string_view draw, const Deadline& due, const LoopContext& context);

[[nodiscard]] absl::Status Validate(const v1::SignTicketRequest& request,
                                    const LoopContext& context);
[[nodiscard]] absl::Status Validate(const v1::DisputeTicketRequest& request,
                                    const LoopContext& context);
[[nodiscard]] absl::Status Validate(const v1::ResolveTicketDisputeRequest& request,
                                    const LoopContext& context);
[[nodiscard]] absl::Status Validate(const v1::ReportTicketProgressRequest& request,
                                    const LoopContext& context);
[[nodiscard]] absl::Status Validate(const v1::SubmitTicketRequest& request,
                                    const LoopContext& context);
[[nodiscard]] absl::Status Validate(const v1::FileRectificationPlanRequest& request,
                                    const LoopContext& context);
[[nodiscard]] absl::Status Validate(const v1::ReviewTicketRequest& request,
                                    const LoopContext& context);
[[nodiscard]] absl::Status Validate(const v1::CancelTicketRequest& request,
                                    const LoopContext& context);
[[nodiscard]] absl::Status Validate(const v1::ReopenTicketRequest& request,
                                    const LoopContext& context);

absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::SignTicketRequest& request,
                                   const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::DisputeTicketRequest& request,
                                   const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::ResolveTicketDisputeRequest& request,
                                   const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::ReportTicketProgressRequest& request,
                                   const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::SubmitTicketRequest& request,
                                   const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::FileRectificationPlanRequest& request,
                                   const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::ReviewTicketRequest& request,
                                   const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::CancelTicketRequest& request,
                                   const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::ReopenTicketRequest& request,
                                   const LoopContext& context);

// 延期: the lead unit asks for more time; the issuer or a leader decides.
[[nodiscard]] absl::Status Validate(const v1::RequestExtensionRequest& request,
                                    const LoopContext& context);
[[nodiscard]] absl::Status Validate(const v1::DecideExtensionRequest& request,
                                    const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::RequestExtensionRequest& request,
                                   const LoopContext& context);
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket,
                                   const v1::DecideExtensionRequest& request,
                                   const LoopContext& context);

}  // namespace duban

#endif  // DUBAN_DOMAIN_TICKET_LOOP_H_
