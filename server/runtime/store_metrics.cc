#include "server/runtime/store_metrics.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "domain/calendar_status.h"
#include "server/runtime/metric_family.h"

namespace duban {
namespace {

// STAGE_IMPLEMENT → "implement".
std::string Lowered(const std::string& enum_name, absl::string_view prefix) {
  return absl::AsciiStrToLower(absl::StripPrefix(enum_name, prefix));
}

}  // namespace

storage::TicketCensus StoreMetrics::RecentCensus() const {
  MutexLock lock(&mutex_);
  const absl::Time now = absl::Now();
  if (now - census_time_ >= census_interval_) {
    absl::StatusOr<storage::TicketCensus> census = backend_.tickets->Census(backend_.Now());
    // On a read error the last good count stands, and is retried next time.
    if (census.ok()) census_ = *std::move(census);
    census_time_ = now;
  }
  return census_;
}

std::vector<prometheus::MetricFamily> StoreMetrics::Collect() const {
  const storage::TicketCensus census = RecentCensus();
  prometheus::MetricFamily tickets = GaugeFamily("duban_tickets", "Tickets by stage and card.");
  for (const auto& [stage_and_card, count] : census.by_stage_and_card) {
    AddValue(tickets, static_cast<double>(count),
             {{"stage", Lowered(v1::Stage_Name(stage_and_card.first), "STAGE_")},
              {"card", Lowered(v1::Card_Name(stage_and_card.second), "CARD_")}});
  }
  prometheus::MetricFamily overdue =
      GaugeFamily("duban_tickets_overdue", "Open tickets whose stage deadline has passed.");
  AddValue(overdue, static_cast<double>(census.overdue));
  prometheus::MetricFamily size =
      GaugeFamily("duban_store_size_bytes", "Size of the store's RocksDB table files.");
  AddValue(size, static_cast<double>(
                     backend_.database->SummedProperty("rocksdb.total-sst-files-size")));
  prometheus::MetricFamily pending = GaugeFamily(
      "duban_store_pending_compaction_bytes", "RocksDB's estimate of bytes left to compact.");
  AddValue(pending, static_cast<double>(backend_.database->SummedProperty(
                        "rocksdb.estimate-pending-compaction-bytes")));
  prometheus::MetricFamily calendar =
      GaugeFamily("duban_calendar_covered_until_year",
            "The last year of the unbroken run of calendar years loaded from the current one; "
            "0 when the current year is missing.");
  const v1::CalendarStatus status =
      CalendarStatusOf(backend_.settings->calendar_data(), {}, backend_.Now(),
                       backend_.settings->calendar()->zone());
  AddValue(calendar, status.covered_until_year());
  const storage::WriteGuard& guard = backend_.database->write_guard();
  prometheus::MetricFamily writable =
      GaugeFamily("duban_store_writable",
            "1 while the store accepts writes; 0 after the disk failed one (reads go on).");
  AddValue(writable, guard.writable() ? 1 : 0);
  prometheus::MetricFamily write_errors =
      CounterFamily("duban_store_write_errors_total",
                    "Writes the disk failed, and writes refused after such a failure.");
  AddValue(write_errors, static_cast<double>(guard.errors()));
  return {std::move(tickets),  std::move(overdue),  std::move(size),        std::move(pending),
          std::move(calendar), std::move(writable), std::move(write_errors)};
}

}  // namespace duban
