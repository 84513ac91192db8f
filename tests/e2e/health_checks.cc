#include "tests/e2e/health_checks.h"

#include <gtest/gtest.h>

#include "duban/v1/admin_service.grpc.pb.h"
#include "tests/e2e/raw_call.h"
#include "tests/support/test_server.h"

namespace duban::testing {

std::string HealthOf(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  // grpc.health.v1.HealthCheckRequest{service}, by hand: field 1, a string.
  std::string request(1, 0x0a);
  request.push_back(static_cast<char>(service.size()));
  request += service;
  const RawReply reply = RawCall(channel, "grpc.health.v1.Health/Check", "", request);
  if (!reply.status.ok()) return reply.status.error_message();
  if (reply.message == std::string("\x08\x01", 2)) return "SERVING";
  if (reply.message == std::string("\x08\x02", 2)) return "NOT_SERVING";
  return "an answer that is neither SERVING nor NOT_SERVING";
}

v1::HealthCheck HealthCheckOf(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& service) {
  grpc::ClientContext context;
  Authorize(context, "admin");
  v1::ServerHealth health;
  const grpc::Status status = v1::AdminService::NewStub(channel)->GetServerHealth(
      &context, v1::GetServerHealthRequest(), &health);
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (const v1::HealthCheck& check : health.checks()) {
    if (check.service() == service) return check;
  }
  ADD_FAILURE() << "no health check " << service;
  return v1::HealthCheck();
}

}  // namespace duban::testing
