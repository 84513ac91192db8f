// What a new password must be.
#include "domain/password_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::testing::ElementsAre;

v1::Principal Wang() {
  v1::Principal principal;
  principal.set_name("principals/wangfang");
  principal.set_display_name("Wang Fang");
  return principal;
}

TEST(PasswordRulesTest, AcceptsLongEnoughPasswordsOfAnyScript) {
  for (const char* good : {"Qiu-ju-2026", "12345678", "督办工作认真负责啊", "correct horse"}) {
    EXPECT_TRUE(ValidateNewPassword(good, Wang()).ok()) << good;
  }
}

TEST(PasswordRulesTest, RefusesNamingThePasswordField) {
  const std::string too_long(129, 'a');
  for (const std::string& bad :
       {std::string("short"), std::string("督办工作"),  // 4 characters, 12 bytes
        too_long, std::string("tab\there-and-more"), std::string("\xff\xfe-not-utf8"),
        std::string("my wangfang pw"), std::string("WANGFANG-2026"),
        std::string("i am wang fang!")}) {
    const absl::Status status = ValidateNewPassword(bad, Wang());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(BadRequestFields(status), ElementsAre("password")) << bad;
  }
}

TEST(PasswordRulesTest, LengthCountsCharactersNotBytes) {
  EXPECT_FALSE(ValidateNewPassword("督办督办督办督", Wang()).ok());  // 7
  EXPECT_TRUE(ValidateNewPassword("督办督办督办督办", Wang()).ok());  // 8
}

}  // namespace
}  // namespace duban
