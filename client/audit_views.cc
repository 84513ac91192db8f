// How the CLI shows audit reports, backups and the server's health.
#include <ostream>

#include "absl/strings/str_cat.h"
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

}  // namespace duban::cli
