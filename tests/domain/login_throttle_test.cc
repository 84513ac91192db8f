// Failed logins counted per key, and the lockout they lead to.
#include "domain/login_throttle.h"

#include "gtest/gtest.h"

namespace duban {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'750'000'000);

TEST(LoginThrottleTest, FifthFailureInTheWindowLocksOutForTheLockout) {
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(throttle.RecordFailure("p:wang", kStart + absl::Minutes(i)));
    EXPECT_FALSE(throttle.LockedUntil("p:wang", kStart + absl::Minutes(i)));
  }
  const absl::Time fifth = kStart + absl::Minutes(4);
  EXPECT_EQ(throttle.RecordFailure("p:wang", fifth), fifth + absl::Minutes(15));
  EXPECT_EQ(throttle.LockedUntil("p:wang", fifth + absl::Minutes(14)), fifth + absl::Minutes(15));
  EXPECT_FALSE(throttle.LockedUntil("p:wang", fifth + absl::Minutes(15)));
  // Other keys are untouched.
  EXPECT_FALSE(throttle.LockedUntil("p:li", fifth));
}

TEST(LoginThrottleTest, FailuresOutsideTheWindowStartOver) {
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("a:10.0.0.5", kStart);
  // The window has passed: this is the first failure of a new one.
  EXPECT_FALSE(throttle.RecordFailure("a:10.0.0.5", kStart + absl::Minutes(15)));
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(throttle.RecordFailure("a:10.0.0.5", kStart + absl::Minutes(16)));
  }
  EXPECT_TRUE(throttle.RecordFailure("a:10.0.0.5", kStart + absl::Minutes(16)));
}

TEST(LoginThrottleTest, SuccessForgetsTheFailures) {
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("p:wang", kStart);
  throttle.RecordSuccess("p:wang");
  EXPECT_FALSE(throttle.RecordFailure("p:wang", kStart));
}

TEST(LoginThrottleTest, AfterTheLockoutFailuresCountAfresh) {
  LoginThrottle throttle({.max_failures = 2});
  throttle.RecordFailure("p:wang", kStart);
  ASSERT_TRUE(throttle.RecordFailure("p:wang", kStart));
  const absl::Time after = kStart + absl::Minutes(15);
  EXPECT_FALSE(throttle.RecordFailure("p:wang", after));
  EXPECT_TRUE(throttle.RecordFailure("p:wang", after));
}

TEST(LoginThrottleTest, KeepsAtMostMaxKeys) {
  LoginThrottle throttle({.max_keys = 3});
  throttle.RecordFailure("k1", kStart);
  throttle.RecordFailure("k2", kStart + absl::Seconds(1));
  throttle.RecordFailure("k3", kStart + absl::Seconds(2));
  throttle.RecordFailure("k4", kStart + absl::Seconds(3));  // drops k1, the oldest
  // k1 starts over: four more failures do not lock it out.
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(throttle.RecordFailure("k1", kStart + absl::Seconds(4)));
}

}  // namespace
}  // namespace duban
