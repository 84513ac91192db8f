// What makes a unit or a principal valid, what an update may change, and
// the records the rules build.
#include "domain/directory_rules.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/time_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/status_testing.h"
#include "tests/support/fake_directory.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::FakeDirectory;
using ::testing::ElementsAreArray;

constexpr auto kOk = absl::StatusCode::kOk;
constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

const std::string kToken(64, 'a');

void ExpectFields(const absl::Status& status, absl::StatusCode code,
                  const std::vector<std::string>& fields, const std::string& label) {
  EXPECT_EQ(status.code(), code) << label << ": " << status;
  EXPECT_THAT(BadRequestFields(status), ElementsAreArray(fields)) << label;
}

TEST(DirectoryRulesTest, ValidateNewUnit) {
  using Edit = std::function<void(v1::Unit&)>;
  const Edit same = [](v1::Unit&) {};
  const auto kind = [](v1::UnitKind kind, std::string parent = "") {
    return [kind, parent](v1::Unit& u) {
      u.set_kind(kind);
      u.set_parent(parent);
    };
  };
  const struct {
    const char* label;
    std::string id;
    Edit edit;
    absl::StatusCode code;
    std::vector<std::string> fields;
  } kCases[] = {
      {"a department", "jiaoyu", same, kOk, {}},
      {"id with capitals", "Jiaoyu", same, kInvalid, {"unit_id"}},
      {"id starting with a digit", "1jiaoyu", same, kInvalid, {"unit_id"}},
      {"id ending with '-'", "jiaoyu-", same, kInvalid, {"unit_id"}},
      {"id with '_'", "jiao_yu", same, kInvalid, {"unit_id"}},
      {"empty id", "", same, kInvalid, {"unit_id"}},
      {"63-character id", std::string(63, 'j'), same, kOk, {}},
      {"64-character id", std::string(64, 'j'), same, kInvalid, {"unit_id"}},
      {"no display name",
       "jiaoyu",
       [](v1::Unit& u) { u.clear_display_name(); },
       kInvalid,
       {"unit.display_name"}},
      {"no kind", "jiaoyu", kind(v1::UNIT_KIND_UNSPECIFIED), kInvalid, {"unit.kind"}},
      {"kind out of range", "jiaoyu", kind(static_cast<v1::UnitKind>(99)), kInvalid, {"unit.kind"}},
      {"village of a township", "xijie", kind(v1::UNIT_KIND_VILLAGE, "units/chengguan"), kOk, {}},
      {"village without parent", "xijie", kind(v1::UNIT_KIND_VILLAGE), kInvalid, {"unit.parent"}},
      {"village of a department",
       "xijie",
       kind(v1::UNIT_KIND_VILLAGE, "units/nongye"),
       kInvalid,
       {"unit.parent"}},
      {"village of a village",
       "xijie",
       kind(v1::UNIT_KIND_VILLAGE, "units/chengguan-dongjie"),
       kInvalid,
       {"unit.parent"}},
      {"village of an unknown unit",
       "xijie",
       kind(v1::UNIT_KIND_VILLAGE, "units/nosuch"),
       kInvalid,
       {"unit.parent"}},
      {"department with a parent",
       "jiaoyu",
       kind(v1::UNIT_KIND_DEPARTMENT, "units/county"),
       kOk,
       {}},
      {"parent without prefix",
       "jiaoyu",
       kind(v1::UNIT_KIND_DEPARTMENT, "county"),
       kInvalid,
       {"unit.parent"}},
      {"township with tier and area",
       "dongxiang",
       [](v1::Unit& u) {
         u.set_kind(v1::UNIT_KIND_TOWNSHIP);
         u.set_tier(v1::TIER_FAR);
         u.set_area("南路");
       },
       kOk,
       {}},
      {"tier on a department",
       "jiaoyu",
       [](v1::Unit& u) { u.set_tier(v1::TIER_NEAR); },
       kInvalid,
       {"unit.tier"}},
      {"area on a department",
       "jiaoyu",
       [](v1::Unit& u) { u.set_area("南路"); },
       kInvalid,
       {"unit.area"}},
      {"tier out of range",
       "dongxiang",
       [](v1::Unit& u) {
         u.set_kind(v1::UNIT_KIND_TOWNSHIP);
         u.set_tier(static_cast<v1::Tier>(9));
       },
       kInvalid,
       {"unit.tier"}},
      {"an existing id with bad fields",
       "nongye",
       kind(v1::UNIT_KIND_UNSPECIFIED),
       kInvalid,
       {"unit.kind"}},
      {"an existing id", "nongye", same, absl::StatusCode::kAlreadyExists, {}},
  };
  FakeDirectory directory;
  for (const auto& c : kCases) {
    v1::Unit unit;
    unit.set_display_name("新单位");
    unit.set_kind(v1::UNIT_KIND_DEPARTMENT);
    c.edit(unit);
    const absl::Status status = ValidateNewUnit(c.id, unit, directory);
    ExpectFields(status, c.code, c.fields, c.label);
    if (c.code == absl::StatusCode::kAlreadyExists) {
      EXPECT_EQ(ErrorReason(status), "UNIT_EXISTS") << c.label;
    }
  }
}

