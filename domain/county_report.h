// The county report for a period: one line per unit — the period's
// tickets it leads by stage, open, overdue and cards; its accountability
// record for the period (closed on time, referrals, dispositions); its
// score — and the county's totals.
//
//   v1::CountyReport report = BuildCountyReport({.period = period, .as_of = now, ...});
#ifndef DUBAN_DOMAIN_COUNTY_REPORT_H_
#define DUBAN_DOMAIN_COUNTY_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/period.h"
#include "duban/v1/accountability.pb.h"
#include "duban/v1/directory.pb.h"
#include "duban/v1/performance.pb.h"
#include "duban/v1/report_service.pb.h"
#include "duban/v1/ticket.pb.h"

namespace duban {

struct CountyReportInputs {
  Period period;
  // The moment `overdue` is judged at.
  absl::Time as_of;
  // The directory's units: every department and township has a line; the
  // others give display names.
  std::vector<v1::Unit> units;
  // The tickets of the period (TicketStore::ForEachTicketOf): lead unit,
  // stage, stage due and entry time, card, and for closed ones their
  // escalations are read.
  std::vector<v1::Ticket> tickets;
  // Each unit's record for the period (BuildRecord), by unit name.
  std::map<std::string, v1::AccountabilityRecord> records;
  v1::Scoreboard scoreboard;
};

// Lines for every department and township, and for any other unit that
// leads one of the tickets, has a non-empty record or a score row; ordered
// by unit name.
v1::CountyReport BuildCountyReport(const CountyReportInputs& inputs);

}  // namespace duban

#endif  // DUBAN_DOMAIN_COUNTY_REPORT_H_
