// duban-load scale: what a large store costs, against a small one built
// the same way (duban-load seed):
//   - disk bytes per ticket of each store;
//   - duband start-up time on each (process start to "listening on");
//   - a ListTickets page on each, latency (concurrency 1) and throughput;
//   - on the large one, a sweep with nothing due and one with the seeded
//     due tickets due (dry run, then — with --fire — the real one);
//   - this year's county report, a unit's record and the scoreboard on
//     each (median of 5 calls): their cost follows the period, not the
//     store (seed them with --this_year for a county with a past);
//   - duband's peak RSS (VmHWM) on each after all that.
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>
#include <functional>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "base/time_convert.h"
#include "duban/v1/accountability_service.grpc.pb.h"
#include "duban/v1/escalation_service.grpc.pb.h"
#include "duban/v1/performance_service.grpc.pb.h"
#include "duban/v1/report_service.grpc.pb.h"
#include "storage/prefix_scan.h"
#include "storage/ticket_index.h"
#include "storage/ticket_store.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/duband_process.h"
#include "tests/bench/load/load_flags.h"
#include "tests/bench/load/work_dir.h"
#include "tests/bench/load/workloads.h"

namespace duban::load {
namespace {

// What a store holds, read before duband opens it.
struct StoreFacts {
  uint64_t tickets = 0;
  int64_t disk_bytes = 0;
  // The first escalation time, and the one `due` entries in.
  absl::Time first_escalation = absl::InfiniteFuture();
  absl::Time due_escalation = absl::InfiniteFuture();
  int64_t due_found = 0;
};

absl::StatusOr<StoreFacts> ReadFacts(const std::string& path, int64_t due) {
  StoreFacts facts;
  facts.disk_bytes = DirectoryBytes(path);
  absl::StatusOr<std::unique_ptr<storage::Database>> database =
      storage::Database::Open({.path = path});
  if (!database.ok()) return database.status();
  absl::StatusOr<std::unique_ptr<storage::TicketStore>> tickets =
      storage::TicketStore::Open(database->get());
  if (!tickets.ok()) return tickets.status();
  facts.tickets = (*tickets)->last_ticket_id();
  storage::PrefixScan scan(**database, storage::Family::kTicketIndex, storage::EscalationPrefix());
  for (scan.Seek(); scan.Valid() && facts.due_found < due; scan.Next()) {
    const absl::Time time = storage::TimeOfDueOrder(storage::IndexKeyDue(scan.key()));
    if (facts.due_found == 0) facts.first_escalation = time;
    facts.due_escalation = time;
    ++facts.due_found;
  }
  return facts;
}

// One Sweep call; its latency and how many firings it returned.
struct Swept {
  absl::Duration latency;
  int firings = 0;
};

// One Sweep call as `escalator` on a connected channel, timed.
absl::StatusOr<Swept> Sweep(const std::string& target, absl::Time as_of, bool dry_run) {
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stub = v1::EscalationService::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer escalator");
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  v1::SweepRequest request;
  *request.mutable_as_of_time() = ToTimestamp(as_of);
  request.set_dry_run(dry_run);
  request.set_limit(10000);
  v1::SweepResponse response;
  const absl::Time start = absl::Now();
  grpc::Status status = stub->Sweep(&context, request, &response);
  if (!status.ok()) return absl::InternalError(absl::StrCat("Sweep: ", status.error_message()));
  return Swept{absl::Now() - start, response.firings_size()};
}

// The median latency of `repeats` dry-run sweeps.
absl::StatusOr<Swept> MedianSweep(const std::string& target, absl::Time as_of, int repeats) {
  std::vector<Swept> runs;
  for (int i = 0; i < repeats; ++i) {
    absl::StatusOr<Swept> swept = Sweep(target, as_of, true);
    if (!swept.ok()) return swept.status();
    runs.push_back(*swept);
  }
  std::sort(runs.begin(), runs.end(),
            [](const Swept& a, const Swept& b) { return a.latency < b.latency; });
  return runs[runs.size() / 2];
}

// The median latency of `repeats` calls of `call` (which makes one call on
// a fresh context and returns its status).
absl::StatusOr<absl::Duration> MedianCall(int repeats,
                                          const std::function<grpc::Status(grpc::ClientContext&)>& call) {
  std::vector<absl::Duration> latencies;
  for (int i = 0; i < repeats; ++i) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer leader");
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
    const absl::Time start = absl::Now();
    grpc::Status status = call(context);
    if (!status.ok()) return absl::InternalError(status.error_message());
    latencies.push_back(absl::Now() - start);
  }
  std::sort(latencies.begin(), latencies.end());
  return latencies[latencies.size() / 2];
}

// This year's county report, units/nongye's record and the scoreboard.
struct PeriodReads {
  absl::Duration report;
  absl::Duration record;
  absl::Duration scoreboard;
  int report_units = 0;
};

absl::StatusOr<PeriodReads> MeasurePeriodReads(const std::string& target) {
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  auto reports = v1::ReportService::NewStub(channel);
  auto accountability = v1::AccountabilityService::NewStub(channel);
  auto performance = v1::PerformanceService::NewStub(channel);
  PeriodReads reads;
  absl::StatusOr<absl::Duration> report = MedianCall(5, [&](grpc::ClientContext& context) {
    v1::CountyReport reply;
    grpc::Status status =
        reports->GetCountyReport(&context, v1::GetCountyReportRequest(), &reply);
    reads.report_units = reply.units_size();
    return status;
  });
  if (!report.ok()) return report.status();
  absl::StatusOr<absl::Duration> record = MedianCall(5, [&](grpc::ClientContext& context) {
    v1::GetUnitRecordRequest request;
    request.set_unit("units/nongye");
    v1::AccountabilityRecord reply;
    return accountability->GetUnitRecord(&context, request, &reply);
  });
  if (!record.ok()) return record.status();
  absl::StatusOr<absl::Duration> scoreboard = MedianCall(5, [&](grpc::ClientContext& context) {
    v1::Scoreboard reply;
    return performance->GetScoreboard(&context, v1::GetScoreboardRequest(), &reply);
  });
  if (!scoreboard.ok()) return scoreboard.status();
  reads.report = *report;
  reads.record = *record;
  reads.scoreboard = *scoreboard;
  return reads;
}

struct StoreRun {
  std::string label;
  StoreFacts facts;
  std::vector<absl::Duration> startups;
  PhaseResult list_latency;
  PhaseResult list_throughput;
  PhaseResult list_all_latency;
  PeriodReads period_reads;
  int64_t peak_rss = 0;
};

absl::Status MeasureStore(const std::string& duband, const std::string& path, bool sweeps,
                          StoreRun& run) {
  const int64_t due = absl::GetFlag(FLAGS_due);
  absl::StatusOr<StoreFacts> facts = ReadFacts(path, due);
  if (!facts.ok()) return facts.status();
  run.facts = *facts;
  std::cout << absl::StrFormat("%s: %s, %d tickets, %d bytes on disk = %.0f bytes/ticket\n",
                               run.label, path, run.facts.tickets, run.facts.disk_bytes,
                               static_cast<double>(run.facts.disk_bytes) /
                                   static_cast<double>(std::max<uint64_t>(run.facts.tickets, 1)));
  const std::vector<std::string> flags = {
      "--escalation=off", absl::StrCat("--max_threads=", absl::GetFlag(FLAGS_max_threads))};
  // Two starts just to time them, then the one that is measured.
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<std::unique_ptr<DubandProcess>> server =
        DubandProcess::Start(duband, path, flags);
    if (!server.ok()) return server.status();
    run.startups.push_back((*server)->startup_time());
    if (absl::Status stopped = (*server)->Stop(); !stopped.ok()) return stopped;
  }
  absl::StatusOr<std::unique_ptr<DubandProcess>> server = DubandProcess::Start(duband, path, flags);
  if (!server.ok()) return server.status();
  run.startups.push_back((*server)->startup_time());
  std::cout << "  start-up:";
  for (absl::Duration startup : run.startups) std::cout << " " << absl::FormatDuration(startup);
  std::cout << absl::StrFormat("  (RSS after start %d MiB)\n", (*server)->RssBytes() >> 20);