TEST(DirectoryRulesTest, ValidateUnitUpdate) {
  FakeDirectory directory;
  directory.Add("bangongshi", v1::UNIT_KIND_DEPARTMENT, "county");
  directory.Add("mishuke", v1::UNIT_KIND_DEPARTMENT, "bangongshi");
  using Edit = std::function<void(v1::Unit&)>;
  const struct {
    const char* label;
    const char* current;
    Edit edit;  // applied to a copy of the current unit
    std::vector<std::string> fields;
  } kCases[] = {
      {"new display name", "units/chengguan", [](v1::Unit& u) { u.set_display_name("城关"); }, {}},
      {"kind left out",
       "units/chengguan",
       [](v1::Unit& u) { u.set_kind(v1::UNIT_KIND_UNSPECIFIED); },
       {}},
      {"tier on a township", "units/chengguan", [](v1::Unit& u) { u.set_tier(v1::TIER_FAR); }, {}},
      {"kind changed",
       "units/chengguan",
       [](v1::Unit& u) { u.set_kind(v1::UNIT_KIND_DEPARTMENT); },
       {"unit.kind"}},
      {"display name removed",
       "units/nongye",
       [](v1::Unit& u) { u.clear_display_name(); },
       {"unit.display_name"}},
      {"tier on a department",
       "units/nongye",
       [](v1::Unit& u) { u.set_tier(v1::TIER_FAR); },
       {"unit.tier"}},
      {"own parent",
       "units/nongye",
       [](v1::Unit& u) { u.set_parent("units/nongye"); },
       {"unit.parent", "unit.parent"}},
      {"parent is its own child",
       "units/chengguan",
       [](v1::Unit& u) { u.set_parent("units/chengguan-dongjie"); },
       {"unit.parent"}},
      {"parent is a grandchild",
       "units/county",
       [](v1::Unit& u) { u.set_parent("units/mishuke"); },
       {"unit.parent"}},
      {"a parent outside the chain",
       "units/mishuke",
       [](v1::Unit& u) { u.set_parent("units/nongye"); },
       {}},
      {"village moved to a department",
       "units/chengguan-dongjie",
       [](v1::Unit& u) { u.set_parent("units/nongye"); },
       {"unit.parent"}},
      {"village without parent",
       "units/chengguan-dongjie",
       [](v1::Unit& u) { u.clear_parent(); },
       {"unit.parent"}},
  };
  for (const auto& c : kCases) {
    std::optional<v1::Unit> current = directory.FindUnit(c.current);
    ASSERT_TRUE(current.has_value()) << c.label;
    v1::Unit update = *current;
    c.edit(update);
    ExpectFields(ValidateUnitUpdate(*current, update, directory), c.fields.empty() ? kOk : kInvalid,
                 c.fields, c.label);
  }
}

