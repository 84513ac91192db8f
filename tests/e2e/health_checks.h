// What a running server says of its health: a grpc.health.v1 Check of one
// service, and the checks with their reasons (AdminService.GetServerHealth).
//
//   EXPECT_EQ(HealthOf(server.channel(), "duban.writes"), "NOT_SERVING");
//   EXPECT_THAT(HealthCheckOf(server.channel(), "duban.writes").detail(), HasSubstr("disk"));
#ifndef DUBAN_TESTS_E2E_HEALTH_CHECKS_H_
#define DUBAN_TESTS_E2E_HEALTH_CHECKS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "duban/v1/admin_service.pb.h"

namespace duban::testing {

// "SERVING", "NOT_SERVING", or the error message of the Check call.
std::string HealthOf(const std::shared_ptr<grpc::Channel>& channel, const std::string& service);

// The check named `service` as the admin reads it; a test failure (and an
// empty check) when there is none.
v1::HealthCheck HealthCheckOf(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& service);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_E2E_HEALTH_CHECKS_H_
