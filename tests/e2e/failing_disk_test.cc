// A county whose disk fails a write: the call is answered UNAVAILABLE with
// the reason, every later write too, reads go on, the "duban.writes"
// health check and duban admin health say why, the metrics count it — and
// a restart on the repaired disk serves everything acknowledged.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "rocksdb/env.h"
#include "tests/crash/power_loss_file_system.h"
#include "tests/e2e/health_checks.h"
#include "tests/e2e/rpc_client.h"
#include "tests/support/http_get.h"

namespace duban::testing {
namespace {

class FailingDiskTest : public ::testing::Test {
 protected:
  FailingDiskTest()
      : fs_(std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default())),
        env_(rocksdb::NewCompositeEnv(fs_)),
        server_(
            [this](ServerOptions& options) {
              options.env = env_.get();
              options.metrics_listen = "127.0.0.1:0";
            },
            /*scheduler=*/false) {}
  ~FailingDiskTest() override { server_.Stop(); }

  std::shared_ptr<PowerLossFileSystem> fs_;
  std::unique_ptr<rocksdb::Env> env_;
  TestServer server_;
};

TEST_F(FailingDiskTest, WritesAreRefusedWithTheReasonWhileReadsGoOn) {
  RpcClient client(server_);
  const v1::Ticket first = client.MustCreate("leader", DeployRequest(server_.clock().Now()));
  EXPECT_EQ(HealthOf(server_.channel(), "duban.writes"), "SERVING");

  fs_->FailWalSyncs(true);
  v1::Ticket ignored;
  grpc::Status failed = client.Call("leader", &Tickets::CreateTicket,
                                    DeployRequest(server_.clock().Now()), &ignored);
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE) << failed.error_message();
  fs_->FailWalSyncs(false);
  auto sign = On<v1::SignTicketRequest>(first);
  grpc::Status refused = client.Call("nongye", &Tickets::SignTicket, sign, &ignored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "disk failed")) << refused.error_message();

  // Reads go on; the server says why it refuses, and keeps serving.
  EXPECT_EQ(client.MustGet("leader", first.name()).stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(HealthOf(server_.channel(), "duban.writes"), "NOT_SERVING");
  EXPECT_EQ(HealthOf(server_.channel(), ""), "SERVING");
  const v1::HealthCheck check = HealthCheckOf(server_.channel(), "duban.writes");
  EXPECT_FALSE(check.serving());
  EXPECT_TRUE(absl::StrContains(check.detail(), "Input/output error")) << check.detail();
  absl::StatusOr<std::string> metrics = HttpGet(server_.server().metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_TRUE(absl::StrContains(*metrics, "\nduban_store_writable 0")) << *metrics;
  EXPECT_TRUE(absl::StrContains(*metrics, "\nduban_store_write_errors_total 2")) << *metrics;

  // Restarted on the repaired disk: as after a crash.
  server_.Restart();
  RpcClient after(server_);
  EXPECT_EQ(after.MustGet("leader", first.name()).stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(HealthOf(server_.channel(), "duban.writes"), "SERVING");
  EXPECT_TRUE(after.Call("nongye", &Tickets::SignTicket, sign, &ignored).ok());
}

}  // namespace
}  // namespace duban::testing