TEST(DirectoryRulesTest, ValidateUnitUpdateFindsALoopThroughALongChain) {
  FakeDirectory directory;
  directory.Add("zu0", v1::UNIT_KIND_DEPARTMENT, "county");
  for (int i = 1; i < 100; ++i) {
    directory.Add(absl::StrCat("zu", i), v1::UNIT_KIND_DEPARTMENT, absl::StrCat("zu", i - 1));
  }
  const v1::Unit current = *directory.FindUnit("units/zu0");
  v1::Unit update = current;
  update.set_parent("units/zu99");
  ExpectFields(ValidateUnitUpdate(current, update, directory), kInvalid, {"unit.parent"},
               "a loop 100 units long");
}

TEST(DirectoryRulesTest, ValidatePrincipal) {
  using Edit = std::function<void(v1::Principal&)>;
  const struct {
    const char* label;
    Edit edit;
    bool token_required;
    std::vector<std::string> fields;
  } kCases[] = {
      {"a leader", [](v1::Principal&) {}, true, {}},
      {"no display name",
       [](v1::Principal& p) { p.clear_display_name(); },
       true,
       {"principal.display_name"}},
      {"no roles", [](v1::Principal& p) { p.clear_roles(); }, true, {"principal.roles"}},
      {"role unspecified",
       [](v1::Principal& p) { p.set_roles(0, v1::ROLE_UNSPECIFIED); },
       true,
       {"principal.roles[0]"}},
      {"unknown role",
       [](v1::Principal& p) { p.set_roles(0, static_cast<v1::Role>(99)); },
       true,
       {"principal.roles[0]"}},
      {"role twice",
       [](v1::Principal& p) { p.add_roles(v1::ROLE_LEADER); },
       true,
       {"principal.roles[1]"}},
      {"two roles", [](v1::Principal& p) { p.add_roles(v1::ROLE_ADMIN); }, true, {}},
      {"unit staff without unit",
       [](v1::Principal& p) {
         p.set_roles(0, v1::ROLE_UNIT_STAFF);
         p.clear_unit();
       },
       true,
       {"principal.unit"}},
      {"unit staff with unit",
       [](v1::Principal& p) { p.set_roles(0, v1::ROLE_UNIT_STAFF); },
       true,
       {}},
      {"leader without unit", [](v1::Principal& p) { p.clear_unit(); }, true, {}},
      {"unknown unit",
       [](v1::Principal& p) { p.set_unit("units/nosuch"); },
       true,
       {"principal.unit"}},
      {"token of 63 digits",
       [](v1::Principal& p) { p.set_token_sha256(std::string(63, 'a')); },
       true,
       {"principal.token_sha256"}},
      {"token of 65 digits",
       [](v1::Principal& p) { p.set_token_sha256(std::string(65, 'a')); },
       true,
       {"principal.token_sha256"}},
      {"token in capitals",
       [](v1::Principal& p) { p.set_token_sha256(std::string(64, 'A')); },
       true,
       {"principal.token_sha256"}},
      {"token not hex",
       [](v1::Principal& p) { p.set_token_sha256(std::string(64, 'g')); },
       true,
       {"principal.token_sha256"}},
      {"no token where one is required",
       [](v1::Principal& p) { p.clear_token_sha256(); },
       true,
       {"principal.token_sha256"}},
      {"no token where none is required",
       [](v1::Principal& p) { p.clear_token_sha256(); },
       false,
       {}},
  };
  FakeDirectory directory;
  for (const auto& c : kCases) {
    v1::Principal principal;
    principal.set_display_name("李明");
    principal.add_roles(v1::ROLE_LEADER);
    principal.set_unit("units/county");
    principal.set_token_sha256(kToken);
    c.edit(principal);
    ExpectFields(ValidatePrincipal("principal.", principal, c.token_required, directory),
                 c.fields.empty() ? kOk : kInvalid, c.fields, c.label);
  }
}

TEST(DirectoryRulesTest, ValidatePrincipalUsesTheFieldPrefix) {
  FakeDirectory directory;
  v1::Principal principal;
  principal.set_display_name("x");
  EXPECT_THAT(BadRequestFields(ValidatePrincipal("principals[3].", principal, false, directory)),
              ElementsAreArray({"principals[3].roles"}));
  EXPECT_THAT(BadRequestFields(ValidatePrincipal("", principal, false, directory)),
              ElementsAreArray({"roles"}));
}

