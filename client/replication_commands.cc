// duban admin replication|promote
#include <chrono>

#include "absl/strings/numbers.h"
#include "client/commands.h"
#include "client/views.h"

namespace duban::cli {
namespace {

int Status(Session& session, const Args& args) {
  v1::GetReplicationStatusRequest request;
  if (args.Has("wait-for-sequence")) {
    int64_t sequence = 0;
    if (!absl::SimpleAtoi(args.Get("wait-for-sequence"), &sequence) || sequence < 0) {
      return session.Usage(
          absl::InvalidArgumentError("--wait-for-sequence must be a sequence number"));
    }
    request.set_wait_for_sequence(sequence);
  }
  v1::ReplicationStatus status;
  auto context = session.NewContext();
  if (request.wait_for_sequence() > 0) {
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(1));
  }
  grpc::Status answered =
      session.replication().GetReplicationStatus(context.get(), request, &status);
  if (!answered.ok()) return session.Fail(answered);
  ShowReplicationStatus(session, status);
  return kExitOk;
}

int Promote(Session& session, const Args&) {
  v1::ReplicationStatus status;
  auto context = session.NewContext();
  grpc::Status answered = session.replication().PromoteReplica(
      context.get(), v1::PromoteReplicaRequest(), &status);
  if (!answered.ok()) return session.Fail(answered);
  ShowReplicationStatus(session, status);
  return kExitOk;
}

}  // namespace

std::vector<Command> ReplicationCommands() {
  return {
      {"admin",
       "replication",
       "[--wait-for-sequence N]",
       "this server's part in replication: role, epoch, sequence, lag behind the primary, the "
       "replicas streaming from it; with --wait-for-sequence, once it has written sequence N "
       "(ADMIN)",
       {{"wait-for-sequence", FlagKind::kValue}},
       Status},
      {"admin",
       "promote",
       "",
       "make this replica the primary: it stops following, begins the next epoch and takes "
       "writes; the primary it followed is fenced (ADMIN; docs/replication.md)",
       {},
       Promote},
  };
}

}  // namespace duban::cli
