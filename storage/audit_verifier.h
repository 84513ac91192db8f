// The audit verifier: checks that everything the store holds is what was
// written through it, and names the first entry that is not.
//
//   ASSIGN_OR_RETURN(AuditReport report, VerifyAudit(*database, checkpoint));
//   if (!report.ok) ... report.entry, report.problem ...
//
// What it checks, in this order (the first failure is reported):
//  1. The audit log, in cursor order. An append-only record (event, ledger
//     entry, draw) must exist and hash to what its log entry says; an event
//     must be the one its key names and follow its ticket's previous event
//     (prev_event_sha256, consecutive sequence numbers). With a checkpoint,
//     the hash chain at the checkpoint's cursor must equal the checkpoint's
//     — so removing or rewriting log entries it covers is caught.
//  2. With a checkpoint: the log must reach the checkpoint's cursor — so
//     cutting the latest entries (and their records) is caught.
//  3. The latest version of each changeable record (ticket, referral,
//     directory entry, setting) must hash to its latest log entry.
//  4. Every ticket's history head and revision must match the last event
//     of its history; no record may exist that the log never saw.
//
// The chain: H(0) = 32 zero bytes; for each log entry in cursor order,
// H = SHA-256(H | cursor (8 bytes BE) | the entry's stored value).
#ifndef DUBAN_STORAGE_AUDIT_VERIFIER_H_
#define DUBAN_STORAGE_AUDIT_VERIFIER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "storage/database.h"

namespace duban::storage {

// A point of the hash chain: the chain value after the entry at `cursor`.
struct ChainPoint {
  uint64_t cursor = 0;
  // Lowercase hex.
  std::string sha256;
  uint64_t entries = 0;
};

struct AuditReport {
  bool ok = true;
  // The first entry that does not verify, e.g. "tickets/7/events/3", and
  // what is wrong with it.
  std::string entry;
  std::string problem;
  uint64_t log_entries = 0;
  uint64_t tickets = 0;
  uint64_t events = 0;
  // The chain at the end of the log.
  ChainPoint head;
};

// Reads the whole store (at a consistent snapshot). An error only when the
// store cannot be read; tampering is reported in the AuditReport.
absl::StatusOr<AuditReport> VerifyAudit(const Database& database,
                                        const std::optional<ChainPoint>& checkpoint);

// The chain over the log up to its watermark.
absl::StatusOr<ChainPoint> AuditHead(const Database& database);

// The name of the record a log entry points at: "tickets/7/events/3",
// "ledgerEntries/2", "units/nongye", "settings/policy".
std::string AuditedName(AuditKind kind, absl::string_view key);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_AUDIT_VERIFIER_H_
