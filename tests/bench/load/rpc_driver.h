// Drive: the client machinery of duban-load. It sends unary calls as
// pre-serialized bytes through grpc::GenericStub on the async
// (CompletionQueue) API, over several channels that each get their own TCP
// connection, so every workload — duband's methods and the empty-unary
// baseline alike — goes through the same code.
//
//   DriveOptions options{.target = "127.0.0.1:7420", .concurrency = 32};
//   PhaseResult result = Drive(options, [](uint64_t n) { return MakeGet(n); }, "get");
//
// Closed loop (rate == 0): `concurrency` calls are always outstanding; each
// completion starts the next. Open loop (rate > 0): calls start at fixed
// intervals whatever the server does, and latency counts from the moment a
// call was due to start, so a slow server cannot hide its queue.
#ifndef DUBAN_TESTS_BENCH_LOAD_RPC_DRIVER_H_
#define DUBAN_TESTS_BENCH_LOAD_RPC_DRIVER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/time/time.h"
#include "tests/bench/load/phase_result.h"

namespace duban::load {

// One call: the full method name ("/duban.v1.TicketService/GetTicket"), the
// serialized request and the bearer token ("" for none).
struct RpcCall {
  std::string method;
  std::string request;
  std::string token;
};

// Makes call number `sequence` (0, 1, …). Called from several threads.
using CallSource = std::function<RpcCall(uint64_t sequence)>;

struct DriveOptions {
  std::string target;
  int channels = 4;
  int concurrency = 32;
  absl::Duration duration = absl::Seconds(10);
  // Calls per second for the open loop; 0 for the closed loop.
  double rate = 0;
  // Per-call deadline.
  absl::Duration deadline = absl::Seconds(30);
};

PhaseResult Drive(const DriveOptions& options, const CallSource& calls, const std::string& name);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_RPC_DRIVER_H_
