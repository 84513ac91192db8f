// TestServer: a real duband (DubanServer) on 127.0.0.1:0 over a scratch
// RocksDB, seeded with the demo county, on a clock the test moves.
//
//   TestServer server;
//   auto tickets = server.Tickets();
//   grpc::ClientContext context;
//   Authorize(context, "leader");
//   grpc::Status status = tickets->CreateTicket(&context, request, &ticket);
//
// The clock starts at Monday 2025-03-03 09:00 Asia/Shanghai and moves only
// when the test calls Advance().
#ifndef DUBAN_TESTS_SUPPORT_TEST_SERVER_H_
#define DUBAN_TESTS_SUPPORT_TEST_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "duban/v1/directory_service.grpc.pb.h"
#include "duban/v1/ticket_service.grpc.pb.h"
#include "server/runtime/duban_server.h"
#include "tests/support/scratch_dir.h"

namespace duban::testing {

// A thread-safe clock that moves only when told to.
class TestClock {
 public:
  absl::Time Now() const;
  void Advance(absl::Duration duration);
  void Set(absl::Time time);

 private:
  mutable std::mutex mutex_;
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2025, 3, 3, 9, 0, 0), Shanghai());
  static absl::TimeZone Shanghai();
};

class TestServer {
 public:
  // With `scheduler` false, escalations fire only through Sweep.
  explicit TestServer(bool scheduler = true);
  // `configure` changes the options of every start (TLS, audit key, ...);
  // with TLS on, channel() and the stubs speak plaintext and so fail: make
  // a channel with the right credentials to address().
  explicit TestServer(std::function<void(ServerOptions&)> configure, bool scheduler = true);
  ~TestServer();

  // Stops the server and starts a new one on the same data (new port).
  void Restart();
  // Moves the clock and lets the escalation scheduler see the new time.
  void Advance(absl::Duration duration);
  void Stop();

  const std::string& address() const { return server_->address(); }
  const std::string& data_dir() const { return data_dir_; }
  TestClock& clock() { return clock_; }

  std::unique_ptr<v1::TicketService::Stub> Tickets() const;
  std::unique_ptr<v1::DirectoryService::Stub> Directory() const;
  DubanServer& server() { return *server_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

 private:
  void Start();

  ScratchDir scratch_;
  std::string data_dir_;
  TestClock clock_;
  bool scheduler_;
  std::function<void(ServerOptions&)> configure_;
  std::unique_ptr<DubanServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Adds `authorization: Bearer <token>` to the call.
void Authorize(grpc::ClientContext& context, const std::string& token);

// The google.rpc.ErrorInfo reason of a failed call ("" when none).
std::string ErrorReason(const grpc::Status& status);
// The fields named by the google.rpc.BadRequest of a failed call.
std::vector<std::string> BadFields(const grpc::Status& status);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_TEST_SERVER_H_
