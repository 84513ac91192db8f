#include "server/edge/prepared_create.h"

#include <memory>
#include <optional>

#include "base/status_macros.h"
#include "domain/resource_names.h"
#include "domain/ticket_loop.h"
#include "server/edge/request_fingerprint.h"

namespace duban {
namespace {

// What building the ticket needs after the call's checks.
struct CreateInputs {
  CallContext call;
};

}  // namespace

absl::StatusOr<storage::TicketStore::PendingCreate> PrepareCreate(
    const Backend& backend, const Caller& caller, const v1::CreateTicketRequest& request) {
  auto inputs = std::make_shared<CreateInputs>(CreateInputs{backend.ContextFor(caller)});
  RETURN_IF_ERROR(Validate(request, inputs->call.loop));
  uint64_t parent_id = 0;
  if (const std::string& name = request.ticket().parent(); !name.empty()) {
    ASSIGN_OR_RETURN(parent_id, ParseTicketName(name, "ticket.parent"));
    // Refused here if already missing or cancelled, before a commit slot is
    // spent; checked again at commit, under the parent's lock.
    absl::StatusOr<v1::Ticket> found = backend.tickets->Get(parent_id);
    if (!found.ok() && !absl::IsNotFound(found.status())) return found.status();
    RETURN_IF_ERROR(CheckParent(request, found.ok() ? &*found : nullptr));
  }
  return storage::TicketStore::PendingCreate{
      .request = RequestKeyFor(caller, kCreateTicketMethod, request),
      .parent = parent_id,
      .build = [inputs, &request](uint64_t id, const v1::Ticket* parent) {
        return NewTicket(id, request, parent, inputs->call.loop);
      }};
}

}  // namespace duban
