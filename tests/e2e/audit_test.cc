// The audit service over gRPC: verifying the store, signed checkpoints that
// catch truncation, and backups whose restore leads to the same audit head.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/checkpoint_signature.h"
#include "base/text_file.h"
#include "duban/v1/admin_service.grpc.pb.h"
#include "duban/v1/audit_service.grpc.pb.h"
#include "rocksdb/db.h"
#include "storage/database.h"
#include "storage/ticket_keys.h"
#include "tests/e2e/rpc_client.h"
#include "tests/support/test_certificates.h"

namespace duban::testing {
namespace {

using Audit = v1::AuditService::Stub;
using Admin = v1::AdminService::Stub;

class AuditTest : public ::testing::Test {
 protected:
  AuditTest()
      : key_(MakeEd25519Key(keys_.path(), "audit")),
        server_([this](ServerOptions& options) { options.audit_key_file = key_.private_key; }) {}

  grpc::Status Verify(const std::string& token, const v1::VerifyAuditRequest& request,
                      v1::AuditReport* report) {
    grpc::ClientContext context;
    Authorize(context, token);
    return v1::AuditService::NewStub(server_.channel())->VerifyAudit(&context, request, report);
  }
  v1::AuditReport MustVerify(const v1::VerifyAuditRequest& request = {}) {
    v1::AuditReport report;
    grpc::Status status = Verify("admin", request, &report);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return report;
  }
  v1::Checkpoint MustCheckpoint() {
    grpc::ClientContext context;
    Authorize(context, "admin");
    v1::Checkpoint checkpoint;
    grpc::Status status = v1::AuditService::NewStub(server_.channel())
                              ->CreateCheckpoint(&context, {}, &checkpoint);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return checkpoint;
  }
  // A ticket deployed and signed: four log entries (two events, two
  // versions of the ticket).
  void DeployAndSign() {
    RpcClient client(server_);
    v1::Ticket ticket = client.MustCreate("leader", DeployRequest(server_.clock().Now()));
    ASSERT_TRUE(
        client.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ticket)
            .ok());
  }

  ScratchDir keys_;
  Ed25519Key key_;
  TestServer server_;
};

TEST_F(AuditTest, AFreshlyUsedStoreVerifies) {
  ASSERT_NO_FATAL_FAILURE(DeployAndSign());
  ASSERT_NO_FATAL_FAILURE(DeployAndSign());
  const v1::AuditReport report = MustVerify();
  EXPECT_TRUE(report.ok()) << report.entry() << ": " << report.problem();
  EXPECT_EQ(report.tickets(), 2);
  EXPECT_EQ(report.events(), 4);
  EXPECT_GT(report.log_entries(), 8) << "events, tickets and the demo county's directory";
  EXPECT_EQ(report.head().chain_sha256().size(), 64u);
}

TEST_F(AuditTest, CheckpointsAreSignedAndVerifyWhileTheLogGrows) {
  ASSERT_NO_FATAL_FAILURE(DeployAndSign());
  const v1::Checkpoint checkpoint = MustCheckpoint();
  EXPECT_TRUE(VerifyCheckpointSignature(checkpoint).ok());
  EXPECT_EQ(checkpoint.public_key().size(), 44u) << "32 bytes in base64";
  const v1::AuditReport head = MustVerify();
  EXPECT_EQ(checkpoint.cursor(), head.head().cursor());
  EXPECT_EQ(checkpoint.chain_sha256(), head.head().chain_sha256());

  ASSERT_NO_FATAL_FAILURE(DeployAndSign());
  v1::VerifyAuditRequest request;
  *request.mutable_checkpoint() = checkpoint;
  const v1::AuditReport report = MustVerify(request);
  EXPECT_TRUE(report.ok()) << report.entry() << ": " << report.problem();
  EXPECT_GT(report.head().cursor(), checkpoint.cursor());
}

TEST_F(AuditTest, AlteredOrForeignCheckpointsAreRefused) {
  ASSERT_NO_FATAL_FAILURE(DeployAndSign());
  const v1::Checkpoint checkpoint = MustCheckpoint();
  v1::VerifyAuditRequest altered;
  *altered.mutable_checkpoint() = checkpoint;
  altered.mutable_checkpoint()->set_cursor(checkpoint.cursor() - 1);
  v1::AuditReport report;
  grpc::Status status = Verify("admin", altered, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ::testing::ElementsAre("checkpoint.signature"));

  // Signed, correctly, by a key that is not the server's.
  absl::StatusOr<std::string> pem = ReadTextFile(MakeEd25519Key(keys_.path(), "other").private_key);
  ASSERT_TRUE(pem.ok()) << pem.status();
  auto other_signer = CheckpointSigner::FromPem(*pem);
  ASSERT_TRUE(other_signer.ok()) << other_signer.status();
  v1::VerifyAuditRequest foreign;
  *foreign.mutable_checkpoint() = checkpoint;
  ASSERT_TRUE((*other_signer)->Sign(*foreign.mutable_checkpoint()).ok());
  status = Verify("admin", foreign, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ::testing::ElementsAre("checkpoint.public_key"));
}

TEST_F(AuditTest, ACheckpointCatchesTheRemovalOfTheLatestEntries) {
  ASSERT_NO_FATAL_FAILURE(DeployAndSign());
  const v1::Checkpoint checkpoint = MustCheckpoint();
  server_.Stop();
  {
    // Cut the tail of the log, and the event and ticket version it
    // recorded last, as someone with the files might.
    absl::StatusOr<std::unique_ptr<storage::Database>> database =
        storage::Database::Open({.path = server_.data_dir()});
    ASSERT_TRUE(database.ok()) << database.status();
    rocksdb::WriteBatch cut;
    rocksdb::ColumnFamilyHandle* log = (*database)->family(storage::Family::kLog);
    cut.Delete(log, storage::TicketKey(static_cast<uint64_t>(checkpoint.cursor())));
    cut.Delete(log, storage::TicketKey(static_cast<uint64_t>(checkpoint.cursor() - 1)));
    ASSERT_TRUE((*database)->db()->Write(rocksdb::WriteOptions(), &cut).ok());
  }
  server_.Restart();
  v1::VerifyAuditRequest request;
  *request.mutable_checkpoint() = checkpoint;
  const v1::AuditReport report = MustVerify(request);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.entry(), absl::StrCat("log/", checkpoint.cursor()));
}

