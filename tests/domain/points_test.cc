// Points: exact decimal points in hundredths — parsing, formatting, and
// multiplying with halves rounded away from zero.
#include "domain/points.h"

#include <cstdint>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::testing::ElementsAre;

constexpr int64_t kBillionPoints = int64_t{100000000000};  // 1e9 points in hundredths

TEST(PointsTest, ParsesDecimalsWithAtMostTwoPlaces) {
  struct Case {
    const char* text;
    int64_t hundredths;
    const char* formatted;  // ToString of the parsed value
  } cases[] = {
      {"0", 0, "0"},
      {"3", 300, "3"},
      {"2.5", 250, "2.5"},
      {"2.50", 250, "2.5"},
      {"0.35", 35, "0.35"},
      {"0.05", 5, "0.05"},
      {"0.5", 50, "0.5"},
      {"-4.2", -420, "-4.2"},
      {"-4.25", -425, "-4.25"},
      {"-0.01", -1, "-0.01"},
      {"-0", 0, "0"},
      {"007", 700, "7"},
      {"1000000000", kBillionPoints, "1000000000"},
      {"-1000000000", -kBillionPoints, "-1000000000"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Points> parsed = Points::Parse(c.text, "points");
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status();
    EXPECT_EQ(parsed->hundredths(), c.hundredths) << c.text;
    EXPECT_EQ(parsed->ToString(), c.formatted) << c.text;
  }
}

TEST(PointsTest, RefusesAnythingElseNamingTheField) {
  const char* cases[] = {
      "1.234",  // three decimals
      "0.001",
      "",    // nothing
      "1.",  // a point without decimals
      ".5",  // decimals without a whole part
      "abc",
      "-",
      "--1",
      "1e3",
      " 1",
      "1 ",
      "1,5",
      "1.2.3",
      "1000000001",  // beyond 1e9
      "-1000000001",
      "99999999999999999999999",  // would overflow int64
  };
  for (const char* text : cases) {
    absl::StatusOr<Points> parsed = Points::Parse(text, "deduction.points");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << "\"" << text << "\" parsed as " << (parsed.ok() ? parsed->ToString() : "");
    EXPECT_THAT(BadRequestFields(parsed.status()), ElementsAre("deduction.points")) << text;
  }
}

// Points are written as ToString writes them: a leading '+' is not one of
// them ("+2" is not "a number of points like 2, 2.5 or -4.25").
TEST(PointsTest, RefusesAPlusSign) {
  for (const char* text : {"+2", "+0.5", "+0"}) {
    absl::StatusOr<Points> parsed = Points::Parse(text, "points");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << "\"" << text << "\" parsed as " << (parsed.ok() ? parsed->ToString() : "");
    EXPECT_THAT(BadRequestFields(parsed.status()), ElementsAre("points")) << text;
  }
}

// The limit is ±1e9 points exactly, decimals included.
TEST(PointsTest, RefusesValuesJustBeyondOneBillion) {
  for (const char* text : {"1000000000.01", "-1000000000.5", "1000000000.99"}) {
    absl::StatusOr<Points> parsed = Points::Parse(text, "points");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << "\"" << text << "\" parsed as " << (parsed.ok() ? parsed->ToString() : "");
  }
  EXPECT_TRUE(Points::Parse("1000000000.00", "points").ok());
  EXPECT_TRUE(Points::Parse("-1000000000", "points").ok());
}

TEST(PointsTest, FormatsTheShortestExactDecimal) {
  struct Case {
    int64_t hundredths;
    const char* text;
  } cases[] = {
      {0, "0"},       {600, "6"},
      {-600, "-6"},   {420, "4.2"},
      {-420, "-4.2"}, {35, "0.35"},
      {-35, "-0.35"}, {5, "0.05"},
      {-5, "-0.05"},  {10, "0.1"},
      {1050, "10.5"}, {1001, "10.01"},
      {-1, "-0.01"},  {kBillionPoints, "1000000000"},
  };
  for (const Case& c : cases) {
    const Points points = Points::FromHundredths(c.hundredths);
    EXPECT_EQ(points.ToString(), c.text) << c.hundredths;
    absl::StatusOr<Points> back = Points::Parse(points.ToString(), "points");
    ASSERT_TRUE(back.ok()) << c.text << ": " << back.status();
    EXPECT_EQ(*back, points) << "round trip of " << c.text;
  }
}

TEST(PointsTest, TimesRoundsToAHundredthHalvesAwayFromZero) {
  struct Case {
    int64_t a;  // hundredths
    int64_t b;  // hundredths
    int64_t product;
    const char* why;
  } cases[] = {
      {200, 300, 600, "2 × 3"},
      {600, 70, 420, "6 × 0.7"},
      {33, 300, 99, "0.33 × 3"},
      {99, 70, 69, "0.99 × 0.7 = 0.693"},
      {150, 70, 105, "1.5 × 0.7 = 1.05 exactly"},
      {5, 10, 1, "0.005 rounds up"},
      {-5, 10, -1, "-0.005 rounds down"},
      {5, -10, -1, "either factor negative"},
      {-5, -10, 1, "both negative"},
      {15, 50, 8, "0.075 → 0.08"},
      {25, 50, 13, "0.125 → 0.13, not to even"},
      {-25, 50, -13, "-0.125 → -0.13"},
      {1, 49, 0, "0.0049 → 0"},
      {-1, 49, 0, "-0.0049 → 0, not -0"},
      {1, 50, 1, "0.005 → 0.01"},
      {1, 51, 1, "0.0051 → 0.01"},
      {0, 300, 0, "zero"},
      {kBillionPoints, 10000, kBillionPoints * 100, "1e9 × 100 does not overflow"},
  };
  for (const Case& c : cases) {
    const Points product = Points::FromHundredths(c.a).Times(Points::FromHundredths(c.b));
    EXPECT_EQ(product.hundredths(), c.product) << c.why;
  }
  EXPECT_EQ(Points::FromHundredths(-1).Times(Points::FromHundredths(49)).ToString(), "0");
}

TEST(PointsTest, AddsNegatesAndCompares) {
  const Points a = Points::FromHundredths(420);
  const Points b = Points::FromHundredths(-600);
  EXPECT_EQ((a + b).ToString(), "-1.8");
  EXPECT_EQ((-a).ToString(), "-4.2");
  Points sum;
  sum += a;
  sum += a;
  EXPECT_EQ(sum.ToString(), "8.4");
  EXPECT_LT(b, a);
  EXPECT_GT(a, Points());
  EXPECT_EQ(Points(), Points::FromHundredths(0));
}

}  // namespace
}  // namespace duban
