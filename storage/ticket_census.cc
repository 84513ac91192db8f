// TicketStore: the census, counted from the whole-store index.
#include "base/status_macros.h"
#include "storage/prefix_scan.h"
#include "storage/record.h"
#include "storage/ticket_index.h"
#include "storage/ticket_store.h"

namespace duban::storage {

absl::StatusOr<TicketCensus> TicketStore::Census(absl::Time now) const {
  TicketQuery overdue;
  overdue.overdue = true;
  overdue.as_of = now;
  TicketCensus census;
  PrefixScan scan(*database_, Family::kTicketIndex, IndexPrefixFor(TicketQuery{}));
  for (scan.Seek(); scan.Valid(); scan.Next()) {
    v1::Ticket summary;
    RETURN_IF_ERROR(DecodeRecord(scan.value(), summary));
    ++census.by_stage_and_card[{summary.stage(), summary.card()}];
    if (overdue.Matches(summary)) ++census.overdue;
  }
  RETURN_IF_ERROR(scan.status());
  return census;
}

}  // namespace duban::storage
