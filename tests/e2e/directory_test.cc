// The directory over real gRPC: units and principals created and updated by
// an administrator, with etags, request ids and validation.
#include <gtest/gtest.h>

#include "base/sha256.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

class DirectoryTest : public ::testing::Test {
 protected:
  TestServer server_;
  RpcClient client_{server_};
};

TEST_F(DirectoryTest, DemoCountyHasTownshipsInThreeTiers) {
  for (const char* tier : {"NEAR", "MIDDLE", "FAR"}) {
    v1::ListUnitsRequest request;
    request.set_filter(std::string("kind=TOWNSHIP AND tier=") + tier);
    v1::ListUnitsResponse response;
    ASSERT_TRUE(client_.Call("leader", &Directory::ListUnits, request, &response).ok());
    EXPECT_GE(response.units_size(), 4) << tier;
  }
  v1::ListUnitsRequest townships;
  townships.set_filter("kind=TOWNSHIP");
  v1::ListUnitsResponse response;
  ASSERT_TRUE(client_.Call("leader", &Directory::ListUnits, townships, &response).ok());
  EXPECT_EQ(response.units_size(), 13);
  v1::ListUnitsRequest villages;
  villages.set_filter("parent=units/chengguan");
  ASSERT_TRUE(client_.Call("leader", &Directory::ListUnits, villages, &response).ok());
  EXPECT_EQ(response.units_size(), 3);
}

TEST_F(DirectoryTest, AdminCreatesAndUpdatesAUnitWithEtag) {
  v1::CreateUnitRequest create;
  create.set_unit_id("xinzhen");
  create.mutable_unit()->set_display_name("新镇");
  create.mutable_unit()->set_kind(v1::UNIT_KIND_TOWNSHIP);
  create.mutable_unit()->set_tier(v1::TIER_FAR);
  create.mutable_unit()->set_area("东路");
  create.set_request_id("unit-xinzhen");
  v1::Unit unit;
  ASSERT_TRUE(client_.Call("admin", &Directory::CreateUnit, create, &unit).ok());
  EXPECT_EQ(unit.name(), "units/xinzhen");
  v1::Unit retried;
  ASSERT_TRUE(client_.Call("admin", &Directory::CreateUnit, create, &retried).ok());
  EXPECT_EQ(retried.etag(), unit.etag());

  create.clear_request_id();
  grpc::Status again = client_.Call("admin", &Directory::CreateUnit, create, &retried);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);

  v1::UpdateUnitRequest update;
  *update.mutable_unit() = unit;
  update.mutable_unit()->set_tier(v1::TIER_MIDDLE);
  v1::Unit updated;
  ASSERT_TRUE(client_.Call("admin", &Directory::UpdateUnit, update, &updated).ok());
  EXPECT_EQ(updated.tier(), v1::TIER_MIDDLE);
  EXPECT_NE(updated.etag(), unit.etag());
  grpc::Status stale = client_.Call("admin", &Directory::UpdateUnit, update, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);

  v1::CreateUnitRequest village;
  village.set_unit_id("xinzhen-dawan");
  village.mutable_unit()->set_display_name("大湾村");
  village.mutable_unit()->set_kind(v1::UNIT_KIND_VILLAGE);
  village.mutable_unit()->set_parent("units/nongye");  // a department, not a township
  grpc::Status bad = client_.Call("admin", &Directory::CreateUnit, village, &unit);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(bad), std::vector<std::string>{"unit.parent"});
}

TEST_F(DirectoryTest, NewPrincipalActsWithItsTokenAndTokenChangesTakeEffect) {
  v1::CreatePrincipalRequest create;
  create.set_principal_id("li-ducha");
  create.mutable_principal()->set_display_name("李督查员");
  create.mutable_principal()->add_roles(v1::ROLE_INSPECTOR);
  create.mutable_principal()->set_unit("units/ducha");
  create.mutable_principal()->set_token_sha256(Sha256Hex("first-token"));
  v1::Principal principal;
  ASSERT_TRUE(client_.Call("admin", &Directory::CreatePrincipal, create, &principal).ok());
  EXPECT_TRUE(principal.token_sha256().empty());
  client_.MustCreate("first-token", FindingRequest());

  v1::UpdatePrincipalRequest update;
  *update.mutable_principal() = principal;
  update.mutable_principal()->set_token_sha256(Sha256Hex("second-token"));
  ASSERT_TRUE(client_.Call("admin", &Directory::UpdatePrincipal, update, &principal).ok());
  v1::Ticket ticket;
  EXPECT_EQ(
      client_.Call("first-token", &Tickets::CreateTicket, FindingRequest(), &ticket).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  client_.MustCreate("second-token", FindingRequest());

  create.set_principal_id("copycat");
  create.mutable_principal()->set_token_sha256(Sha256Hex("second-token"));
  EXPECT_EQ(client_.Call("admin", &Directory::CreatePrincipal, create, &principal).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  create.set_principal_id("staff-without-unit");
  create.mutable_principal()->clear_roles();
  create.mutable_principal()->add_roles(v1::ROLE_UNIT_STAFF);
  create.mutable_principal()->clear_unit();
  create.mutable_principal()->set_token_sha256(Sha256Hex("third"));
  grpc::Status bad = client_.Call("admin", &Directory::CreatePrincipal, create, &principal);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(bad), std::vector<std::string>{"principal.unit"});
}

}  // namespace
}  // namespace duban::testing