  const std::string target = (*server)->address();
  WorkloadOptions workload;
  workload.token = absl::GetFlag(FLAGS_token);
  workload.list_filter = absl::GetFlag(FLAGS_list_filter);
  workload.pool = 0;
  absl::StatusOr<CallSource> list = MakeWorkload("list", target, workload);
  if (!list.ok()) return list.status();
  WorkloadOptions all = workload;
  all.list_filter = "";
  absl::StatusOr<CallSource> list_all = MakeWorkload("list", target, all);
  if (!list_all.ok()) return list_all.status();
  DriveOptions drive{
      .target = target, .channels = 1, .concurrency = 1, .duration = absl::GetFlag(FLAGS_duration)};
  Drive(drive, *list, "warm-up");
  run.list_latency = Drive(drive, *list, absl::StrCat("list ", workload.list_filter, " c1"));
  run.list_all_latency = Drive(drive, *list_all, "list (no filter) c1");
  drive.channels = absl::GetFlag(FLAGS_channels);
  drive.concurrency = absl::GetFlag(FLAGS_concurrency);
  run.list_throughput =
      Drive(drive, *list, absl::StrCat("list ", workload.list_filter, " c", drive.concurrency));
  for (PhaseResult* result : {&run.list_latency, &run.list_all_latency, &run.list_throughput}) {
    std::cout << "  " << Describe(*result) << std::endl;
    if (result->error_count() > 0 || result->ops == 0) {
      return absl::InternalError("a list phase failed");
    }
  }

