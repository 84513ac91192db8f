// The filter language of List methods: `field=value` terms joined by AND.
#include "domain/filter_terms.h"

#include <string>
#include <vector>

#include "base/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::testing::ElementsAre;

TEST(FilterTermsTest, Parses) {
  static const struct {
    const char* filter;
    FilterTerms terms;
  } kCases[] = {
      {"", {}},
      {"   ", {}},
      {"stage=IMPLEMENT", {{"stage", "IMPLEMENT"}}},
      {"  stage = IMPLEMENT  ", {{"stage", "IMPLEMENT"}}},
      {"stage=IMPLEMENT AND overdue=true", {{"stage", "IMPLEMENT"}, {"overdue", "true"}}},
      {"stage=IMPLEMENT and overdue=true", {{"stage", "IMPLEMENT"}, {"overdue", "true"}}},
      {"stage=IMPLEMENT And overdue=true", {{"stage", "IMPLEMENT"}, {"overdue", "true"}}},
      {"unit=units/nongye AND stage=deploy AND severity=MAJOR",
       {{"unit", "units/nongye"}, {"stage", "deploy"}, {"severity", "MAJOR"}}},
      {"location=\"units/a b\"", {{"location", "units/a b"}}},
      {"location=\"x AND y=z\" AND stage=CLOSED", {{"location", "x AND y=z"}, {"stage", "CLOSED"}}},
      {"parent_ticket=tickets/4", {{"parent_ticket", "tickets/4"}}},
      {"stage=\t\tIMPLEMENT\nAND\toverdue=true", {{"stage", "IMPLEMENT"}, {"overdue", "true"}}},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<FilterTerms> terms = ParseFilterTerms(c.filter);
    ASSERT_TRUE(terms.ok()) << "\"" << c.filter << "\": " << terms.status();
    EXPECT_EQ(*terms, c.terms) << "\"" << c.filter << "\"";
  }
}

TEST(FilterTermsTest, RefusesMalformedText) {
  static const char* const kCases[] = {
      "stage",                         // no '='
      "stage=",                        // no value
      "=IMPLEMENT",                    // no field
      "Stage=IMPLEMENT",               // fields are lower case
      "stage=IMPLEMENT overdue=true",  // no AND
      "stage=IMPLEMENT OR overdue=true",
      "stage=IMPLEMENT AND",  // AND with nothing after it
      "stage=IMPLEMENT AND AND overdue=true",
      "AND stage=IMPLEMENT",
      "location=\"units/a b",              // unterminated quote
      "location=\"a\"b=c",                 // text glued to a quoted value
      "stage=IMPLEMENT AND stage=CLOSED",  // a field twice
      "stage=a AND unit=units/x AND stage=a",
  };
  for (const char* filter : kCases) {
    absl::StatusOr<FilterTerms> terms = ParseFilterTerms(filter);
    ASSERT_FALSE(terms.ok()) << "\"" << filter << "\" was accepted";
    EXPECT_EQ(terms.status().code(), absl::StatusCode::kInvalidArgument) << filter;
    EXPECT_THAT(BadRequestFields(terms.status()), ElementsAre("filter")) << filter;
  }
}

TEST(FilterTermsTest, RefusesOverlongText) {
  std::string filter = "location=\"" + std::string(2100, 'x') + "\"";
  absl::StatusOr<FilterTerms> terms = ParseFilterTerms(filter);
  ASSERT_FALSE(terms.ok());
  EXPECT_THAT(BadRequestFields(terms.status()), ElementsAre("filter"));
  EXPECT_TRUE(ParseFilterTerms("location=\"" + std::string(2000, 'x') + "\"").ok());
}

}  // namespace
}  // namespace duban
