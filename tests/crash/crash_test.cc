// crash_test: kill -9 under load. A real duband (the demo county, its clock
// running thirty days a second so the escalation ladder climbs during the run)
// takes 32 LoopWriters at once on a scratch data directory. At a random
// moment it is killed with SIGKILL and restarted on the same data; the
// writers re-send the calls the kill cut off (same request ids) and go on.
// After each restart every step acknowledged before the kill must be there,
// event for event. At the end the store is opened directly and must be
// consistent (indexes, log, referrals, ledger, audit chain), every
// acknowledged step must be in it, no create may have been applied twice,
// and no ladder level may have fired twice in one stage cycle.
//
// DUBAN_CRASH_KILLS sets the number of kills (default 20); see
// tests/crash/crash_options.h and docs/crash-safety.md.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.h"
#include "storage/ticket_store.h"
#include "tests/crash/crash_options.h"
#include "tests/crash/history_checks.h"
#include "tests/crash/loop_writer.h"
#include "tests/crash/writers_over_rpc.h"
#include "tests/crash/store_after_crash.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_server.h"

namespace duban::testing {
namespace {

using Stub = v1::TicketService::Stub;

constexpr int kDefaultKills = 20;
constexpr int kWriters = 32;
// The server's clock runs thirty days a second: a ticket due within hours
// climbs the whole ladder (REFERRAL five working days after the deadline)
// within a round. Each server's clock resumes after the newest event the
// killed one wrote; a training county remembers request ids for 24 hours
// of real time (kRequestRetention times the scale), so a call cut off by a
// kill and re-sent after the restart still gets its first answer.
constexpr char kTimeScale[] = "2592000";
// When a server is killed: after a random 0.3–0.9 s from the check of the
// previous round, or once its writers have taken kMaxStepsPerRound steps,
// whichever comes first — so that a fast disk does not make the checks
// unbounded (the reference machine takes some 3,000 steps a round).
constexpr int kMinRunMillis = 300;
constexpr int kMaxRunMillis = 900;
constexpr int kMaxStepsPerRound = 6000;

// Opens the stopped server's store directly and checks it against `acks`.
void ExpectStoppedStoreHolds(const std::string& data_dir, const std::vector<Ack>& acks,
                             int kills) {
  absl::StatusOr<std::unique_ptr<storage::Database>> database =
      storage::Database::Open({.path = data_dir});
  ASSERT_TRUE(database.ok()) << database.status();
  absl::StatusOr<std::unique_ptr<storage::TicketStore>> tickets =
      storage::TicketStore::Open(database->get());
  ASSERT_TRUE(tickets.ok()) << tickets.status();
  std::map<v1::EscalationLevel, int> fired = ExpectStoreHolds(**database, **tickets, acks);
  // A short run may end before any deadline passes; the default one may not.
  if (kills >= kDefaultKills && !::testing::Test::HasFailure()) {
    EXPECT_GT(fired[v1::ESCALATION_LEVEL_YELLOW], 0) << "the ladder never climbed";
  }
  std::printf(
      "crash_test: %d kills, %zu acknowledged steps, %llu ticket ids; escalations: %d reminder, "
      "%d yellow, %d red, %d referral\n",
      kills, acks.size(), static_cast<unsigned long long>((*tickets)->last_ticket_id()),
      fired[v1::ESCALATION_LEVEL_REMINDER], fired[v1::ESCALATION_LEVEL_YELLOW],
      fired[v1::ESCALATION_LEVEL_RED], fired[v1::ESCALATION_LEVEL_REFERRAL]);
}

TEST(CrashTest, AcknowledgedStepsSurviveKillNine) {
  const uint64_t seed = CrashSeed();
  SCOPED_TRACE(SeedNote(seed));
  const int kills = EnvCount("DUBAN_CRASH_KILLS", kDefaultKills);
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> run_millis(kMinRunMillis, kMaxRunMillis);
  ScratchDir scratch;
  const std::string data_dir = scratch.path() + "/data";

  std::vector<std::unique_ptr<LoopWriter>> writers;
  for (int i = 0; i < kWriters; ++i) writers.push_back(std::make_unique<LoopWriter>(i, seed));
  std::vector<Ack> all_acks;
  std::vector<Ack> unchecked;  // acknowledged by the server that was killed last
  int killed_so_far = 0;
  for (int round = 0; round <= kills && !HasFailure(); ++round) {
    const std::string when = "after kill " + std::to_string(round);
    DubandProcess server(DUBAND_PATH, data_dir, {"--dev", "--time_scale", kTimeScale});
    std::unique_ptr<Stub> stub = v1::TicketService::NewStub(
        grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
    std::atomic<bool> killed{false};
    StepCount steps;
    // First the calls the kill cut off, again with their request ids; then
    // every step acknowledged before the kill (and by the re-sends) must
    // be there.
    RunWriters(writers, *stub, killed, /*retry_only=*/true, steps, [] {});
    Collect(writers, when, unchecked);
    ExpectServerReflects(*stub, unchecked, when);
    all_acks.insert(all_acks.end(), unchecked.begin(), unchecked.end());
    unchecked.clear();
    if (round == kills) {
      stub.reset();  // an idle channel would hold up the server's drain
      server.Signal(SIGTERM);
      EXPECT_EQ(server.Wait(), 0) << server.log();
      break;
    }
    RunWriters(writers, *stub, killed, /*retry_only=*/false, steps, [&] {
      // A random moment (or a full round): the kill synchronises nothing.
      steps.WaitFor(kMaxStepsPerRound, std::chrono::milliseconds(run_millis(random)));
      killed = true;
      server.Signal(SIGKILL);
      EXPECT_EQ(server.Wait(), 128 + SIGKILL);
      ++killed_so_far;
    });
    Collect(writers, "before kill " + std::to_string(round + 1), unchecked);
  }
  int resent = 0;
  for (const std::unique_ptr<LoopWriter>& writer : writers) resent += writer->retries_answered();
  std::printf("crash_test: %d calls cut off by a kill were re-sent and answered\n", resent);
  ExpectStoppedStoreHolds(data_dir, all_acks, killed_so_far);
}

}  // namespace
}  // namespace duban::testing
