// StoreMetrics: the gauges Prometheus reads from the store at scrape time.
//
//   duban_tickets{stage,card}                   tickets by stage and card
//   duban_tickets_overdue                       open tickets past their stage deadline
//   duban_store_size_bytes                      RocksDB files (SST) on disk
//   duban_store_pending_compaction_bytes        RocksDB's estimate of compaction debt
//   duban_calendar_covered_until_year           the last year the working-day calendar
//                                               covers without a gap from this one
//   duban_store_writable                        0 once the disk failed a write
//   duban_store_write_errors_total              writes failed or refused since (counter)
//
// The ticket counts scan the whole-store index, so they are taken at most
// once per `census_interval` and served from the last count in between;
// the RocksDB figures are read on every scrape. Thread-safe.
#ifndef DUBAN_SERVER_RUNTIME_STORE_METRICS_H_
#define DUBAN_SERVER_RUNTIME_STORE_METRICS_H_

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "absl/time/time.h"
#include "base/mutex.h"
#include "server/runtime/backend.h"
#include "storage/ticket_store.h"

namespace duban {

class StoreMetrics final : public prometheus::Collectable {
 public:
  // `backend` is not owned and must outlive this.
  StoreMetrics(const Backend* backend, absl::Duration census_interval)
      : backend_(*backend), census_interval_(census_interval) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  // The census, counted anew when the last one is older than the interval.
  storage::TicketCensus RecentCensus() const;

  const Backend& backend_;
  const absl::Duration census_interval_;
  mutable Mutex mutex_;
  mutable storage::TicketCensus census_ ABSL_GUARDED_BY(mutex_);
  mutable absl::Time census_time_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_STORE_METRICS_H_