  absl::StatusOr<PeriodReads> reads = MeasurePeriodReads(target);
  if (!reads.ok()) return reads.status();
  run.period_reads = *reads;
  std::cout << absl::StrFormat(
      "  this year's county report %s (%d units), units/nongye's record %s, scoreboard %s "
      "(median of 5)\n",
      absl::FormatDuration(reads->report), reads->report_units,
      absl::FormatDuration(reads->record), absl::FormatDuration(reads->scoreboard));

  if (sweeps && run.facts.due_found > 0) {
    absl::StatusOr<Swept> nothing =
        MedianSweep(target, run.facts.first_escalation - absl::Seconds(1), 21);
    if (!nothing.ok()) return nothing.status();
    std::cout << absl::StrFormat(
        "SWEEP nothing due (median of 21): %s, %d firings (target <= 1 ms: %s)\n",
        absl::FormatDuration(nothing->latency), nothing->firings,
        nothing->latency <= absl::Milliseconds(1) ? "met" : "MISSED");
    absl::StatusOr<Swept> dry = MedianSweep(target, run.facts.due_escalation, 3);
    if (!dry.ok()) return dry.status();
    std::cout << absl::StrFormat(
        "SWEEP %d due, dry run (median of 3): %s, %d firings (target <= 0.5 s: %s)\n",
        run.facts.due_found, absl::FormatDuration(dry->latency), dry->firings,
        dry->latency <= absl::Milliseconds(500) ? "met" : "MISSED");
    if (absl::GetFlag(FLAGS_fire)) {
      absl::StatusOr<Swept> fired = Sweep(target, run.facts.due_escalation, false);
      if (!fired.ok()) return fired.status();
      std::cout << absl::StrFormat(
          "SWEEP %d due, firing (once; the store changes): %s, %d firings (target <= 0.5 s: "
          "%s)\n",
          run.facts.due_found, absl::FormatDuration(fired->latency), fired->firings,
          fired->latency <= absl::Milliseconds(500) ? "met" : "MISSED");
    }
  }
  run.peak_rss = (*server)->PeakRssBytes();
  std::cout << absl::StrFormat("  peak RSS (VmHWM) %d MiB\n", run.peak_rss >> 20);
  return (*server)->Stop();
}

}  // namespace