// The checks a directory request passes before the directory is read.
TEST(DirectoryRulesTest, RequestsNameTheirBadIdOrName) {
  FakeDirectory directory;
  v1::Principal valid;
  valid.set_name("principals/li");
  valid.set_display_name("李明");
  valid.add_roles(v1::ROLE_LEADER);
  valid.set_token_sha256(kToken);
  const auto create_unit = [](const std::string& id) {
    v1::CreateUnitRequest request;
    request.set_unit_id(id);
    return Validate(request);
  };
  const auto update_unit = [](const std::string& name) {
    v1::UpdateUnitRequest request;
    request.mutable_unit()->set_name(name);
    return Validate(request);
  };
  const auto get_unit = [](const std::string& name) {
    v1::GetUnitRequest request;
    request.set_name(name);
    return Validate(request);
  };
  const auto create_principal = [&](const std::string& id, const v1::Principal& principal) {
    v1::CreatePrincipalRequest request;
    request.set_principal_id(id);
    *request.mutable_principal() = principal;
    return Validate(request, directory);
  };
  const auto update_principal = [&](const v1::Principal& principal) {
    v1::UpdatePrincipalRequest request;
    *request.mutable_principal() = principal;
    return Validate(request, directory);
  };
  const auto get_principal = [](const std::string& name) {
    v1::GetPrincipalRequest request;
    request.set_name(name);
    return Validate(request);
  };
  v1::Principal nameless = valid;
  nameless.clear_name();
  v1::Principal no_token = valid;
  no_token.clear_token_sha256();
  v1::Principal bad_name_and_roles = valid;
  bad_name_and_roles.set_name("units/li");
  bad_name_and_roles.clear_roles();
  v1::Principal bad_roles_and_token = valid;
  bad_roles_and_token.clear_roles();
  bad_roles_and_token.set_token_sha256("x");
  const std::string kIdRule = "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter";
  const struct {
    const char* label;
    absl::Status status;
    std::vector<std::string> fields;
    std::string message;
  } kCases[] = {
      {"CreateUnit", create_unit("jiaoyu"), {}, ""},
      {"CreateUnit, bad id", create_unit("Jiaoyu"), {"unit_id"}, "unit_id: " + kIdRule},
      {"UpdateUnit", update_unit("units/nongye"), {}, ""},
      {"UpdateUnit, no name",
       update_unit(""),
       {"unit.name"},
       "unit.name: must be a unit name like units/nongye"},
      {"GetUnit", get_unit("units/nosuch"), {}, ""},
      {"GetUnit, a principal's name",
       get_unit("principals/li"),
       {"name"},
       "name: must be a unit name like units/nongye"},
      {"CreatePrincipal", create_principal("li", nameless), {}, ""},
      {"CreatePrincipal, bad id",
       create_principal("li_1", nameless),
       {"principal_id"},
       "principal_id: " + kIdRule},
      // The id is refused alone, before the principal's fields.
      {"CreatePrincipal, bad id and no roles",
       create_principal("", bad_roles_and_token),
       {"principal_id"},
       "principal_id: " + kIdRule},
      {"CreatePrincipal, no token",
       create_principal("li", no_token),
       {"principal.token_sha256"},
       "principal.token_sha256: is required"},
      {"CreatePrincipal, no roles and a bad token",
       create_principal("li", bad_roles_and_token),
       {"principal.roles", "principal.token_sha256"},
       ""},
      {"UpdatePrincipal", update_principal(valid), {}, ""},
      {"UpdatePrincipal, keeping the token", update_principal(no_token), {}, ""},
      {"UpdatePrincipal, no name",
       update_principal(nameless),
       {"principal.name"},
       "principal.name: must be a principal name like principals/li"},
      {"UpdatePrincipal, bad name and no roles",
       update_principal(bad_name_and_roles),
       {"principal.name"},
       "principal.name: must be a principal name like principals/li"},
      {"GetPrincipal", get_principal("principals/li"), {}, ""},
      {"GetPrincipal, a unit's name",
       get_principal("units/li"),
       {"name"},
       "name: must be a principal name like principals/li"},
  };
  for (const auto& c : kCases) {
    ExpectFields(c.status, c.fields.empty() ? kOk : kInvalid, c.fields, c.label);
    if (!c.message.empty()) EXPECT_EQ(c.status.message(), c.message) << c.label;
  }
}

