// The county report: one line per unit — tickets it leads by stage, open,
// overdue, cards, closed on time, referrals and dispositions, score — and
// the county's totals.
//
//   v1::CountyReport report = BuildCountyReport(period, as_of, units, tickets, referrals, board);
#ifndef DUBAN_SERVER_DOMAIN_COUNTY_REPORT_H_
#define DUBAN_SERVER_DOMAIN_COUNTY_REPORT_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "duban/v1/accountability.pb.h"
#include "duban/v1/directory.pb.h"
#include "duban/v1/performance.pb.h"
#include "duban/v1/report_service.pb.h"
#include "duban/v1/ticket.pb.h"

namespace duban {

// Lines for every department and township in `units`, and for any other
// unit that leads a ticket, answers a referral or has a score row; ordered
// by unit name. Closed-on-time and referral counts follow UnitRecord.
v1::CountyReport BuildCountyReport(absl::string_view period, absl::Time as_of,
                                   const std::vector<v1::Unit>& units,
                                   const std::vector<v1::Ticket>& tickets,
                                   const std::vector<v1::Referral>& referrals,
                                   const v1::Scoreboard& scoreboard);

}  // namespace duban

#endif  // DUBAN_SERVER_DOMAIN_COUNTY_REPORT_H_
