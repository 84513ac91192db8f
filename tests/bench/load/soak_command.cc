// duban-load soak: does duband's memory stay within its budget while it
// runs? Drives the mixed workload (workloads.h) in an open loop at --rate
// calls a second for --duration, against a duband it starts itself
// (--duband, with --memory_budget=--budget) or against --server. Every
// --sample_every it asks the server for its stats (AdminService
// .GetServerStats, as --admin_token) and prints a row: calls a second, p99,
// failed calls, resident memory, memtables, block cache, store on disk, and
// the resident memory outside the cache.
// Then the verdict (docs/performance.md, "Memory"):
//   - failed calls: none;
//   - growth after the warm-up (--warmup) of the memory outside the block
//     cache (RSS less the cache's usage: what nothing else bounds): the
//     mean of the last fifth of the samples after it against the mean of
//     the first fifth, at most --max_growth % (a mean, so that memtables
//     filling and flushing between samples is not taken for growth). The
//     RSS's own growth is printed beside it: the cache's part of it only
//     fills toward the cache's capacity, which the budget already holds;
//   - the highest RSS against the server's budget: within it.
// The p99's change over the same fifths, and the store's, are printed as
// information, not judged (docs/performance.md, "The p99 over the hour").
// Exit 0 when all three hold, 1 otherwise or when the soak itself failed.
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/byte_size.h"
#include "duban/v1/admin_service.grpc.pb.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/duband_process.h"
#include "tests/bench/load/load_flags.h"
#include "tests/bench/load/phase_result.h"
#include "tests/bench/load/rpc_driver.h"
#include "tests/bench/load/work_dir.h"
#include "tests/bench/load/workloads.h"

namespace duban::load {
namespace {

// One --sample_every of the soak.
struct Sample {
  absl::Duration end;  // since the soak began
  double rate = 0;
  int64_t p99_us = 0;
  int64_t failed = 0;
  v1::ServerStats stats;
};

double Mebibytes(int64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

// The resident memory outside the block cache.
int64_t Outside(const Sample& sample) {
  return sample.stats.resident_bytes() - sample.stats.block_cache_usage_bytes();
}

// "12:00" for twelve minutes in.
std::string Clock(absl::Duration since_start) {
  const int64_t seconds = absl::ToInt64Seconds(since_start);
  return absl::StrFormat("%d:%02d", seconds / 60, seconds % 60);
}

absl::StatusOr<v1::ServerStats> StatsOf(v1::AdminService::Stub& admin, const std::string& token) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ServerStats stats;
  const grpc::Status status = admin.GetServerStats(&context, v1::GetServerStatsRequest(), &stats);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("GetServerStats: ", status.error_message()));
  }
  return stats;
}

void PrintRow(const Sample& sample) {
  std::cout << absl::StrFormat("%7s %9.1f %8.2f %7d %9.1f %10.1f %10.1f %9.1f %12.1f\n",
                               Clock(sample.end), sample.rate,
                               static_cast<double>(sample.p99_us) / 1000, sample.failed,
                               Mebibytes(sample.stats.resident_bytes()),
                               Mebibytes(sample.stats.memtable_bytes()),
                               Mebibytes(sample.stats.block_cache_usage_bytes()),
                               Mebibytes(sample.stats.store_size_bytes()),
                               Mebibytes(Outside(sample)));
  std::cout.flush();
}

