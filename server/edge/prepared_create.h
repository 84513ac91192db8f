// PrepareCreate: a CreateTicket call checked and made ready for the ticket
// store — its request key and how to build the ticket once it has an id —
// so the store can create it in one synced write, alone or with others
// (TicketStore::CreateEach).
//
//   ASSIGN_OR_RETURN(storage::TicketStore::PendingCreate create,
//                    PrepareCreate(backend, caller, request));
//   return backend.tickets->CreateEach({std::move(create)}, backend.Now())[0];
#ifndef DUBAN_SERVER_EDGE_PREPARED_CREATE_H_
#define DUBAN_SERVER_EDGE_PREPARED_CREATE_H_

#include "absl/status/statusor.h"
#include "domain/caller.h"
#include "duban/v1/ticket_service.pb.h"
#include "server/runtime/backend.h"
#include "storage/ticket_store.h"

namespace duban {

// The method name CreateTicket's request key and access check use.
inline constexpr char kCreateTicketMethod[] = "duban.v1.TicketService/CreateTicket";

// Validates `request` by `caller` on the current calendar and policy and
// checks its parent, if any; the store checks the parent again at commit,
// under its lock (PendingCreate::parent). The build function keeps what it
// needs alive (the calendar, the policy) but reads `request`, which must
// outlive it. INVALID_ARGUMENT as Validate and CheckParent
// (domain/ticket_loop.h) say, or a storage error reading the parent.
absl::StatusOr<storage::TicketStore::PendingCreate> PrepareCreate(
    const Backend& backend, const Caller& caller, const v1::CreateTicketRequest& request);

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_PREPARED_CREATE_H_
