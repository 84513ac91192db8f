// Running crash_test's LoopWriters against a duband and checking it over
// gRPC: shared by crash_test (kill -9 of one server) and failover_test
// (kill -9 of a primary, then its promoted replica).
//
//   StepCount steps;
//   RunWriters(writers, *stub, killed, /*retry_only=*/false, steps, [&] { ... kill ... });
//   Collect(writers, "before kill 1", acks);
//   ExpectServerReflects(*stub, acks, "after kill 1");
#ifndef DUBAN_TESTS_CRASH_WRITERS_OVER_RPC_H_
#define DUBAN_TESTS_CRASH_WRITERS_OVER_RPC_H_

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "duban/v1/ticket_service.grpc.pb.h"
#include "tests/crash/history_checks.h"
#include "tests/crash/loop_writer.h"

namespace duban::testing {

// Counts the steps acknowledged in a round; the round's kill waits on it.
class StepCount {
 public:
  void Add() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++steps_;
    changed_.notify_all();
  }
  // Waits until `steps` steps were counted or `timeout` passed.
  void WaitFor(int steps, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return steps_ >= steps; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int steps_ = 0;  // GUARDED_BY(mutex_)
};

// Checks over gRPC that the server reflects every one of `acks` (reading
// as the leader; calls shed for want of threads are sent again).
void ExpectServerReflects(v1::TicketService::Stub& stub, const std::vector<Ack>& acks,
                          const std::string& when);

// How many of `acks` the server does not reflect (every ack of a ticket it
// does not have counts).
int CountNotReflected(v1::TicketService::Stub& stub, const std::vector<Ack>& acks);

// Runs every writer on its own thread until each returns (see
// LoopWriter::Run), calling `while_running` meanwhile.
void RunWriters(std::vector<std::unique_ptr<LoopWriter>>& writers, v1::TicketService::Stub& stub,
                const std::atomic<bool>& killed, bool retry_only, StepCount& steps,
                const std::function<void()>& while_running);

// Moves the writers' acks to `acks` and reports their failures.
void Collect(std::vector<std::unique_ptr<LoopWriter>>& writers, const std::string& when,
             std::vector<Ack>& acks);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_CRASH_WRITERS_OVER_RPC_H_
