// failover_test: the county's primary lost under load, its replica
// promoted. A primary (the demo county) with a replica streaming from it
// takes crash_test's LoopWriters; at a random moment the primary is killed
// with SIGKILL — every other round its data directory is deleted too, as a
// lost disk — and the replica is promoted (duban admin promote). The
// writers re-send the calls the kill cut off (same request ids) to the
// promoted server, a new replica copies it, and the next round runs on.
//
// With --sync_replicas 1 every step acknowledged before a kill must be on
// the promoted replica, event for event; at the end its store, opened
// directly, must be consistent (indexes, log, referrals, ledger, audit
// chain) and hold every acknowledged step, no create applied twice.
// Without semi-sync a kill may take acknowledged steps with it: the async
// test counts them and prints the count (docs/replication.md).
//
// DUBAN_FAILOVER_ROUNDS sets the number of failovers (default 2);
// DUBAN_CRASH_SEED replays a run's random moments (crash_options.h).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "duban/v1/replication_service.grpc.pb.h"
#include "storage/database.h"
#include "storage/ticket_store.h"
#include "tests/crash/crash_options.h"
#include "tests/crash/loop_writer.h"
#include "tests/crash/store_after_crash.h"
#include "tests/crash/writers_over_rpc.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_server.h"

namespace duban::testing {
namespace {

constexpr int kDefaultRounds = 2;
constexpr int kWriters = 16;
constexpr int kMinRunMillis = 300;
constexpr int kMaxRunMillis = 900;
constexpr int kMaxStepsPerRound = 3000;
// Long enough that a healthy replica never makes an answer time out here:
// a timeout would end the semi-synchronous promise (the test checks).
constexpr char kSyncTimeout[] = "20s";

std::unique_ptr<DubandProcess> StartServer(const std::string& data, bool semi_sync,
                                           const std::string& primary) {
  std::vector<std::string> flags = {"--dev", "--http_listen", "off"};
  if (semi_sync) flags.insert(flags.end(), {"--sync_replicas", "1", "--sync_timeout", kSyncTimeout});
  if (!primary.empty()) flags.insert(flags.end(), {"--replica_of", primary});
  return std::make_unique<DubandProcess>(DUBAND_PATH, data, flags);
}

std::shared_ptr<grpc::Channel> ChannelTo(const DubandProcess& server) {
  return grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
}

// The newest sequence `server` has written, once it has written `wait_for`.
int64_t SequenceOf(const DubandProcess& server, int64_t wait_for = 0) {
  grpc::ClientContext context;
  Authorize(context, "admin");
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::GetReplicationStatusRequest request;
  request.set_wait_for_sequence(wait_for);
  v1::ReplicationStatus status;
  grpc::Status answered =
      v1::ReplicationService::NewStub(ChannelTo(server))->GetReplicationStatus(&context, request, &status);
  EXPECT_TRUE(answered.ok()) << answered.error_message();
  return status.sequence();
}

void Promote(DubandProcess& replica) {
  grpc::ClientContext context;
  Authorize(context, "admin");
  v1::ReplicationStatus status;
  grpc::Status promoted = v1::ReplicationService::NewStub(ChannelTo(replica))
                              ->PromoteReplica(&context, v1::PromoteReplicaRequest(), &status);
  ASSERT_TRUE(promoted.ok()) << promoted.error_message();
  ASSERT_TRUE(replica.WaitForLog("promoted: this server is the primary")) << replica.log();
}

void RunFailovers(bool semi_sync) {
  const uint64_t seed = CrashSeed();
  SCOPED_TRACE(SeedNote(seed));
  // The async run stops after one failover: what a lost primary took with
  // it leaves the writers' tickets behind the server's.
  const int rounds = semi_sync ? EnvCount("DUBAN_FAILOVER_ROUNDS", kDefaultRounds) : 1;
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> run_millis(kMinRunMillis, kMaxRunMillis);
  ScratchDir scratch;
  int generation = 0;
  const auto next_dir = [&] { return absl::StrCat(scratch.path(), "/server-", generation++); };

  std::string primary_dir = next_dir();
  std::unique_ptr<DubandProcess> primary = StartServer(primary_dir, semi_sync, "");
  std::string replica_dir = next_dir();
  std::unique_ptr<DubandProcess> replica = StartServer(replica_dir, semi_sync, primary->address());

  std::vector<std::unique_ptr<LoopWriter>> writers;
  for (int i = 0; i < kWriters; ++i) writers.push_back(std::make_unique<LoopWriter>(i, seed));
  std::vector<Ack> all_acks;
  std::vector<Ack> unchecked;  // acknowledged by the primary that was lost last
  int lost = 0;
  for (int round = 0; round <= rounds && !::testing::Test::HasFailure(); ++round) {
    const std::string when = absl::StrCat("after failover ", round);
    std::unique_ptr<v1::TicketService::Stub> stub = v1::TicketService::NewStub(ChannelTo(*primary));
    std::atomic<bool> killed{false};
    StepCount steps;
    if (semi_sync) {
      // The calls a kill cut off, again with their request ids, then every
      // step acknowledged before it must be here.
      RunWriters(writers, *stub, killed, /*retry_only=*/true, steps, [] {});
      Collect(writers, when, unchecked);
      ExpectServerReflects(*stub, unchecked, when);
    } else if (round > 0) {
      lost = CountNotReflected(*stub, unchecked);
    }
    all_acks.insert(all_acks.end(), unchecked.begin(), unchecked.end());
    unchecked.clear();
    if (round == rounds) break;

    RunWriters(writers, *stub, killed, /*retry_only=*/false, steps, [&] {
      steps.WaitFor(kMaxStepsPerRound, std::chrono::milliseconds(run_millis(random)));
      killed = true;
      primary->Signal(SIGKILL);
      EXPECT_EQ(primary->Wait(), 128 + SIGKILL);
    });
    Collect(writers, absl::StrCat("before failover ", round + 1), unchecked);
    if (semi_sync) {
      EXPECT_EQ(primary->log().find("answering without waiting"), std::string::npos)
          << "an answer timed out waiting for the replica: " << primary->log();
    }
    if (round % 2 == 1) std::filesystem::remove_all(primary_dir);  // the disk is gone too
    Promote(*replica);
    if (::testing::Test::HasFailure()) break;
    primary = std::move(replica);
    primary_dir = replica_dir;
    replica_dir = next_dir();
    replica = StartServer(replica_dir, semi_sync, primary->address());
    SequenceOf(*replica, SequenceOf(*primary));
  }
  int resent = 0;
  for (const std::unique_ptr<LoopWriter>& writer : writers) resent += writer->retries_answered();
  if (!semi_sync) {
    std::printf("failover_test (async): %d of %zu steps acknowledged by the lost primary were "
                "not on the promoted replica\n",
                lost, all_acks.size());
    return;
  }
  std::printf("failover_test: %d failovers, %zu acknowledged steps, %d cut-off calls re-sent\n",
              rounds, all_acks.size(), resent);
  replica->Signal(SIGTERM);
  EXPECT_EQ(replica->Wait(), 0);
  primary->Signal(SIGTERM);
  EXPECT_EQ(primary->Wait(), 0);
  absl::StatusOr<std::unique_ptr<storage::Database>> database =
      storage::Database::Open({.path = primary_dir});
  ASSERT_TRUE(database.ok()) << database.status();
  absl::StatusOr<std::unique_ptr<storage::TicketStore>> tickets =
      storage::TicketStore::Open(database->get());
  ASSERT_TRUE(tickets.ok()) << tickets.status();
  ExpectStoreHolds(**database, **tickets, all_acks);
}

TEST(FailoverTest, SemiSyncPromotedReplicaHoldsEveryAcknowledgedStep) { RunFailovers(true); }

TEST(FailoverTest, AsyncFailoverCountsWhatTheLostPrimaryTookWithIt) { RunFailovers(false); }

}  // namespace
}  // namespace duban::testing