// Prints the verdict on `samples`; whether every part of it holds.
bool PrintVerdict(const std::vector<Sample>& samples, const PhaseResult& all,
                  absl::Duration warmup, double max_growth) {
  bool pass = true;
  const auto Line = [&pass](bool holds, const std::string& text) {
    pass = pass && holds;
    std::cout << absl::StrFormat("  %-4s %s\n", holds ? "ok" : "FAIL", text);
  };
  std::cout << "verdict:\n";
  std::string failures;
  for (const auto& [code, count] : all.errors) {
    absl::StrAppend(&failures, " ", code, "=", count, " (", all.error_samples.at(code), ")");
  }
  Line(all.error_count() == 0,
       absl::StrCat("failed calls: ", all.error_count(), " of ", all.ops + all.error_count(),
                    failures));

  // Samples taken after the warm-up's, their first and last fifths.
  const auto warmed = std::find_if(samples.begin(), samples.end(),
                                   [&](const Sample& s) { return s.end >= warmup; });
  const std::vector<Sample> after(warmed == samples.end() ? samples.end() : warmed + 1,
                                  samples.end());
  if (after.size() < 2 || after.front().stats.resident_bytes() <= 0) {
    Line(false, absl::StrCat("growth after the ", absl::FormatDuration(warmup),
                             " warm-up: not measured (fewer than two samples after it, or no RSS)"));
  } else {
    const size_t fifth = std::max<size_t>(1, after.size() / 5);
    // The mean of `value` over the first or the last fifth.
    const auto Mean = [&](bool last, const std::function<int64_t(const Sample&)>& value) {
      const auto begin = last ? after.end() - fifth : after.begin();
      double sum = 0;
      for (auto it = begin; it != begin + fifth; ++it) sum += static_cast<double>(value(*it));
      return sum / static_cast<double>(fifth);
    };
    const auto MeanMiB = [&](bool last, const std::function<int64_t(const Sample&)>& bytes) {
      return Mean(last, bytes) / (1 << 20);
    };
    const std::string spans = absl::StrFormat(
        "%s–%s → %s–%s", Clock(after.front().end), Clock(after[fifth - 1].end),
        Clock(after[after.size() - fifth].end), Clock(after.back().end));
    const double outside_first = MeanMiB(false, Outside), outside_last = MeanMiB(true, Outside);
    const double growth = 100.0 * (outside_last - outside_first) / outside_first;
    Line(growth <= max_growth,
         absl::StrFormat("growth after the %s warm-up of the memory outside the block cache: "
                         "mean %.1f → %.1f MiB (%s): %+.1f %% (limit %.0f %%)",
                         absl::FormatDuration(warmup), outside_first, outside_last, spans, growth,
                         max_growth));
    const auto Rss = [](const Sample& s) { return s.stats.resident_bytes(); };
    const auto Cache = [](const Sample& s) { return s.stats.block_cache_usage_bytes(); };
    const double rss_first = MeanMiB(false, Rss), rss_last = MeanMiB(true, Rss);
    std::cout << absl::StrFormat(
        "  info RSS after the warm-up: mean %.1f → %.1f MiB (%+.1f %%), of which the block "
        "cache %.1f → %.1f MiB of its %.0f MiB\n",
        rss_first, rss_last, 100.0 * (rss_last - rss_first) / rss_first, MeanMiB(false, Cache),
        MeanMiB(true, Cache), Mebibytes(samples.front().stats.block_cache_capacity_bytes()));
    const auto P99 = [](const Sample& s) { return s.p99_us; };
    const auto Store = [](const Sample& s) { return s.stats.store_size_bytes(); };
    const double p99_first = Mean(false, P99) / 1000, p99_last = Mean(true, P99) / 1000;
    std::cout << absl::StrFormat(
        "  info p99 after the warm-up: mean %.2f → %.2f ms (%+.0f %%), the store %.1f → %.1f MiB "
        "on disk\n",
        p99_first, p99_last, 100.0 * (p99_last - p99_first) / p99_first,
        MeanMiB(false, Store), MeanMiB(true, Store));
  }

  const auto highest = std::max_element(samples.begin(), samples.end(), [](auto& a, auto& b) {
    return a.stats.resident_bytes() < b.stats.resident_bytes();
  });
  const int64_t budget = samples.front().stats.memory_budget_bytes();
  Line(highest->stats.resident_bytes() <= budget,
       absl::StrFormat("highest RSS %.1f MiB (at %s) of the %.0f MiB budget: %.0f %%",
                       Mebibytes(highest->stats.resident_bytes()), Clock(highest->end),
                       Mebibytes(budget),
                       100.0 * static_cast<double>(highest->stats.resident_bytes()) /
                           static_cast<double>(budget)));

  const auto [fastest, slowest] = std::minmax_element(
      samples.begin(), samples.end(), [](auto& a, auto& b) { return a.p99_us < b.p99_us; });
  std::cout << absl::StrFormat("  p99 per sample from %.2f to %.2f ms; %.1f calls/s overall\n",
                               static_cast<double>(fastest->p99_us) / 1000,
                               static_cast<double>(slowest->p99_us) / 1000,
                               static_cast<double>(all.ops + all.error_count()) /
                                   absl::ToDoubleSeconds(samples.back().end));
  std::cout << (pass ? "SOAK PASSED\n" : "SOAK FAILED\n");
  return pass;
}

}  // namespace

