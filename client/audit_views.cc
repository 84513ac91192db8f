// How the CLI shows audit reports, backups, the server's health and where
// its memory is.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/output.h"
#include "client/views.h"

namespace duban::cli {

void ShowAuditReport(Session& session, const v1::AuditReport& report) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), report);
  PrintFields(session.out(), session.format(),
              {{"verified", report.ok() ? "yes" : "NO"},
               {"first bad entry", report.entry()},
               {"problem", report.problem()},
               {"log entries", absl::StrCat(report.log_entries())},
               {"tickets", absl::StrCat(report.tickets())},
               {"events", absl::StrCat(report.events())},
               {"head cursor", absl::StrCat(report.head().cursor())},
               {"head sha256", report.head().chain_sha256()}});
}

void ShowBackup(Session& session, const v1::Backup& backup) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), backup);
  PrintFields(session.out(), session.format(),
              {{"directory", backup.directory()},
               {"backup", absl::StrCat(backup.backup_id())},
               {"bytes", absl::StrCat(backup.size_bytes())},
               {"created", FormatTime(backup.create_time(), session.zone())},
               {"audit head cursor", absl::StrCat(backup.audit_head().cursor())},
               {"audit head sha256", backup.audit_head().chain_sha256()}});
}

void ShowServerHealth(Session& session, const v1::ServerHealth& health) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), health);
  Table table({"CHECK", "STATUS", "SINCE", "WHY"});
  for (const v1::HealthCheck& check : health.checks()) {
    table.AddRow({check.service().empty() ? "(server)" : check.service(),
                  check.serving() ? "SERVING" : "NOT_SERVING",
                  FormatTime(check.since(), session.zone()), check.detail()});
  }
  table.Print(session.out(), session.format());
}

namespace {

// "187.3 MiB"; below a MiB, "12 KiB".
std::string Mebibytes(int64_t bytes) {
  if (bytes < (1 << 20)) return absl::StrFormat("%d KiB", (bytes + 512) / 1024);
  return absl::StrFormat("%.1f MiB", static_cast<double>(bytes) / (1 << 20));
}

// "187.3 MiB (73% of 256.0 MiB)".
std::string Against(int64_t bytes, int64_t limit) {
  if (limit <= 0) return Mebibytes(bytes);
  return absl::StrFormat("%s (%d%% of %s)", Mebibytes(bytes), bytes * 100 / limit,
                         Mebibytes(limit));
}

}  // namespace

void ShowServerStats(Session& session, const v1::ServerStats& stats) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), stats);
  PrintFields(session.out(), session.format(),
              {{"memory budget", Mebibytes(stats.memory_budget_bytes())},
               {"resident (RSS)", Against(stats.resident_bytes(), stats.memory_budget_bytes())},
               {"block cache", Against(stats.block_cache_usage_bytes(),
                                       stats.block_cache_capacity_bytes())},
               {"  pinned", Mebibytes(stats.block_cache_pinned_bytes())},
               {"  memtables",
                Against(stats.memtable_bytes(), stats.memtable_limit_bytes())},
               {"table readers", Mebibytes(stats.table_readers_bytes())},
               {"store on disk (SST)", Mebibytes(stats.store_size_bytes())},
               {"sequence", absl::StrCat(stats.sequence())}});
}

}  // namespace duban::cli
