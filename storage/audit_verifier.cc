#include "storage/audit_verifier.h"

#include <map>
#include <set>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/resource_names.h"
#include "domain/ticket_loop.h"
#include "duban/v1/ticket.pb.h"
#include "storage/auth_keys.h"
#include "storage/big_endian.h"
#include "storage/prefix_scan.h"
#include "storage/record.h"

namespace duban::storage {
namespace {

Family FamilyOf(AuditKind kind) {
  switch (kind) {
    case AuditKind::kTicketEvent: return Family::kEvents;
    case AuditKind::kTicket: return Family::kTickets;
    case AuditKind::kReferral: return Family::kReferrals;
    case AuditKind::kLedgerEntry: return Family::kLedger;
    case AuditKind::kDraw: return Family::kDraws;
    case AuditKind::kDirectory: return Family::kDirectory;
    case AuditKind::kSettings: return Family::kSettings;
    case AuditKind::kPassword:
    case AuditKind::kSecurityEvent: return Family::kAuth;
  }
  return Family::kDefault;
}

// The prefix of the keys in a kind's family that are records (the rest are
// indexes and markers).
std::string RecordPrefix(AuditKind kind) {
  switch (kind) {
    case AuditKind::kReferral: return "r";
    case AuditKind::kLedgerEntry: return "e";
    case AuditKind::kPassword: return std::string(1, kPasswordTag);
    case AuditKind::kSecurityEvent: return std::string(1, kSecurityEventTag);
    default: return "";
  }
}

constexpr AuditKind kAllKinds[] = {AuditKind::kTicketEvent, AuditKind::kTicket,
                                   AuditKind::kReferral,    AuditKind::kLedgerEntry,
                                   AuditKind::kDraw,        AuditKind::kDirectory,
                                   AuditKind::kSettings,    AuditKind::kPassword,
                                   AuditKind::kSecurityEvent};

// Walks the store once; the first failure sticks.
class Verifier {
 public:
  Verifier(const Database& database, const rocksdb::Snapshot* snapshot)
      : database_(database), snapshot_(snapshot) {}

  absl::Status Run(const std::optional<ChainPoint>& checkpoint, AuditReport& report);

 private:
  void Fail(std::string entry, std::string problem) {
    if (!report_->ok) return;
    report_->ok = false;
    report_->entry = std::move(entry);
    report_->problem = std::move(problem);
  }
  absl::StatusOr<std::optional<std::string>> Read(AuditKind kind, absl::string_view key) const;
  absl::Status CheckLogEntry(const LogEntry& entry);
  absl::Status CheckEvent(const LogEntry& entry, absl::string_view value);
  absl::Status CheckLatestVersions();
  absl::Status CheckTickets();
  absl::Status CheckNothingUnlogged();

