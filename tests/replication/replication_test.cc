// Replication between real duband processes (docs/replication.md): a
// replica copies its primary, follows it and serves reads; it refuses
// writes naming the primary; it resumes where it stopped, fetches a new
// snapshot when the log it needs is gone, refuses another county's
// primary; promotion fences the former primary; a semi-synchronous primary
// whose replica is missing answers after the timeout and says it is
// degraded.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "duban/v1/audit_service.grpc.pb.h"
#include "duban/v1/directory_service.grpc.pb.h"
#include "duban/v1/event_service.grpc.pb.h"
#include "duban/v1/replication_service.grpc.pb.h"
#include "duban/v1/ticket_service.grpc.pb.h"
#include "absl/strings/numbers.h"
#include "tests/support/http_get.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_server.h"

namespace duban::testing {
namespace {

using ::testing::HasSubstr;

class ReplicationTest : public ::testing::Test {
 protected:
  std::string Dir(const std::string& name) { return scratch_.path() + "/" + name; }

  static std::unique_ptr<DubandProcess> Start(const std::string& data,
                                              std::vector<std::string> flags = {}) {
    flags.insert(flags.begin(), {"--dev", "--http_listen", "off"});
    return std::make_unique<DubandProcess>(DUBAND_PATH, data, flags);
  }
  std::unique_ptr<DubandProcess> StartReplica(const std::string& data, const DubandProcess& primary,
                                              std::vector<std::string> flags = {}) {
    flags.insert(flags.begin(), {"--replica_of", primary.address()});
    return Start(data, flags);
  }

  static std::shared_ptr<grpc::Channel> Channel(const DubandProcess& server) {
    return grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  }

  // The replication status of `server`, once it has written `wait_for`.
  static v1::ReplicationStatus Status(const DubandProcess& server, int64_t wait_for = 0) {
    grpc::ClientContext context;
    Authorize(context, "admin");
    context.set_wait_for_ready(true);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::GetReplicationStatusRequest request;
    request.set_wait_for_sequence(wait_for);
    v1::ReplicationStatus status;
    grpc::Status answered = v1::ReplicationService::NewStub(Channel(server))
                                ->GetReplicationStatus(&context, request, &status);
    EXPECT_TRUE(answered.ok()) << answered.error_message();
    return status;
  }

  // Waits until `replica` has written everything `primary` has.
  static void CatchUp(const DubandProcess& replica, const DubandProcess& primary) {
    const int64_t sequence = Status(primary).sequence();
    EXPECT_GE(Status(replica, sequence).sequence(), sequence);
  }

  static grpc::Status Deploy(const DubandProcess& server, const std::string& title,
                             v1::Ticket* ticket) {
    grpc::ClientContext context;
    Authorize(context, "leader");
    v1::CreateTicketRequest request;
    request.mutable_ticket()->set_kind(v1::TICKET_KIND_TASK);
    request.mutable_ticket()->set_title(title);
    request.mutable_ticket()->set_lead_unit("units/nongye");
    request.mutable_due_in()->set_working_days(5);
    return v1::TicketService::NewStub(Channel(server))->CreateTicket(&context, request, ticket);
  }

  static v1::Ticket DeployOk(const DubandProcess& server, const std::string& title) {
    v1::Ticket ticket;
    grpc::Status status = Deploy(server, title, &ticket);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return ticket;
  }

  static grpc::Status GetTicket(const DubandProcess& server, const std::string& name,
                                v1::Ticket* ticket) {
    grpc::ClientContext context;
    Authorize(context, "leader");
    v1::GetTicketRequest request;
    request.set_name(name);
    return v1::TicketService::NewStub(Channel(server))->GetTicket(&context, request, ticket);
  }

  // PromoteReplica as ADMIN on `server`; its answer in `status`.
  static grpc::Status Promote(const DubandProcess& server, v1::ReplicationStatus* status) {
    grpc::ClientContext context;
    Authorize(context, "admin");
    return v1::ReplicationService::NewStub(Channel(server))
        ->PromoteReplica(&context, v1::PromoteReplicaRequest(), status);
  }

