// Page tokens and PrefixSuccessor (storage/page_token.h).
#include "storage/page_token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

TEST(PageTokenTest, RoundTripsTheResumeKey) {
  const std::string keys[] = {"", "a", std::string("u\0units/x\0", 10), std::string(40, '\xff')};
  for (const std::string& key : keys) {
    const std::string token = EncodePageToken("scope", key);
    absl::StatusOr<std::string> decoded = DecodePageToken(token, "scope");
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, key);
  }
}

TEST(PageTokenTest, IsUrlSafeText) {
  const std::string token = EncodePageToken("scope", std::string(30, '\xfb'));
  for (char c : token) {
    EXPECT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')
        << "character " << static_cast<int>(c) << " in " << token;
  }
}

TEST(PageTokenTest, RefusesATokenOfAnotherScope) {
  const std::string token = EncodePageToken("unit=units/nongye", "key");
  absl::StatusOr<std::string> decoded = DecodePageToken(token, "unit=units/ziran");
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(decoded.status().message()), HasSubstr("page_token"));
}

TEST(PageTokenTest, RefusesGarbage) {
  const std::string valid = EncodePageToken("scope", "resume");
  const std::string cases[] = {
      "not a token!",      // not base64url
      "dA",                // 't' alone: too short
      "AAAAAAAAAAAAAAAA",  // wrong version byte
      valid.substr(0, 4),  // truncated
      "!!!!",
  };
  for (const std::string& token : cases) {
    absl::StatusOr<std::string> decoded = DecodePageToken(token, "scope");
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << token;
    EXPECT_THAT(std::string(decoded.status().message()), HasSubstr("page_token")) << token;
  }
}

TEST(PrefixSuccessorTest, IsTheSmallestKeyAfterThePrefix) {
  struct Case {
    std::string prefix;
    std::string successor;
  };
  const Case cases[] = {
      {"abc", "abd"},
      {std::string("a\xff", 2), "b"},
      {std::string("ab\xff\xff", 4), "ac"},
      {std::string("u\0", 2), std::string("u\x01", 2)},
      {std::string("\xff\xff", 2), ""},
      {"", ""},
      {std::string("\x01\xfe", 2), std::string("\x01\xff", 2)},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PrefixSuccessor(c.prefix), c.successor) << absl::CEscape(c.prefix);
  }
}

TEST(PrefixSuccessorTest, BoundsEveryKeyWithThePrefix) {
  const std::string prefix("p\xfftickets/1", 11);
  const std::string successor = PrefixSuccessor(prefix);
  const std::string inside[] = {prefix, prefix + std::string(1, '\0'),
                                prefix + std::string(8, '\xff')};
  for (const std::string& key : inside) EXPECT_LT(key, successor) << absl::CEscape(key);
  EXPECT_GE(std::string("p\xfftickets/2", 11), successor);
}

}  // namespace
}  // namespace duban::storage