int SoakCommand() {
  const double rate = absl::GetFlag(FLAGS_rate);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const absl::Duration every = absl::GetFlag(FLAGS_sample_every);
  if (!(rate > 0) || duration <= absl::ZeroDuration() || every <= absl::ZeroDuration()) {
    return CommandFailed("soak", absl::InvalidArgumentError(
                                     "--rate, --duration and --sample_every must be above 0"));
  }
  std::optional<WorkDir> work;
  std::unique_ptr<DubandProcess> started;
  std::string target = absl::GetFlag(FLAGS_server);
  if (const std::string duband = absl::GetFlag(FLAGS_duband); !duband.empty()) {
    absl::StatusOr<WorkDir> made = WorkDir::Make();
    if (!made.ok()) return CommandFailed("soak", made.status());
    work.emplace(*std::move(made));
    std::vector<std::string> flags = {
        absl::StrCat("--max_threads=", absl::GetFlag(FLAGS_max_threads))};
    if (const ByteSize budget = absl::GetFlag(FLAGS_budget); budget.bytes != 0) {
      flags.push_back(absl::StrCat("--memory_budget=", FormatByteSize(budget)));
    }
    absl::StatusOr<std::unique_ptr<DubandProcess>> server =
        DubandProcess::Start(duband, work->Fresh("soak"), flags);
    if (!server.ok()) return CommandFailed("soak", server.status());
    started = *std::move(server);
    target = started->address();
  }
  auto admin = v1::AdminService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  const std::string admin_token = absl::GetFlag(FLAGS_admin_token);
  absl::StatusOr<v1::ServerStats> before = StatsOf(*admin, admin_token);
  if (!before.ok()) return CommandFailed("soak", before.status());

  const WorkloadOptions options{.token = absl::GetFlag(FLAGS_token),
                                .list_filter = absl::GetFlag(FLAGS_list_filter),
                                .pool = absl::GetFlag(FLAGS_pool),
                                .run_id = absl::StrCat("soak-", absl::ToUnixMicros(absl::Now()))};
  absl::StatusOr<CallSource> calls = MakeWorkload("mixed", target, options);
  if (!calls.ok()) return CommandFailed("soak", calls.status());
  std::cout << absl::StrFormat(
      "soak of %s: mixed workload at %.0f calls/s on a pool of %d tickets for %s, a sample every "
      "%s; budget %.0f MiB, RSS %.1f MiB before\n",
      target, rate, options.pool, absl::FormatDuration(duration), absl::FormatDuration(every),
      Mebibytes(before->memory_budget_bytes()), Mebibytes(before->resident_bytes()));
  std::cout << "   time   calls/s   p99 ms  failed   RSS MiB  memtables  cache MiB  disk MiB"
               "  outside MiB\n";

  std::vector<Sample> samples;
  PhaseResult all;
  absl::Duration done;
  while (done < duration) {
    const absl::Duration window = std::min(every, duration - done);
    PhaseResult phase =
        Drive({.target = target,
               .channels = absl::GetFlag(FLAGS_channels),
               .duration = window,
               .rate = rate},
              *calls, "soak");
    done += window;
    absl::StatusOr<v1::ServerStats> stats = StatsOf(*admin, admin_token);
    if (!stats.ok()) return CommandFailed("soak", stats.status());
    Sample& sample = samples.emplace_back();
    sample.end = done;
    sample.rate = static_cast<double>(phase.ops + phase.error_count()) /
                  absl::ToDoubleSeconds(phase.elapsed);
    sample.p99_us = phase.Quantile(0.99);
    sample.failed = phase.error_count();
    sample.stats = *std::move(stats);
    PrintRow(sample);
    all.Merge(phase);
  }
  const bool pass = PrintVerdict(samples, all, absl::GetFlag(FLAGS_warmup),
                                 absl::GetFlag(FLAGS_max_growth));
  if (started != nullptr) {
    if (absl::Status stopped = started->Stop(); !stopped.ok()) {
      return CommandFailed("soak", stopped);
    }
  }
  return pass ? 0 : 1;
}

}  // namespace duban::load