TEST(DirectoryRulesTest, ValidateKnownUnit) {
  FakeDirectory directory;
  EXPECT_TRUE(ValidateKnownUnit("unit", "units/nongye", directory).ok());

  const absl::Status malformed = ValidateKnownUnit("unit", "nongye", directory);
  ExpectFields(malformed, kInvalid, {"unit"}, "malformed");
  EXPECT_EQ(malformed.message(), "unit: must be a unit name like units/nongye");

  const absl::Status missing = ValidateKnownUnit("unit", "units/nosuch", directory);
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorReason(missing), "UNIT_NOT_FOUND");
  EXPECT_EQ(missing.message(), "no units/nosuch");
  EXPECT_THAT(BadRequestFields(missing), ::testing::IsEmpty());
}

TEST(DirectoryRulesTest, RedactedDropsOnlyTheTokenHash) {
  v1::Principal principal;
  principal.set_name("principals/li");
  principal.set_display_name("李明");
  principal.add_roles(v1::ROLE_LEADER);
  principal.set_unit("units/county");
  principal.set_token_sha256(kToken);
  principal.set_etag("3");
  const v1::Principal shown = Redacted(principal);
  EXPECT_TRUE(shown.token_sha256().empty());
  v1::Principal expected = principal;
  expected.clear_token_sha256();
  EXPECT_EQ(shown.SerializeAsString(), expected.SerializeAsString());
}

TEST(DirectoryRulesTest, StoredRecordsCountTheirRevisions) {
  const absl::Time created = absl::FromUnixSeconds(1700000000);
  const absl::Time updated = created + absl::Hours(1);

  v1::Unit input;
  input.set_display_name("教育局");
  input.set_kind(v1::UNIT_KIND_DEPARTMENT);
  input.set_etag("99");
  const v1::Unit unit = NewUnit("jiaoyu", input, created);
  EXPECT_EQ(unit.name(), "units/jiaoyu");
  EXPECT_EQ(unit.etag(), "1");
  EXPECT_EQ(FromTimestamp(unit.create_time()), created);

  v1::Unit update = unit;
  update.set_display_name("县教育局");
  update.set_kind(v1::UNIT_KIND_TOWNSHIP);  // ignored: the kind never changes
  const v1::Unit changed = UpdatedUnit(unit, update, updated);
  EXPECT_EQ(changed.display_name(), "县教育局");
  EXPECT_EQ(changed.kind(), v1::UNIT_KIND_DEPARTMENT);
  EXPECT_EQ(changed.etag(), "2");
  EXPECT_EQ(FromTimestamp(changed.create_time()), created);
  EXPECT_EQ(FromTimestamp(changed.update_time()), updated);

  v1::Principal person;
  person.set_display_name("李明");
  person.add_roles(v1::ROLE_LEADER);
  person.set_token_sha256(kToken);
  const v1::Principal stored = NewPrincipal("li", person, created);
  EXPECT_EQ(stored.name(), "principals/li");
  EXPECT_EQ(stored.etag(), "1");
  v1::Principal no_token = stored;
  no_token.clear_token_sha256();
  no_token.set_display_name("李明（副县长）");
  const v1::Principal kept = UpdatedPrincipal(stored, no_token, updated);
  EXPECT_EQ(kept.token_sha256(), kToken) << "an update without a token keeps the old one";
  EXPECT_EQ(kept.display_name(), "李明（副县长）");
  EXPECT_EQ(kept.etag(), "2");
  v1::Principal new_token = stored;
  new_token.set_token_sha256(std::string(64, 'b'));
  EXPECT_EQ(UpdatedPrincipal(stored, new_token, updated).token_sha256(), std::string(64, 'b'));
}

}  // namespace
}  // namespace duban
