#include "domain/holders.h"

#include "domain/ticket_loop.h"

namespace duban {

void UpdateHolder(v1::Ticket& ticket) {
  if (IsTerminal(ticket.stage())) {
    ticket.set_holder(v1::HOLDER_NONE);
    ticket.clear_holder_unit();
  } else if (ticket.stage() == v1::STAGE_DEPLOY && ticket.has_dispute()) {
    ticket.set_holder(v1::HOLDER_ISSUER);
    ticket.set_holder_unit(ticket.issuer_unit());
  } else if (ticket.stage() == v1::STAGE_INSPECT) {
    ticket.set_holder(v1::HOLDER_INSPECTION);
    ticket.set_holder_unit(ticket.inspection_unit());
  } else {
    ticket.set_holder(v1::HOLDER_LEAD_UNIT);
    ticket.set_holder_unit(ticket.lead_unit());
  }
}

}  // namespace duban
