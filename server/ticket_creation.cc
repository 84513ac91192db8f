#include "server/ticket_creation.h"

#include <memory>
#include <optional>

#include "server/domain/resource_names.h"
#include "server/domain/status_macros.h"
#include "server/domain/ticket_loop.h"
#include "server/request_fingerprint.h"

namespace duban {
namespace {

// What building the ticket needs after the call's checks.
struct CreateInputs {
  CallContext call;
  std::optional<v1::Ticket> parent;
};

}  // namespace

absl::StatusOr<storage::TicketStore::PendingCreate> PrepareCreate(
    const Backend& backend, const Caller& caller, const v1::CreateTicketRequest& request) {
  auto inputs = std::make_shared<CreateInputs>(CreateInputs{backend.ContextFor(caller), {}});
  RETURN_IF_ERROR(Validate(request, inputs->call.loop));
  if (const std::string& name = request.ticket().parent(); !name.empty()) {
    ASSIGN_OR_RETURN(uint64_t parent_id, ParseTicketName(name, "ticket.parent"));
    absl::StatusOr<v1::Ticket> found = backend.tickets->Get(parent_id);
    if (found.ok()) {
      inputs->parent = *std::move(found);
    } else if (!absl::IsNotFound(found.status())) {
      return found.status();
    }
  }
  RETURN_IF_ERROR(CheckParent(request, inputs->parent ? &*inputs->parent : nullptr));
  return storage::TicketStore::PendingCreate{
      .request = RequestKeyFor(caller, kCreateTicketMethod, request),
      .build = [inputs, &request](uint64_t id) {
        return NewTicket(id, request, inputs->parent ? &*inputs->parent : nullptr,
                         inputs->call.loop);
      }};
}

}  // namespace duban
