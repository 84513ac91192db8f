// The filters of ListUnits and ListPrincipals.
#include "domain/directory_query.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::testing::ElementsAre;

TEST(DirectoryQueryTest, UnitQuery) {
  absl::StatusOr<UnitQuery> query =
      ParseUnitQuery("kind=township AND tier=FAR AND parent=units/county");
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->kind, v1::UNIT_KIND_TOWNSHIP);
  EXPECT_EQ(query->tier, v1::TIER_FAR);
  EXPECT_EQ(query->parent, "units/county");

  v1::Unit unit;
  unit.set_kind(v1::UNIT_KIND_TOWNSHIP);
  unit.set_tier(v1::TIER_FAR);
  unit.set_parent("units/county");
  EXPECT_TRUE(query->Matches(unit));
  unit.set_tier(v1::TIER_NEAR);
  EXPECT_FALSE(query->Matches(unit));
  EXPECT_TRUE(UnitQuery().Matches(unit));

  for (const char* filter : {"kind=CITY", "kind=UNSPECIFIED", "tier=0", "parent=county",
                             "role=LEADER", "kind=TOWNSHIP AND kind=VILLAGE"}) {
    absl::StatusOr<UnitQuery> bad = ParseUnitQuery(filter);
    ASSERT_FALSE(bad.ok()) << filter;
    EXPECT_THAT(BadRequestFields(bad.status()), ElementsAre("filter")) << filter;
  }
}

TEST(DirectoryQueryTest, PrincipalQuery) {
  absl::StatusOr<PrincipalQuery> query =
      ParsePrincipalQuery("unit=units/nongye and role=unit_staff");
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->unit, "units/nongye");
  EXPECT_EQ(query->role, v1::ROLE_UNIT_STAFF);

  v1::Principal principal;
  principal.set_unit("units/nongye");
  principal.add_roles(v1::ROLE_INSPECTOR);
  EXPECT_FALSE(query->Matches(principal));
  principal.add_roles(v1::ROLE_UNIT_STAFF);
  EXPECT_TRUE(query->Matches(principal));
  principal.set_unit("units/ziran");
  EXPECT_FALSE(query->Matches(principal));

  for (const char* filter :
       {"role=BOSS", "role=ROLE_UNSPECIFIED", "unit=nongye", "kind=TOWNSHIP"}) {
    absl::StatusOr<PrincipalQuery> bad = ParsePrincipalQuery(filter);
    ASSERT_FALSE(bad.ok()) << filter;
    EXPECT_THAT(BadRequestFields(bad.status()), ElementsAre("filter")) << filter;
  }
}

}  // namespace
}  // namespace duban
