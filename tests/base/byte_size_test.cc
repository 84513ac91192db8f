// Byte sizes as people write them on a command line or in a flag file.
#include "base/byte_size.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace duban {
namespace {

using ::testing::HasSubstr;

TEST(ByteSizeTest, ReadsTheUnitsPeopleWrite) {
  const struct {
    const char* text;
    uint64_t bytes;
  } cases[] = {{"512MiB", 512ull << 20}, {"256 MiB", 256ull << 20}, {"1GiB", 1ull << 30},
               {"512M", 512ull << 20},   {"512Mi", 512ull << 20},   {"2g", 2ull << 30},
               {"64KiB", 64ull << 10},   {"65536", 65536},          {" 1TiB ", 1ull << 40},
               {"0", 0},                 {"100b", 100}};
  for (const auto& c : cases) {
    absl::StatusOr<ByteSize> size = ParseByteSize(c.text);
    ASSERT_TRUE(size.ok()) << c.text << ": " << size.status();
    EXPECT_EQ(size->bytes, c.bytes) << c.text;
  }
}

TEST(ByteSizeTest, RefusesWhatIsNotAnAmount) {
  for (const char* text : {"", "MiB", "-5MiB", "5 MB MB", "1.5GiB", "0x10", "99999999999TiB"}) {
    absl::StatusOr<ByteSize> size = ParseByteSize(text);
    EXPECT_EQ(size.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
  EXPECT_THAT(ParseByteSize("12 parsecs").status().message(),
              HasSubstr("unknown unit \"parsecs\": use KiB, MiB, GiB or TiB"));
  EXPECT_THAT(ParseByteSize("lots").status().message(), HasSubstr("e.g. 512MiB"));
}

TEST(ByteSizeTest, WritesTheLargestUnitThatDividesIt) {
  EXPECT_EQ(FormatByteSize({512ull << 20}), "512MiB");
  EXPECT_EQ(FormatByteSize({1ull << 30}), "1GiB");
  EXPECT_EQ(FormatByteSize({1536ull << 10}), "1536KiB");
  EXPECT_EQ(FormatByteSize({1000}), "1000");
  EXPECT_EQ(FormatByteSize({0}), "0");
  // What a flag prints reads back the same.
  EXPECT_EQ(ParseByteSize(FormatByteSize({3ull << 40}))->bytes, 3ull << 40);
}

}  // namespace
}  // namespace duban
