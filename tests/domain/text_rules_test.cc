// Free text in requests: well-formed UTF-8, bounded, no control characters.
#include "domain/text_rules.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TextRulesTest, IsValidUtf8) {
  static const struct {
    std::string text;
    bool valid;
  } kCases[] = {
      {"", true},
      {"plain ASCII", true},
      {std::string("nul\0inside", 10), true},  // NUL is UTF-8; CheckText refuses it
      {"\xC2\xA9", true},                      // ©, the smallest 2-byte form is U+0080
      {"\xC2\x80", true},
      {"\xE4\xB8\xAD\xE6\x96\x87", true},   // 中文
      {"\xE0\xA0\x80", true},               // U+0800
      {"\xED\x9F\xBF", true},               // U+D7FF, just below the surrogates
      {"\xEE\x80\x80", true},               // U+E000, just above them
      {"\xF0\x9F\x98\x80", true},           // 😀
      {"\xF4\x8F\xBF\xBF", true},           // U+10FFFF, the last code point
      {"\xC0\xAF", false},                  // overlong '/'
      {"\xC1\xBF", false},                  // overlong U+007F
      {"\xE0\x80\xAF", false},              // overlong '/' in 3 bytes
      {"\xE0\x9F\xBF", false},              // overlong U+07FF
      {"\xF0\x80\x80\xAF", false},          // overlong '/' in 4 bytes
      {"\xF0\x8F\xBF\xBF", false},          // overlong U+FFFF
      {"\xED\xA0\x80", false},              // U+D800, a surrogate
      {"\xED\xBF\xBF", false},              // U+DFFF, a surrogate
      {"\xED\xA0\xBD\xED\xB8\x80", false},  // CESU-8 pair for 😀
      {"\xF4\x90\x80\x80", false},          // U+110000
      {"\xF8\x88\x80\x80\x80", false},      // 5-byte form
      {"\xFF", false},
      {"\xFE", false},
      {"\x80", false},  // lone continuation byte
      {"a\xBF", false},
      {"\xE4\xB8", false},   // truncated at the end
      {"\xE4\xB8z", false},  // truncated by ASCII
      {"\xC2", false},
      {"\xF0\x9F\x98", false},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(IsValidUtf8(c.text), c.valid) << absl::CHexEscape(c.text);
  }
}

TEST(TextRulesTest, CheckText) {
  static constexpr TextLimit kSingle{10, true, false};
  static constexpr TextLimit kOptionalMulti{10, false, true};
  static const struct {
    std::string text;
    TextLimit limit;
    bool ok;
  } kCases[] = {
      {"", kSingle, false},  // required
      {"", kOptionalMulti, true},
      {"0123456789", kSingle, true},                                         // exactly the limit
      {"0123456789a", kSingle, false},                                       // one byte over
      {"\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD", kSingle, true},               // 9 bytes
      {"\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD", kSingle, false},  // 12 bytes
      {"a\tb", kSingle, false},
      {"a\nb", kSingle, false},
      {"a\nb\tc\r\n", kOptionalMulti, true},
      {"a\x01z", kOptionalMulti, false},
      {"a\x1Bz", kOptionalMulti, false},  // ESC
      {"a\x7Fz", kOptionalMulti, false},  // DEL
      {std::string("a\0z", 3), kOptionalMulti, false},
      {"ab\xC0\xAF", kSingle, false},
  };
  for (const auto& c : kCases) {
    FieldViolations violations;
    CheckText(violations, "comment", c.text, c.limit);
    const absl::Status status = violations.ToStatus();
    if (c.ok) {
      EXPECT_TRUE(status.ok()) << absl::CHexEscape(c.text) << ": " << status;
      EXPECT_THAT(BadRequestFields(status), IsEmpty());
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << absl::CHexEscape(c.text);
      EXPECT_THAT(BadRequestFields(status), ElementsAre("comment")) << absl::CHexEscape(c.text);
    }
  }
}

TEST(TextRulesTest, LimitsOfTheApi) {
  EXPECT_EQ(kTitle.max_bytes, 600u);
  EXPECT_TRUE(kTitle.required);
  EXPECT_FALSE(kTitle.multiline);
  EXPECT_TRUE(kRequiredNote.required);
  EXPECT_FALSE(kOptionalNote.required);
  EXPECT_EQ(kMaxEvidencePerCall, 20u);
}

}  // namespace
}  // namespace duban
