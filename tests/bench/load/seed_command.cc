// duban-load seed: a store of --tickets tickets, built in-process through
// the ticket store (county_store.h) in batches of 1,000 — each batch one
// write, as a draw's tickets are — then flushed and (--compact) compacted.
//
// The first --due tickets are created 60 days ago, so their first
// escalation is due long before any other's: a sweep as of that moment
// finds exactly them (scale_command.cc). The rest are created now.
//
// With --this_year N, every ticket gets a whole life instead
// (ticket_lives.h): the store of a county that has run for years, whose
// records and report of this year must not cost the years before.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "tests/bench/load/commands.h"
#include "tests/bench/load/county_store.h"
#include "tests/bench/load/load_flags.h"
#include "tests/bench/load/ticket_lives.h"
#include "tests/bench/load/work_dir.h"

namespace duban::load {
namespace {

constexpr int kBatch = 1000;

}  // namespace

int SeedCommand() {
  const std::string path = absl::GetFlag(FLAGS_data);
  const int64_t tickets = absl::GetFlag(FLAGS_tickets);
  const int64_t this_year = std::min(absl::GetFlag(FLAGS_this_year), tickets);
  const int64_t due = this_year > 0 ? 0 : std::min(absl::GetFlag(FLAGS_due), tickets);
  if (path.empty()) return CommandFailed("seed", absl::InvalidArgumentError("--data is required"));
  const absl::Time started = absl::Now();
  absl::StatusOr<std::unique_ptr<CountyStore>> county = CountyStore::Open(path);
  if (!county.ok()) return CommandFailed("seed", county.status());
  if ((*county)->tickets().last_ticket_id() != 0) {
    return CommandFailed("seed", absl::FailedPreconditionError(path + " already holds tickets"));
  }
  const absl::Time now = absl::Now();
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Asia/Shanghai", &zone)) {
    return CommandFailed("seed", absl::InternalError("no time zone Asia/Shanghai"));
  }
  const absl::Time long_ago = now - absl::Hours(24 * 60);
  absl::Time report = absl::Now();
  for (int64_t first = 0; first < tickets;) {
    // Batches never straddle the due / not-due boundary.
    const int64_t limit = first < due ? due : tickets;
    const int count = static_cast<int>(std::min<int64_t>(kBatch, limit - first));
    absl::Status made =
        this_year > 0
            ? (*county)->CreateLives(static_cast<uint64_t>(first), count,
                                     [&](uint64_t n) {
                                       return PlanLife(n, tickets, this_year, now, zone);
                                     })
            : (*county)->CreateMany(static_cast<uint64_t>(first), count,
                                    first < due ? long_ago : now);
    if (!made.ok()) return CommandFailed("seed", made);
    first += count;
    if (absl::Now() - report > absl::Seconds(10) || first == tickets) {
      report = absl::Now();
      std::cout << absl::StrFormat(
                       "%d tickets, %.0f a second\n", first,
                       static_cast<double>(first) / absl::ToDoubleSeconds(report - started))
                << std::flush;
    }
  }
  rocksdb::DB* db = (*county)->database().db();
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  for (int f = 0; f <= static_cast<int>(storage::Family::kDraws); ++f) {
    families.push_back((*county)->database().family(static_cast<storage::Family>(f)));
  }
  rocksdb::Status flushed = db->Flush(rocksdb::FlushOptions(), families);
  if (!flushed.ok()) return CommandFailed("seed", storage::FromRocks(flushed, "flush"));
  const absl::Duration writing = absl::Now() - started;
  const int64_t flushed_bytes = DirectoryBytes(path);
  if (absl::GetFlag(FLAGS_compact)) {
    for (rocksdb::ColumnFamilyHandle* family : families) {
      rocksdb::CompactRangeOptions options;
      rocksdb::Status compacted = db->CompactRange(options, family, nullptr, nullptr);
      if (!compacted.ok()) return CommandFailed("seed", storage::FromRocks(compacted, "compact"));
    }
  }
  county->reset();
  const int64_t bytes = DirectoryBytes(path);
  std::cout << absl::StrFormat(
      "seeded %d tickets (%d with an escalation due) in %s (%s writing and flushing)\n"
      "DISK %s: %d bytes after flush = %.0f bytes/ticket; %d bytes at rest = %.0f bytes/ticket\n",
      tickets, due, absl::FormatDuration(absl::Now() - started), absl::FormatDuration(writing),
      path, flushed_bytes, static_cast<double>(flushed_bytes) / static_cast<double>(tickets), bytes,
      static_cast<double>(bytes) / static_cast<double>(tickets));
  return 0;
}

}  // namespace duban::load
