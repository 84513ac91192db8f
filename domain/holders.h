// Who holds a ticket — whose clock is running — follows from its stage:
// the lead unit while it works, the issuer while a dispute waits, the
// inspection unit while submitted work waits for review, nobody once it is
// closed or cancelled (PRODUCT.md; fair clocks).
#ifndef DUBAN_DOMAIN_HOLDERS_H_
#define DUBAN_DOMAIN_HOLDERS_H_

#include "duban/v1/ticket.pb.h"

namespace duban {

// Sets ticket.holder and ticket.holder_unit from its stage and dispute.
void UpdateHolder(v1::Ticket& ticket);

}  // namespace duban

#endif  // DUBAN_DOMAIN_HOLDERS_H_
