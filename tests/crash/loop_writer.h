// LoopWriter: one client of crash_test. It walks tickets round the loop over
// gRPC as the demo county's principals — deploy (with a request id), sign,
// report, submit, review (reject or accept), plan, submit — and keeps the
// log of every step the server acknowledged. One ticket in four is left
// after signing for the escalation ladder to climb.
//
//   LoopWriter writer(3, seed);
//   writer.Run(*stub, killed, /*retry_only=*/false, on_ack);  // returns when a call fails
//   ... the server was killed and restarted ...
//   writer.Run(*new_stub, killed, false, on_ack);  // first re-sends the call that was cut off
//   for (const Ack& ack : writer.TakeAcks()) ...
//
// Every call carries a request id, and a call cut off by a kill is re-sent
// with the same id on the next Run: its answer must be the first one (or a
// first application), never a refusal. A call the server sheds for want of
// threads (RESOURCE_EXHAUSTED) is re-sent at once, with the same id. Any
// other failure while the server is up (`killed` false) is recorded (see
// TakeFailures).
//
// Not thread-safe: one thread drives one writer.
#ifndef DUBAN_TESTS_CRASH_LOOP_WRITER_H_
#define DUBAN_TESTS_CRASH_LOOP_WRITER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "duban/v1/ticket_service.grpc.pb.h"
#include "tests/crash/history_checks.h"

namespace duban::testing {

class LoopWriter {
 public:
  LoopWriter(int index, uint64_t seed);
  LoopWriter(const LoopWriter&) = delete;
  LoopWriter& operator=(const LoopWriter&) = delete;

  // Re-sends the call a kill cut off, if any; then, unless `retry_only`,
  // goes on stepping tickets until a call fails. Calls `acknowledged`
  // after each acknowledged step.
  void Run(v1::TicketService::Stub& stub, const std::atomic<bool>& killed, bool retry_only,
           const std::function<void()>& acknowledged);

  // The steps acknowledged since the last TakeAcks.
  std::vector<Ack> TakeAcks();
  // The failures recorded since the last TakeFailures.
  std::vector<std::string> TakeFailures();
  // How many retried calls were answered.
  int retries_answered() const { return retries_answered_; }

 private:
  using Send = std::function<grpc::Status(v1::TicketService::Stub&, grpc::ClientContext&,
                                          v1::Ticket&)>;
  struct Call {
    std::string what;
    std::string token;
    std::string request_id;
    v1::EventType type;
    Send send;
    bool retried = false;
  };

  Call NextCall();
  Call Create();
  std::string NewRequestId();
  // Decides what comes after an acknowledged `call` that left `ticket`.
  void Acknowledged(const Call& call, const v1::Ticket& ticket);

  const int index_;
  const std::string lead_;  // unit id, also its staff's token
  std::mt19937_64 random_;
  int requests_ = 0;
  std::optional<v1::Ticket> current_;
  std::optional<Call> in_flight_;
  std::vector<Ack> acks_;
  std::vector<std::string> failures_;
  int retries_answered_ = 0;
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_CRASH_LOOP_WRITER_H_