TEST_F(AuditTest, WithoutAKeyThereAreNoCheckpoints) {
  TestServer keyless;
  grpc::ClientContext context;
  Authorize(context, "admin");
  v1::Checkpoint checkpoint;
  grpc::Status status =
      v1::AuditService::NewStub(keyless.channel())->CreateCheckpoint(&context, {}, &checkpoint);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(status), "NO_AUDIT_KEY");
}

TEST_F(AuditTest, OnlyAuditReadersVerifyAndOnlyAdminsCheckpoint) {
  v1::AuditReport report;
  EXPECT_TRUE(Verify("discipline", {}, &report).ok());
  EXPECT_EQ(Verify("nongye", {}, &report).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext context;
  Authorize(context, "leader");
  v1::Checkpoint checkpoint;
  EXPECT_EQ(v1::AuditService::NewStub(server_.channel())
                ->CreateCheckpoint(&context, {}, &checkpoint)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuditTest, ABackupRestoresToTheSameAuditHead) {
  ASSERT_NO_FATAL_FAILURE(DeployAndSign());
  ASSERT_NO_FATAL_FAILURE(DeployAndSign());
  const std::string backups = keys_.path() + "/backups";
  v1::CreateBackupRequest request;
  request.set_directory(backups);
  v1::Backup backup;
  {
    grpc::ClientContext context;
    Authorize(context, "admin");
    grpc::Status status =
        v1::AdminService::NewStub(server_.channel())->CreateBackup(&context, request, &backup);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(backup.backup_id(), 1);
  EXPECT_GT(backup.size_bytes(), 0);
  EXPECT_EQ(backup.audit_head().chain_sha256(), MustVerify().head().chain_sha256());
  ASSERT_NO_FATAL_FAILURE(DeployAndSign());  // after the backup: not in it

  const std::string restored_dir = keys_.path() + "/restored";
  TestServer restored([&](ServerOptions& options) {
    options.data_dir = restored_dir;
    options.restore_from = backups;
  });
  grpc::ClientContext context;
  Authorize(context, "admin");
  v1::AuditReport report;
  ASSERT_TRUE(v1::AuditService::NewStub(restored.channel())
                  ->VerifyAudit(&context, {}, &report)
                  .ok());
  EXPECT_TRUE(report.ok()) << report.entry() << ": " << report.problem();
  EXPECT_EQ(report.head().cursor(), backup.audit_head().cursor());
  EXPECT_EQ(report.head().chain_sha256(), backup.audit_head().chain_sha256());
  EXPECT_EQ(report.tickets(), 2);

  // A restore cut short (its staging directory left inside --data): a
  // start without --restore_from refuses and says how to retry; the retry
  // serves the backup.
  const std::string cut_short = keys_.path() + "/cut-short";
  std::filesystem::create_directories(cut_short + "/.restoring");
  std::ofstream(cut_short + "/.restoring/000009.sst") << "half a table";
  ServerOptions plain;
  plain.listen = "127.0.0.1:0";
  plain.data_dir = cut_short;
  absl::StatusOr<std::unique_ptr<DubanServer>> refused = DubanServer::Start(plain);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("--restore_from"));
  refused = absl::UnknownError("closed");
  TestServer retried([&](ServerOptions& options) {
    options.data_dir = cut_short;
    options.restore_from = backups;
  });
  grpc::ClientContext again;
  Authorize(again, "admin");
  ASSERT_TRUE(v1::AuditService::NewStub(retried.channel())->VerifyAudit(&again, {}, &report).ok());
  EXPECT_EQ(report.head().chain_sha256(), backup.audit_head().chain_sha256());
}

TEST_F(AuditTest, BackupRefusals) {
  v1::CreateBackupRequest relative;
  relative.set_directory("backups");
  v1::Backup backup;
  grpc::ClientContext context;
  Authorize(context, "admin");
  grpc::Status status =
      v1::AdminService::NewStub(server_.channel())->CreateBackup(&context, relative, &backup);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ::testing::ElementsAre("directory"));

  grpc::ClientContext leader;
  Authorize(leader, "leader");
  relative.set_directory(keys_.path() + "/b");
  EXPECT_EQ(v1::AdminService::NewStub(server_.channel())
                ->CreateBackup(&leader, relative, &backup)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(std::filesystem::exists(keys_.path() + "/b"));

  // A restore never lands on a store that has data.
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = keys_.path();  // not empty
  options.restore_from = keys_.path() + "/b";
  absl::StatusOr<std::unique_ptr<DubanServer>> refused = DubanServer::Start(options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
}

}  // namespace
}  // namespace duban::testing
