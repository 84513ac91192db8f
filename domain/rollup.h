// The roll-up of a parent ticket (task decomposition): how its sub-tickets
// stand — by stage, their mean progress, how many are overdue and how many
// carry each card — computed on read, never stored.
//
//   v1::Rollup rollup = RollUp(children, now);
#ifndef DUBAN_DOMAIN_ROLLUP_H_
#define DUBAN_DOMAIN_ROLLUP_H_

#include <vector>

#include "absl/time/time.h"
#include "duban/v1/ticket.pb.h"

namespace duban {

// The roll-up of `children` (whole tickets or their index summaries: stage,
// stage due time, card and progress are read). A closed child counts 100 %
// towards the mean progress, a cancelled one not at all; an open child is
// overdue when its stage clock ran out before `as_of`.
v1::Rollup RollUp(const std::vector<v1::Ticket>& children, absl::Time as_of);

}  // namespace duban

#endif  // DUBAN_DOMAIN_ROLLUP_H_