  static v1::AuditReport Verify(const DubandProcess& server) {
    grpc::ClientContext context;
    Authorize(context, "admin");
    v1::AuditReport report;
    grpc::Status status = v1::AuditService::NewStub(Channel(server))
                              ->VerifyAudit(&context, v1::VerifyAuditRequest(), &report);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return report;
  }

  ScratchDir scratch_;
};

TEST_F(ReplicationTest, ReplicaCopiesFollowsAndServesReadsButNoWrites) {
  std::unique_ptr<DubandProcess> primary = Start(Dir("primary"));
  const v1::Ticket before = DeployOk(*primary, "快照之前");
  std::unique_ptr<DubandProcess> replica = StartReplica(Dir("replica"), *primary);
  EXPECT_THAT(replica->log(), HasSubstr("installed a snapshot"));

  // A live event stream on the replica sees what the primary writes.
  grpc::ClientContext watch_context;
  Authorize(watch_context, "leader");
  v1::WatchEventsRequest watch_request;
  watch_request.set_from_now(true);
  auto events = v1::EventService::NewStub(Channel(*replica))
                    ->WatchEvents(&watch_context, watch_request);
  v1::StreamEvent start;
  ASSERT_TRUE(events->Read(&start));

  const v1::Ticket after = DeployOk(*primary, "快照之后");
  // A directory change reaches the replica's in-memory directory.
  {
    grpc::ClientContext context;
    Authorize(context, "admin");
    v1::CreateUnitRequest request;
    request.set_unit_id("xinzhen");
    request.mutable_unit()->set_display_name("新镇");
    request.mutable_unit()->set_kind(v1::UNIT_KIND_TOWNSHIP);
    request.mutable_unit()->set_tier(v1::TIER_NEAR);
    v1::Unit unit;
    grpc::Status created =
        v1::DirectoryService::NewStub(Channel(*primary))->CreateUnit(&context, request, &unit);
    ASSERT_TRUE(created.ok()) << created.error_message();
  }
  v1::StreamEvent event;
  ASSERT_TRUE(events->Read(&event));
  EXPECT_EQ(event.event().ticket(), after.name());
  watch_context.TryCancel();
  CatchUp(*replica, *primary);

  for (const v1::Ticket& written : {before, after}) {
    v1::Ticket read;
    ASSERT_TRUE(GetTicket(*replica, written.name(), &read).ok());
    EXPECT_EQ(read.title(), written.title());
  }
  {
    grpc::ClientContext context;
    Authorize(context, "leader");
    v1::GetUnitRequest request;
    request.set_name("units/xinzhen");
    v1::Unit unit;
    grpc::Status read =
        v1::DirectoryService::NewStub(Channel(*replica))->GetUnit(&context, request, &unit);
    ASSERT_TRUE(read.ok()) << read.error_message();
    EXPECT_EQ(unit.display_name(), "新镇");
  }

  // Writes are refused, naming the primary; nothing changes.
  const int64_t sequence = Status(*replica).sequence();
  v1::Ticket refused;
  grpc::Status status = Deploy(*replica, "副本上的写", &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr(primary->address()));
  EXPECT_EQ(ErrorReason(status), "READ_ONLY_REPLICA");
  EXPECT_EQ(Status(*replica).sequence(), sequence);

  // The same history, hash for hash.
  const v1::AuditReport on_primary = Verify(*primary);
  const v1::AuditReport on_replica = Verify(*replica);
  EXPECT_TRUE(on_primary.ok());
  EXPECT_TRUE(on_replica.ok()) << on_replica.problem();
  EXPECT_EQ(on_replica.head().cursor(), on_primary.head().cursor());
  EXPECT_EQ(on_replica.head().chain_sha256(), on_primary.head().chain_sha256());

  const v1::ReplicationStatus primary_status = Status(*primary);
  EXPECT_EQ(primary_status.role(), v1::REPLICATION_ROLE_PRIMARY);
  ASSERT_EQ(primary_status.replicas_size(), 1);
  EXPECT_EQ(primary_status.replicas(0).principal(), "principals/replica");
  EXPECT_EQ(primary_status.replicas(0).applied_sequence(), primary_status.sequence());
  const v1::ReplicationStatus replica_status = Status(*replica);
  EXPECT_EQ(replica_status.role(), v1::REPLICATION_ROLE_REPLICA);
  EXPECT_EQ(replica_status.store_id(), primary_status.store_id());
  EXPECT_EQ(replica_status.primary(), primary->address());
  EXPECT_TRUE(replica_status.connected());
}

// The port of the server's Prometheus endpoint, from its log.
int MetricsPort(const DubandProcess& server) {
  const std::string& log = server.log();
  const size_t at = log.find("metrics on http://127.0.0.1:");
  if (at == std::string::npos) return 0;
  int port = 0;
  absl::SimpleAtoi(log.substr(at + 28, log.find('/', at + 28) - at - 28), &port);
  return port;
}

TEST_F(ReplicationTest, MetricsSayWhereEachServerStands) {
  std::unique_ptr<DubandProcess> primary =
      Start(Dir("primary"), {"--metrics_listen", "127.0.0.1:0"});
  std::unique_ptr<DubandProcess> replica =
      StartReplica(Dir("replica"), *primary, {"--metrics_listen", "127.0.0.1:0"});
  ASSERT_TRUE(primary->WaitForLog("metrics on "));
  ASSERT_TRUE(replica->WaitForLog("metrics on "));
  ASSERT_TRUE(replica->WaitForLog("following "));
  CatchUp(*replica, *primary);
  absl::StatusOr<std::string> on_primary = HttpGet(MetricsPort(*primary), "/metrics");
  absl::StatusOr<std::string> on_replica = HttpGet(MetricsPort(*replica), "/metrics");
  ASSERT_TRUE(on_primary.ok()) << on_primary.status();
  ASSERT_TRUE(on_replica.ok()) << on_replica.status();
  EXPECT_THAT(*on_primary, HasSubstr("duban_replication_role{role=\"primary\"} 1"));
  EXPECT_THAT(*on_primary, HasSubstr("duban_replication_replicas_connected 1"));
  EXPECT_THAT(*on_primary, HasSubstr("duban_replication_degraded 0"));
  EXPECT_THAT(*on_primary, HasSubstr("duban_replication_epoch 1"));
  EXPECT_THAT(*on_replica, HasSubstr("duban_replication_role{role=\"replica\"} 1"));
  EXPECT_THAT(*on_replica, HasSubstr("duban_replication_connected 1"));
  EXPECT_THAT(*on_replica, HasSubstr("duban_replication_snapshots_total 1"));
  const std::string sequence = absl::StrCat("duban_replication_sequence ", Status(*primary).sequence());
  EXPECT_THAT(*on_replica, HasSubstr(sequence));
}

TEST_F(ReplicationTest, BadFieldsAndWrongRolesAreRefusedNamingWhat) {
  std::unique_ptr<DubandProcess> primary = Start(Dir("primary"));
  const int64_t sequence = Status(*primary).sequence();
  auto stub = v1::ReplicationService::NewStub(Channel(*primary));
  {
    grpc::ClientContext context;
    Authorize(context, "admin");
    v1::GetReplicationStatusRequest request;
    request.set_wait_for_sequence(-1);
    v1::ReplicationStatus status;
    const grpc::Status refused = stub->GetReplicationStatus(&context, request, &status);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(BadFields(refused), std::vector<std::string>{"wait_for_sequence"});
  }
  {
    // Another store's id: nothing is fenced.
    grpc::ClientContext context;
    Authorize(context, "replica");
    v1::FenceRequest request;
    request.set_store_id("00000000000000000000000000000000");
    request.set_epoch(9);
    v1::ReplicationStatus status;
    const grpc::Status refused = stub->Fence(&context, request, &status);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(BadFields(refused), std::vector<std::string>{"store_id"});
  }
  for (const char* token : {"leader", "admin"}) {
    grpc::ClientContext context;
    Authorize(context, token);
    v1::FenceRequest request;
    v1::ReplicationStatus status;
    EXPECT_EQ(stub->Fence(&context, request, &status).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  // A replica's principal reads nothing else.
  v1::Ticket ticket;
  grpc::ClientContext context;
  Authorize(context, "replica");
  v1::GetTicketRequest get;
  get.set_name("tickets/1");
  EXPECT_EQ(v1::TicketService::NewStub(Channel(*primary))->GetTicket(&context, get, &ticket)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const v1::ReplicationStatus after = Status(*primary);
  EXPECT_EQ(after.role(), v1::REPLICATION_ROLE_PRIMARY);
  EXPECT_EQ(after.sequence(), sequence);
}

TEST_F(ReplicationTest, RestartedReplicaResumesFromItsSequence) {
  std::unique_ptr<DubandProcess> primary = Start(Dir("primary"));
  std::unique_ptr<DubandProcess> replica = StartReplica(Dir("replica"), *primary);
  DeployOk(*primary, "一");
  CatchUp(*replica, *primary);
  const int64_t stopped_at = Status(*replica).sequence();
  replica->Signal(SIGTERM);
  ASSERT_EQ(replica->Wait(), 0);
  const v1::Ticket missed = DeployOk(*primary, "副本停机时");

  replica = StartReplica(Dir("replica"), *primary);
  ASSERT_TRUE(replica->WaitForLog("following "));
  EXPECT_THAT(replica->log(), HasSubstr(absl::StrCat("from sequence ", stopped_at + 1)));
  EXPECT_THAT(replica->log(), ::testing::Not(HasSubstr("fetching a snapshot")));
  CatchUp(*replica, *primary);
  v1::Ticket read;
  EXPECT_TRUE(GetTicket(*replica, missed.name(), &read).ok());
  EXPECT_EQ(Status(*primary).snapshots(), 1);
}

TEST_F(ReplicationTest, LogPurgedBehindAStoppedReplicaForcesAFullSync) {
  // No log kept beyond what recovery needs: a restart of the primary
  // flushes its memtables and deletes the log files before them.
  const std::vector<std::string> keep_nothing = {"--wal_ttl", "0s", "--wal_size_limit_mb", "0"};
  std::unique_ptr<DubandProcess> primary = Start(Dir("primary"), keep_nothing);
  std::unique_ptr<DubandProcess> replica = StartReplica(Dir("replica"), *primary);
  CatchUp(*replica, *primary);
  replica->Signal(SIGTERM);
  ASSERT_EQ(replica->Wait(), 0);
  const v1::Ticket missed = DeployOk(*primary, "日志被清理");
  primary->Signal(SIGTERM);
  ASSERT_EQ(primary->Wait(), 0);
  primary = Start(Dir("primary"), keep_nothing);
  DeployOk(*primary, "重启之后");

  replica = StartReplica(Dir("replica"), *primary);
  // It starts on its old store, learns the log is gone, fetches anew.
  ASSERT_TRUE(replica->WaitForLog("installed a snapshot", 1));
  EXPECT_THAT(replica->log(), HasSubstr("no longer on the primary"));
  ASSERT_TRUE(replica->WaitForLog("listening on", 2));
  CatchUp(*replica, *primary);
  v1::Ticket read;
  EXPECT_TRUE(GetTicket(*replica, missed.name(), &read).ok());
  EXPECT_TRUE(Verify(*replica).ok());
}

TEST_F(ReplicationTest, ReplicaRefusesAnotherCountysPrimary) {
  std::unique_ptr<DubandProcess> county_a = Start(Dir("a"));
  std::unique_ptr<DubandProcess> county_b = Start(Dir("b"));
  {
    std::unique_ptr<DubandProcess> replica = StartReplica(Dir("replica"), *county_a);
    CatchUp(*replica, *county_a);
    replica->Signal(SIGTERM);
    ASSERT_EQ(replica->Wait(), 0);
  }
  const std::string before = Status(*county_a).store_id();
  ChildProcess wrong({DUBAND_PATH, "--listen", "127.0.0.1:0", "--data", Dir("replica"), "--dev",
                      "--http_listen", "off", "--replica_of", county_b->address()},
                     {}, ChildProcess::kStderr);
  EXPECT_EQ(wrong.Wait(), 1);
  EXPECT_THAT(wrong.output(), HasSubstr("another county"));
  // Its store is still county A's: it can follow A again.
  std::unique_ptr<DubandProcess> replica = StartReplica(Dir("replica"), *county_a);
  EXPECT_EQ(Status(*replica).store_id(), before);
}

TEST_F(ReplicationTest, PromotionFencesTheFormerPrimary) {
  std::unique_ptr<DubandProcess> primary = Start(Dir("primary"));
  std::unique_ptr<DubandProcess> replica = StartReplica(Dir("replica"), *primary);
  const v1::Ticket first = DeployOk(*primary, "提升之前");
  CatchUp(*replica, *primary);
  v1::ReplicationStatus promised;
  ASSERT_TRUE(Promote(*replica, &promised).ok());
  EXPECT_EQ(promised.epoch(), 2);
  ASSERT_TRUE(replica->WaitForLog("promoted: this server is the primary of epoch 2"));
  ASSERT_TRUE(replica->WaitForLog("the former primary"));
  const v1::Ticket second = DeployOk(*replica, "提升之后");
  EXPECT_NE(second.name(), first.name());  // ids go on from the replicated ones
  EXPECT_EQ(Status(*replica).role(), v1::REPLICATION_ROLE_PRIMARY);

  v1::Ticket refused;
  grpc::Status status = Deploy(*primary, "旧主库", &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(status), "FENCED_PRIMARY");
  EXPECT_EQ(Status(*primary).role(), v1::REPLICATION_ROLE_FENCED);

  // Promoting a primary is refused.
  v1::ReplicationStatus again;
  EXPECT_EQ(Promote(*replica, &again).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ReplicationTest, PrimaryBackAfterAPromotionChecksItsPeersAndTakesNoWrites) {
  std::unique_ptr<DubandProcess> primary = Start(Dir("primary"));
  std::unique_ptr<DubandProcess> replica = StartReplica(Dir("replica"), *primary);
  CatchUp(*replica, *primary);
  primary->Signal(SIGKILL);
  primary->Wait();
  v1::ReplicationStatus promised;
  ASSERT_TRUE(Promote(*replica, &promised).ok());
  ASSERT_TRUE(replica->WaitForLog("promoted: this server is the primary of epoch 2"));
  // The former primary comes back, told where its peers are.
  primary = Start(Dir("primary"), {"--fence_with", replica->address()});
  EXPECT_THAT(primary->log(), HasSubstr("fenced: epoch 2"));
  v1::Ticket refused;
  EXPECT_EQ(Deploy(*primary, "复活的旧主库", &refused).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Status(*primary).fenced_by_epoch(), 2);
  // As a replica of the new primary its history diverged (the fence it
  // recorded): it refuses to follow, and says how to start it anew.
  primary->Signal(SIGTERM);
  primary->Wait();
  ChildProcess rejoin({DUBAND_PATH, "--listen", "127.0.0.1:0", "--data", Dir("primary"), "--dev",
                       "--http_listen", "off", "--replica_of", replica->address()},
                      {}, ChildProcess::kStderr);
  EXPECT_EQ(rejoin.Wait(), 1);
  EXPECT_THAT(rejoin.output(), HasSubstr("diverged"));
}

TEST_F(ReplicationTest, SemiSyncPrimaryWithoutItsReplicaAnswersAfterTheTimeoutDegraded) {
  std::unique_ptr<DubandProcess> primary =
      Start(Dir("primary"), {"--sync_replicas", "1", "--sync_timeout", "300ms"});
  const v1::Ticket answered = DeployOk(*primary, "无副本");
  EXPECT_FALSE(answered.name().empty());
  v1::ReplicationStatus status = Status(*primary);
  EXPECT_TRUE(status.degraded());
  EXPECT_EQ(status.sync_timeouts(), 1);
  EXPECT_TRUE(primary->WaitForLog("answering without waiting"));
  // Degraded, the next answer does not wait.
  DeployOk(*primary, "降级后");
  EXPECT_EQ(Status(*primary).sync_timeouts(), 1);

  // A replica catches up: answers wait for it again, and the log says so.
  std::unique_ptr<DubandProcess> replica = StartReplica(Dir("replica"), *primary);
  ASSERT_TRUE(primary->WaitForLog("replicas caught up: answers wait for them again"));
  const v1::Ticket synced = DeployOk(*primary, "同步");
  // Answered only once the replica had it.
  v1::Ticket read;
  EXPECT_TRUE(GetTicket(*replica, synced.name(), &read).ok());
  status = Status(*primary);
  EXPECT_FALSE(status.degraded());
  EXPECT_EQ(status.sync_timeouts(), 1);
}

}  // namespace
}  // namespace duban::testing