int ScaleCommand() {
  const std::string duband = absl::GetFlag(FLAGS_duband);
  const std::string big = absl::GetFlag(FLAGS_data);
  const std::string small = absl::GetFlag(FLAGS_small_data);
  if (duband.empty() || big.empty() || small.empty()) {
    return CommandFailed("scale", absl::InvalidArgumentError("--duband, --data and --small_data are required"));
  }
  StoreRun small_run;
  small_run.label = "small store";
  StoreRun big_run;
  big_run.label = "large store";
  if (absl::Status s = MeasureStore(duband, small, false, small_run); !s.ok()) return CommandFailed("scale", s);
  if (absl::Status s = MeasureStore(duband, big, true, big_run); !s.ok()) return CommandFailed("scale", s);

  const double latency_ratio = static_cast<double>(big_run.list_latency.Quantile(0.5)) /
                               static_cast<double>(small_run.list_latency.Quantile(0.5));
  const double all_ratio = static_cast<double>(big_run.list_all_latency.Quantile(0.5)) /
                           static_cast<double>(small_run.list_all_latency.Quantile(0.5));
  const double cost_ratio = small_run.list_throughput.Rate() / big_run.list_throughput.Rate();
  auto verdict = [](bool met) { return met ? "met" : "MISSED"; };
  std::cout << absl::StrFormat(
      "RATIO list page p50 latency, %d vs %d tickets, filter %s = %.2f (target <= 1.5: %s)\n",
      big_run.facts.tickets, small_run.facts.tickets, absl::GetFlag(FLAGS_list_filter),
      latency_ratio, verdict(latency_ratio <= 1.5));
  std::cout << absl::StrFormat(
      "RATIO list page p50 latency, no filter = %.2f (target <= 1.5: %s)\n", all_ratio,
      verdict(all_ratio <= 1.5));
  std::cout << absl::StrFormat(
      "RATIO list page cost (inverse throughput, concurrency %d) = %.2f (target <= 1.5: %s)\n",
      absl::GetFlag(FLAGS_concurrency), cost_ratio, verdict(cost_ratio <= 1.5));
  const PeriodReads& big_reads = big_run.period_reads;
  const PeriodReads& small_reads = small_run.period_reads;
  const auto ratio = [](absl::Duration big, absl::Duration small) {
    return absl::FDivDuration(big, small);
  };
  std::cout << absl::StrFormat(
      "REPORT this year's county report at %d tickets: %s, %.2f × at %d (target <= 1 s: %s)\n",
      big_run.facts.tickets, absl::FormatDuration(big_reads.report),
      ratio(big_reads.report, small_reads.report), small_run.facts.tickets,
      verdict(big_reads.report <= absl::Seconds(1)));
  std::cout << absl::StrFormat(
      "RECORD units/nongye's record at %d tickets: %s, %.2f × at %d (target <= 100 ms: %s)\n",
      big_run.facts.tickets, absl::FormatDuration(big_reads.record),
      ratio(big_reads.record, small_reads.record), small_run.facts.tickets,
      verdict(big_reads.record <= absl::Milliseconds(100)));
  std::cout << absl::StrFormat(
      "SCOREBOARD at %d tickets: %s, %.2f × at %d (target <= 100 ms: %s)\n",
      big_run.facts.tickets, absl::FormatDuration(big_reads.scoreboard),
      ratio(big_reads.scoreboard, small_reads.scoreboard), small_run.facts.tickets,
      verdict(big_reads.scoreboard <= absl::Milliseconds(100)));
  const absl::Duration slowest_start =
      *std::max_element(big_run.startups.begin(), big_run.startups.end());
  std::cout << absl::StrFormat("STARTUP at %d tickets: slowest of 3 %s (target <= 2 s: %s)\n",
                               big_run.facts.tickets, absl::FormatDuration(slowest_start),
                               verdict(slowest_start <= absl::Seconds(2)));
  std::cout << absl::StrFormat("RSS at %d tickets: VmHWM %.0f MiB (target <= 1024 MiB: %s)\n",
                               big_run.facts.tickets,
                               static_cast<double>(big_run.peak_rss) / (1 << 20),
                               verdict(big_run.peak_rss <= (int64_t{1} << 30)));
  const double per_ticket = static_cast<double>(big_run.facts.disk_bytes) /
                            static_cast<double>(std::max<uint64_t>(big_run.facts.tickets, 1));
  std::cout << absl::StrFormat("DISK at %d tickets: %.0f bytes/ticket (target <= 500: %s)\n",
                               big_run.facts.tickets, per_ticket, verdict(per_ticket <= 500));
  return 0;
}

}  // namespace duban::load
