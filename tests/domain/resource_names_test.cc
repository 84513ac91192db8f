// Resource names: `tickets/{n}`, `units/{id}`, `principals/{id}`,
// `indicators/{code}`.
#include "domain/resource_names.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::testing::ElementsAre;

TEST(ResourceNamesTest, ParseTicketNameAccepts) {
  static const struct {
    const char* name;
    uint64_t id;
  } kCases[] = {
      {"tickets/1", 1},
      {"tickets/42", 42},
      {"tickets/1000000", 1000000},
      {"tickets/9999999999999999999", 9999999999999999999u},  // 19 digits
  };
  for (const auto& c : kCases) {
    absl::StatusOr<uint64_t> id = ParseTicketName(c.name, "name");
    ASSERT_TRUE(id.ok()) << c.name << ": " << id.status();
    EXPECT_EQ(*id, c.id) << c.name;
    EXPECT_EQ(TicketName(c.id), c.name);
  }
}

TEST(ResourceNamesTest, ParseTicketNameRefuses) {
  static const char* const kCases[] = {
      "tickets/0",
      "tickets/01",
      "tickets/x",
      "ticket/1",
      "tickets/",
      "tickets",
      "tickets/-1",
      "tickets/+1",
      "tickets/1 ",
      " tickets/1",
      "tickets/1/events/2",
      "Tickets/1",
      "tickets/1x",
      "tickets/0x10",
      "tickets/18446744073709551616",  // 2^64
      "tickets/10000000000000000000",  // 20 digits
      "units/1",
  };
  for (const char* name : kCases) {
    absl::StatusOr<uint64_t> id = ParseTicketName(name, "ticket.parent");
    ASSERT_FALSE(id.ok()) << name << " was accepted as " << *id;
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(BadRequestFields(id.status()), ElementsAre("ticket.parent")) << name;
  }
  absl::StatusOr<uint64_t> empty = ParseTicketName("", "name");
  EXPECT_THAT(BadRequestFields(empty.status()), ElementsAre("name"));
  EXPECT_THAT(std::string(empty.status().message()), ::testing::HasSubstr("is required"));
}

TEST(ResourceNamesTest, IsValidId) {
  static const struct {
    std::string id;
    bool valid;
  } kCases[] = {
      {"nongye", true},
      {"chengguan-dongjie", true},
      {"a", true},
      {"a1", true},
      {"x-1-y", true},
      {std::string(63, 'a'), true},
      {std::string(64, 'a'), false},
      {"", false},
      {"1a", false},
      {"-a", false},
      {"a-", false},
      {"Nongye", false},
      {"nong_ye", false},
      {"nong ye", false},
      {"nong.ye", false},
      {"nong/ye", false},
      {"\xE5\x86\x9C", false},  // 农
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(IsValidId(c.id), c.valid) << "\"" << c.id << "\"";
  }
}

TEST(ResourceNamesTest, Names) {
  EXPECT_EQ(UnitName("nongye"), "units/nongye");
  EXPECT_EQ(PrincipalName("li"), "principals/li");
  EXPECT_TRUE(IsValidName("units/nongye", kUnitsPrefix));
  EXPECT_TRUE(IsValidName("indicators/gengdi", kIndicatorsPrefix));
  EXPECT_FALSE(IsValidName("units/nongye", kIndicatorsPrefix));
  EXPECT_FALSE(IsValidName("units/", kUnitsPrefix));
  EXPECT_FALSE(IsValidName("nongye", kUnitsPrefix));
  EXPECT_FALSE(IsValidName("units/nongye/x", kUnitsPrefix));
  EXPECT_EQ(IdOf("units/nongye", kUnitsPrefix), "nongye");
  EXPECT_EQ(IdOf("principals/li", kUnitsPrefix), "");
}

TEST(ResourceNamesTest, ValidateIdAndNamesNameTheField) {
  using Check = absl::Status (*)(absl::string_view, absl::string_view);
  static const struct {
    const char* label;
    Check check;
    const char* value;
    // Empty: OK.
    const char* message;
  } kCases[] = {
      {"an id", &ValidateId, "nongye", ""},
      {"an id with capitals", &ValidateId, "Nongye",
       "field: must be 1-63 characters of a-z, 0-9 and '-', starting with a letter"},
      {"no id", &ValidateId, "",
       "field: must be 1-63 characters of a-z, 0-9 and '-', starting with a letter"},
      {"a unit", &ValidateUnitName, "units/nongye", ""},
      {"a principal for a unit", &ValidateUnitName, "principals/li",
       "field: must be a unit name like units/nongye"},
      {"a bare unit id", &ValidateUnitName, "nongye",
       "field: must be a unit name like units/nongye"},
      {"a principal", &ValidatePrincipalName, "principals/li", ""},
      {"a unit for a principal", &ValidatePrincipalName, "units/nongye",
       "field: must be a principal name like principals/li"},
      {"a principal with a bad id", &ValidatePrincipalName, "principals/Li",
       "field: must be a principal name like principals/li"},
      {"an indicator", &ValidateIndicatorName, "indicators/gengdi", ""},
      {"no indicator", &ValidateIndicatorName, "",
       "field: must be an indicator name like indicators/gengdi"},
      {"a unit for an indicator", &ValidateIndicatorName, "units/gengdi",
       "field: must be an indicator name like indicators/gengdi"},
  };
  for (const auto& c : kCases) {
    const absl::Status status = c.check("field", c.value);
    if (std::string(c.message).empty()) {
      EXPECT_TRUE(status.ok()) << c.label << ": " << status;
      continue;
    }
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.label;
    EXPECT_EQ(status.message(), c.message) << c.label;
    EXPECT_THAT(BadRequestFields(status), ElementsAre("field")) << c.label;
  }
}

}  // namespace
}  // namespace duban
