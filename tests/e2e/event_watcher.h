// EventWatcher: follows duban.v1.EventService/WatchEvents as a notifier
// would, so tests wait for what the server does by reading the stream —
// a blocking read, never a sleep.
//
//   EventWatcher watcher(server, "escalator");
//   server.Advance(absl::Hours(24));
//   v1::StreamEvent fired = watcher.WaitFor([](const v1::StreamEvent& e) {
//     return e.event().type() == v1::EVENT_TYPE_ESCALATED;
//   });
#ifndef DUBAN_TESTS_E2E_EVENT_WATCHER_H_
#define DUBAN_TESTS_E2E_EVENT_WATCHER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "duban/v1/event_service.grpc.pb.h"
#include "tests/support/test_server.h"

namespace duban::testing {

class EventWatcher {
 public:
  // Opens the stream after `after_cursor` as `token`. Reads give up after
  // `patience` (a guard against a hung test, not a wait the test relies on).
  EventWatcher(const TestServer& server, const std::string& token, int64_t after_cursor = 0,
               absl::Duration patience = absl::Seconds(30));
  ~EventWatcher();

  // The next event, or nullopt when the stream ended.
  std::optional<v1::StreamEvent> Next();
  // Reads until an event satisfies `match`; fails the test if the stream
  // ends first. Everything read is kept in seen().
  v1::StreamEvent WaitFor(const std::function<bool(const v1::StreamEvent&)>& match);
  const std::vector<v1::StreamEvent>& seen() const { return seen_; }
  // How the stream ended (call after Next() returned nullopt).
  grpc::Status Finish();

 private:
  std::unique_ptr<v1::EventService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::StreamEvent>> reader_;
  std::vector<v1::StreamEvent> seen_;
  bool finished_ = false;
};

// Matches an ESCALATED event of `level` on `ticket`.
std::function<bool(const v1::StreamEvent&)> Escalated(const std::string& ticket,
                                                      v1::EscalationLevel level);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_E2E_EVENT_WATCHER_H_