  const Database& database_;
  const rocksdb::Snapshot* snapshot_;
  AuditReport* report_ = nullptr;
  // What the log walk learned.
  std::map<std::pair<AuditKind, std::string>, LogEntry> latest_;
  std::set<std::pair<AuditKind, std::string>> seen_;
  std::map<uint64_t, std::pair<int64_t, std::string>> ticket_heads_;  // id → (seq, hex)
};

absl::StatusOr<std::optional<std::string>> Verifier::Read(AuditKind kind,
                                                          absl::string_view key) const {
  rocksdb::ReadOptions options;
  options.snapshot = snapshot_;
  std::string value;
  rocksdb::Status status = database_.db()->Get(options, database_.family(FamilyOf(kind)),
                                               rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "read audited record"));
  return value;
}

absl::Status Verifier::CheckEvent(const LogEntry& entry, absl::string_view value) {
  const std::string name = AuditedName(entry.kind, entry.key);
  const uint64_t ticket_id = ReadBigEndian64(entry.key, 0);
  const auto sequence = static_cast<int64_t>(ReadBigEndian64(entry.key, 8));
  v1::TicketEvent event;
  if (!DecodeRecord(value, event).ok()) {
    Fail(name, "does not parse");
    return absl::OkStatus();
  }
  if (event.sequence() != sequence || event.ticket() != TicketName(ticket_id)) {
    Fail(name, absl::StrCat("holds ", event.ticket(), "/events/", event.sequence(),
                            ": events were moved or reordered"));
    return absl::OkStatus();
  }
  auto& [last_sequence, last_hash] = ticket_heads_[ticket_id];
  if (sequence <= last_sequence) {
    Fail(name, absl::StrCat("comes after event ", last_sequence,
                            " in the log: the log's entries were reordered"));
  } else if (sequence != last_sequence + 1) {
    Fail(name, absl::StrCat("follows event ", last_sequence, " in the log: events ",
                            last_sequence + 1, " to ", sequence - 1, " are missing"));
  } else if (event.prev_event_sha256() != last_hash) {
    Fail(name, "does not chain to the event before it (prev_event_sha256 differs)");
  }
  last_sequence = sequence;
  last_hash = absl::BytesToHexString(entry.sha256);
  ++report_->events;
  return absl::OkStatus();
}

absl::Status Verifier::CheckLogEntry(const LogEntry& entry) {
  seen_.insert({entry.kind, entry.key});
  if (!IsAppendOnly(entry.kind)) {
    latest_[{entry.kind, entry.key}] = entry;
    return absl::OkStatus();
  }
  const std::string name = AuditedName(entry.kind, entry.key);
  ASSIGN_OR_RETURN(std::optional<std::string> value, Read(entry.kind, entry.key));
  if (!value) {
    Fail(name, absl::StrCat("is missing: log entry ", entry.cursor, " recorded it"));
  } else if (Sha256Raw(*value) != entry.sha256) {
    Fail(name, absl::StrCat("was changed after it was written (log entry ", entry.cursor, ")"));
  } else if (entry.kind == AuditKind::kTicketEvent) {
    RETURN_IF_ERROR(CheckEvent(entry, *value));
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckLatestVersions() {
  for (const auto& [key, entry] : latest_) {
    const std::string name = AuditedName(entry.kind, entry.key);
    ASSIGN_OR_RETURN(std::optional<std::string> value, Read(entry.kind, entry.key));
    if (!value) {
      Fail(name, absl::StrCat("was deleted; log entry ", entry.cursor, " wrote it last"));
    } else if (Sha256Raw(*value) != entry.sha256) {
      Fail(name, absl::StrCat("differs from its last write (log entry ", entry.cursor, ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckTickets() {
  PrefixScan scan(database_, Family::kTickets, "", snapshot_);
  for (scan.Seek(); scan.Valid(); scan.Next()) {
    ++report_->tickets;
    const uint64_t id = ReadBigEndian64(scan.key());
    v1::Ticket ticket;
    if (!DecodeRecord(scan.value(), ticket).ok()) {
      Fail(TicketName(id), "does not parse");
      continue;
    }
    const auto head = ticket_heads_.find(id);
    const int64_t last_sequence = head == ticket_heads_.end() ? 0 : head->second.first;
    const std::string last_hash = head == ticket_heads_.end() ? "" : head->second.second;
    if (ticket.history_head_sha256() != last_hash || Revision(ticket) != last_sequence) {
      Fail(TicketName(id),
           absl::StrCat("ends its history at event ", Revision(ticket),
                        " but the log's last event of it is ", last_sequence, ": events were ",
                        Revision(ticket) < last_sequence ? "added behind the server's back"
                                                         : "removed or replaced"));
    }
  }
  return scan.status();
}

absl::Status Verifier::CheckNothingUnlogged() {
  for (AuditKind kind : kAllKinds) {
    PrefixScan scan(database_, FamilyOf(kind), RecordPrefix(kind), snapshot_);
    for (scan.Seek(); scan.Valid(); scan.Next()) {
      if (!seen_.contains({kind, std::string(scan.key())})) {
        Fail(AuditedName(kind, scan.key()), "is not in the audit log: it was added behind the server's back");
      }
    }
    RETURN_IF_ERROR(scan.status());
  }
  return absl::OkStatus();
}

absl::Status Verifier::Run(const std::optional<ChainPoint>& checkpoint, AuditReport& report) {
  report_ = &report;
  std::string chain(32, '\0');
  bool checkpoint_seen = false;
  PrefixScan scan(database_, Family::kLog, "", snapshot_);
  for (scan.Seek(); scan.Valid(); scan.Next()) {
    if (scan.key().size() != 8) {
      Fail("log", "has a malformed key");
      continue;
    }
    const uint64_t cursor = ReadBigEndian64(scan.key());
    chain = Sha256Raw(absl::StrCat(chain, scan.key(), scan.value()));
    ++report.log_entries;
    report.head = {cursor, absl::BytesToHexString(chain), report.log_entries};
    if (checkpoint && cursor == checkpoint->cursor) {
      checkpoint_seen = true;
      if (report.head.sha256 != checkpoint->sha256) {
        Fail(absl::StrCat("log/", cursor),
             "the log up to this checkpoint differs from what was signed: entries were "
             "removed, added or changed");
      }
    }
    absl::StatusOr<LogEntry> entry = DecodeLogEntry(cursor, scan.value());
    if (!entry.ok()) {
      Fail(absl::StrCat("log/", cursor), "is malformed");
      continue;
    }
    RETURN_IF_ERROR(CheckLogEntry(*entry));
  }
  RETURN_IF_ERROR(scan.status());
  // A log that ends before the checkpoint was cut: that is the news, ahead
  // of what the missing entries leave unexplained.
  if (checkpoint && !checkpoint_seen) {
    Fail(absl::StrCat("log/", checkpoint->cursor),
         absl::StrCat("is missing: the checkpoint covers it but the log ",
                      report.log_entries == 0 ? "is empty"
                                              : absl::StrCat("has no entry there (it ends at ",
                                                             report.head.cursor, ")")));
  }
  RETURN_IF_ERROR(CheckLatestVersions());
  RETURN_IF_ERROR(CheckTickets());
  RETURN_IF_ERROR(CheckNothingUnlogged());
  return absl::OkStatus();
}

}  // namespace

std::string AuditedName(AuditKind kind, absl::string_view key) {
  switch (kind) {
    case AuditKind::kTicketEvent:
      if (key.size() != 16) break;
      return absl::StrCat(TicketName(ReadBigEndian64(key, 0)), "/events/",
                          ReadBigEndian64(key, 8));
    case AuditKind::kTicket:
      if (key.size() != 8) break;
      return TicketName(ReadBigEndian64(key));
    case AuditKind::kReferral:
      if (key.size() != 9) break;
      return absl::StrCat("referrals/", ReadBigEndian64(key, 1));
    case AuditKind::kLedgerEntry:
      if (key.size() != 9) break;
      return absl::StrCat("ledgerEntries/", ReadBigEndian64(key, 1));
    case AuditKind::kDraw:
      if (key.size() != 8) break;
      return absl::StrCat("draws/", ~ReadBigEndian64(key));
    case AuditKind::kDirectory:
      if (key.empty()) break;
      return std::string(key.substr(1));
    case AuditKind::kSettings:
      if (key.size() == 13 && key.substr(0, 9) == "calendar/") {
        return absl::StrCat("settings/calendar/", ReadBigEndian64(absl::StrCat(std::string(4, '\0'), key.substr(9))));
      }
      return absl::StrCat("settings/", key);
    case AuditKind::kPassword:
      if (key.empty()) break;
      return absl::StrCat(key.substr(1), "/password");
    case AuditKind::kSecurityEvent:
      if (key.size() != 9) break;
      return SecurityEventName(~ReadBigEndian64(key, 1));
  }
  return absl::StrCat("record ", absl::BytesToHexString(key));
}

absl::StatusOr<AuditReport> VerifyAudit(const Database& database,
                                        const std::optional<ChainPoint>& checkpoint) {
  const rocksdb::Snapshot* snapshot = database.db()->GetSnapshot();
  AuditReport report;
  Verifier verifier(database, snapshot);
  absl::Status status = verifier.Run(checkpoint, report);
  database.db()->ReleaseSnapshot(snapshot);
  RETURN_IF_ERROR(status);
  return report;
}

absl::StatusOr<ChainPoint> AuditHead(const Database& database) {
  const uint64_t watermark = database.log().watermark();
  std::string chain(32, '\0');
  ChainPoint head;
  PrefixScan scan(database, Family::kLog, "");
  for (scan.Seek(); scan.Valid(); scan.Next()) {
    const uint64_t cursor = ReadBigEndian64(scan.key());
    if (cursor > watermark) break;
    chain = Sha256Raw(absl::StrCat(chain, scan.key(), scan.value()));
    head = {cursor, absl::BytesToHexString(chain), head.entries + 1};
  }
  RETURN_IF_ERROR(scan.status());
  return head;
}

}  // namespace duban::storage
