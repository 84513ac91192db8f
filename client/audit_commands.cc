// duban audit verify|checkpoint, duban admin backup|health
#include <ostream>

#include "absl/strings/str_cat.h"
#include "base/checkpoint_signature.h"
#include "base/text_file.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/output.h"
#include "client/read_file.h"
#include "client/views.h"

namespace duban::cli {
namespace {

constexpr FlagKind kValue = FlagKind::kValue;

// The checkpoint file's signature checked here, before the server sees it:
// against --public-key when given (the key the outsider trusts), else
// against the key the checkpoint names.
absl::Status CheckCheckpointLocally(const v1::Checkpoint& checkpoint, const Args& args) {
  if (args.Has("public-key")) {
    absl::StatusOr<std::string> pem = ReadTextFile(args.Get("public-key"));
    if (!pem.ok()) return pem.status();
    absl::StatusOr<std::string> trusted = Ed25519PublicKeyFromPem(*pem);
    if (!trusted.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--public-key ", args.Get("public-key"), ": ", trusted.status().message()));
    }
    if (*trusted != checkpoint.public_key()) {
      return absl::InvalidArgumentError(
          "the checkpoint was not signed by --public-key: it names another key");
    }
  }
  return VerifyCheckpointSignature(checkpoint);
}

int Verify(Session& session, const Args& args) {
  if (!args.positionals().empty()) {
    return session.Usage(absl::InvalidArgumentError(
        absl::StrCat("unexpected argument ", args.positionals().front())));
  }
  v1::VerifyAuditRequest request;
  if (args.Has("checkpoint")) {
    if (absl::Status read = ReadJsonFile(args.Get("checkpoint"), *request.mutable_checkpoint());
        !read.ok()) {
      return session.Usage(read);
    }
    if (absl::Status checked = CheckCheckpointLocally(request.checkpoint(), args); !checked.ok()) {
      session.err() << "checkpoint " << args.Get("checkpoint") << ": " << checked.message()
                    << "\n";
      return kExitRpcError;
    }
  } else if (args.Has("public-key")) {
    return session.Usage(absl::InvalidArgumentError("--public-key goes with --checkpoint"));
  }
  v1::AuditReport report;
  auto context = session.NewContext();
  grpc::Status status = session.audit().VerifyAudit(context.get(), request, &report);
  if (!status.ok()) return session.Fail(status);
  ShowAuditReport(session, report);
  return report.ok() ? kExitOk : kExitRpcError;
}

int Checkpoint(Session& session, const Args& args) {
  if (!args.positionals().empty()) {
    return session.Usage(absl::InvalidArgumentError(
        absl::StrCat("unexpected argument ", args.positionals().front())));
  }
  v1::Checkpoint checkpoint;
  auto context = session.NewContext();
  grpc::Status status =
      session.audit().CreateCheckpoint(context.get(), v1::CreateCheckpointRequest(), &checkpoint);
  if (!status.ok()) return session.Fail(status);
  // Always JSON: the checkpoint is a file to keep and give back to verify.
  PrintJson(session.out(), checkpoint);
  return kExitOk;
}

int Backup(Session& session, const Args& args) {
  absl::StatusOr<std::string> directory = OnePositional(args, "backup directory");
  if (!directory.ok()) return session.Usage(directory.status());
  v1::CreateBackupRequest request;
  request.set_directory(*directory);
  v1::Backup backup;
  auto context = session.NewContext();
  // A backup copies the store: give it longer than an ordinary call.
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::hours(1));
  grpc::Status status = session.admin().CreateBackup(context.get(), request, &backup);
  if (!status.ok()) return session.Fail(status);
  ShowBackup(session, backup);
  return kExitOk;
}

int Health(Session& session, const Args&) {
  v1::ServerHealth health;
  auto context = session.NewContext();
  grpc::Status status =
      session.admin().GetServerHealth(context.get(), v1::GetServerHealthRequest(), &health);
  if (!status.ok()) return session.Fail(status);
  ShowServerHealth(session, health);
  for (const v1::HealthCheck& check : health.checks()) {
    if (!check.serving()) return kExitRpcError;
  }
  return kExitOk;
}

int Stats(Session& session, const Args&) {
  v1::ServerStats stats;
  auto context = session.NewContext();
  grpc::Status status =
      session.admin().GetServerStats(context.get(), v1::GetServerStatsRequest(), &stats);
  if (!status.ok()) return session.Fail(status);
  ShowServerStats(session, stats);
  return kExitOk;
}

}  // namespace

std::vector<Command> AuditCommands() {
  return {
      {"audit",
       "verify",
       "[--checkpoint FILE [--public-key PEM]]",
       "check the whole store's tamper-evident history and name the first entry that does not "
       "verify; with a checkpoint from `duban audit checkpoint`, also that nothing it covers was "
       "removed or rewritten (exit 1 when something does not verify)",
       {{"checkpoint", kValue}, {"public-key", kValue}},
       Verify},
      {"audit",
       "checkpoint",
       "",
       "print a signed checkpoint of the audit chain as JSON: keep it outside the server "
       "(ADMIN)",
       {},
       Checkpoint},
      {"admin",
       "backup",
       "DIR",
       "back the live store up into DIR on the server's machine (incremental, checksummed, "
       "verified); restore with duband --restore-from DIR (ADMIN)",
       {},
       Backup},
      {"admin",
       "health",
       "",
       "the server's health checks — serving calls, accepting writes, the calendar covering "
       "this year (and next, from November) — with why one is not serving (ADMIN; exit 1 "
       "when one is not)",
       {},
       Health},
      {"admin",
       "stats",
       "",
       "where the server's memory is against its budget (--memory_budget): resident memory, "
       "the block cache and what is pinned in it, memtables, table readers; and the store's "
       "size on disk (ADMIN)",
       {},
       Stats},
  };
}

}  // namespace duban::cli
