// DirectoryStore: units and principals on disk and in memory.
#include "storage/directory_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "domain/directory_rules.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

// A token hash: 64 copies of a hex digit.
std::string Token(char digit) { return std::string(64, digit); }

v1::Unit MakeUnit(const std::string& id, v1::UnitKind kind, const std::string& parent = "",
                  v1::Tier tier = v1::TIER_UNSPECIFIED) {
  v1::Unit unit;
  unit.set_name(UnitName(id));
  unit.set_display_name(id);
  unit.set_kind(kind);
  unit.set_parent(parent.empty() ? "" : UnitName(parent));
  unit.set_tier(tier);
  unit.set_etag("1");
  return unit;
}

v1::Principal MakePrincipal(const std::string& id, std::vector<v1::Role> roles,
                            const std::string& unit, char token) {
  v1::Principal principal;
  principal.set_name(PrincipalName(id));
  principal.set_display_name(id);
  for (v1::Role role : roles) principal.add_roles(role);
  principal.set_unit(unit.empty() ? "" : UnitName(unit));
  principal.set_token_sha256(Token(token));
  principal.set_etag("1");
  return principal;
}

std::vector<v1::Unit> SeedUnits() {
  return {MakeUnit("county", v1::UNIT_KIND_LEADERSHIP),
          MakeUnit("ducha", v1::UNIT_KIND_INSPECTION),
          MakeUnit("nongye", v1::UNIT_KIND_DEPARTMENT),
          MakeUnit("ziran", v1::UNIT_KIND_DEPARTMENT),
          MakeUnit("anle", v1::UNIT_KIND_TOWNSHIP, "county", v1::TIER_NEAR),
          MakeUnit("baishui", v1::UNIT_KIND_TOWNSHIP, "county", v1::TIER_FAR),
          MakeUnit("chengguan", v1::UNIT_KIND_TOWNSHIP, "county", v1::TIER_NEAR),
          MakeUnit("dongshan", v1::UNIT_KIND_TOWNSHIP, "county", v1::TIER_MIDDLE),
          MakeUnit("anle-cun", v1::UNIT_KIND_VILLAGE, "anle"),
          MakeUnit("chengguan-dongjie", v1::UNIT_KIND_VILLAGE, "chengguan"),
          MakeUnit("chengguan-xijie", v1::UNIT_KIND_VILLAGE, "chengguan")};
}

std::vector<v1::Principal> SeedPrincipals() {
  return {MakePrincipal("leader", {v1::ROLE_LEADER}, "county", '1'),
          MakePrincipal("inspector", {v1::ROLE_INSPECTOR}, "ducha", '2'),
          MakePrincipal("inspector-two", {v1::ROLE_INSPECTOR, v1::ROLE_ESCALATOR}, "ducha", '3'),
          MakePrincipal("staff-nongye", {v1::ROLE_UNIT_STAFF}, "nongye", '4'),
          MakePrincipal("staff-anle", {v1::ROLE_UNIT_STAFF}, "anle", '5'),
          MakePrincipal("admin", {v1::ROLE_ADMIN, v1::ROLE_INSPECTOR}, "", '6')};
}

class DirectoryStoreTest : public StoreFixture {
 protected:
  void Seed() { ASSERT_TRUE(directory_->PutAll(SeedUnits(), SeedPrincipals()).ok()); }

  absl::StatusOr<v1::Principal> PutToken(const std::string& id, char token,
                                         const RequestKey& key = RequestKey{}) {
    return directory_->PutPrincipal(
        PrincipalName(id), key, now_,
        [&](const v1::Principal* current) -> absl::StatusOr<v1::Principal> {
          v1::Principal update =
              current ? *current : MakePrincipal(id, {v1::ROLE_INSPECTOR}, "", token);
          update.set_token_sha256(Token(token));
          return current ? UpdatedPrincipal(*current, update, now_)
                         : NewPrincipal(id, update, now_);
        });
  }

  std::vector<std::string> AllUnitNames(const UnitQuery& query, int page_size) {
    std::vector<std::string> names;
    std::string token;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<UnitPage> page = directory_->ListUnits(query, page_size, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(page->units.size(), static_cast<size_t>(page_size));
      for (const v1::Unit& unit : page->units) names.push_back(unit.name());
      token = page->next_page_token;
      if (token.empty()) return names;
    }
    ADD_FAILURE() << "ListUnits never ran out of pages";
    return names;
  }

  std::vector<std::string> AllPrincipalNames(const PrincipalQuery& query, int page_size) {
    std::vector<std::string> names;
    std::string token;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<PrincipalPage> page = directory_->ListPrincipals(query, page_size, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(page->principals.size(), static_cast<size_t>(page_size));
      for (const v1::Principal& principal : page->principals) names.push_back(principal.name());
      token = page->next_page_token;
      if (token.empty()) return names;
    }
    ADD_FAILURE() << "ListPrincipals never ran out of pages";
    return names;
  }
};

TEST_F(DirectoryStoreTest, PutUnitCreatesThenUpdates) {
  EXPECT_TRUE(directory_->empty());
  v1::Unit input = MakeUnit("xinzhen", v1::UNIT_KIND_TOWNSHIP, "", v1::TIER_FAR);
  int calls = 0;
  ASSERT_OK_AND_ASSIGN(
      v1::Unit created,
      directory_->PutUnit("units/xinzhen", RequestKey{}, now_, [&](const v1::Unit* current) {
        ++calls;
        EXPECT_EQ(current, nullptr);
        return absl::StatusOr<v1::Unit>(NewUnit("xinzhen", input, now_));
      }));
  EXPECT_EQ(created.etag(), "1");
  EXPECT_FALSE(directory_->empty());

  input.set_display_name("Xinzhen town");
  input.set_tier(v1::TIER_MIDDLE);
  ASSERT_OK_AND_ASSIGN(
      v1::Unit updated,
      directory_->PutUnit("units/xinzhen", RequestKey{}, now_, [&](const v1::Unit* current) {
        ++calls;
        EXPECT_NE(current, nullptr);
        if (current == nullptr) return absl::StatusOr<v1::Unit>(absl::InternalError("no unit"));
        EXPECT_EQ(current->etag(), "1");
        return absl::StatusOr<v1::Unit>(UpdatedUnit(*current, input, now_));
      }));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(updated.etag(), "2");
  std::optional<v1::Unit> found = directory_->FindUnit("units/xinzhen");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->SerializeAsString(), updated.SerializeAsString());
  EXPECT_EQ(found->tier(), v1::TIER_MIDDLE);
  EXPECT_FALSE(directory_->FindUnit("units/xinzhe").has_value());
}

TEST_F(DirectoryStoreTest, RefusedUnitWriteChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const auto before = Dump(*database_, Family::kDirectory);
  const std::optional<v1::Unit> nongye = directory_->FindUnit("units/nongye");
  struct Case {
    const char* what;
    std::function<absl::StatusOr<v1::Unit>(const v1::Unit*)> write;
    absl::StatusCode code;
  };
  const Case cases[] = {
      {"writer refuses",
       [](const v1::Unit*) -> absl::StatusOr<v1::Unit> {
         return absl::AbortedError("etag mismatch");
       },
       absl::StatusCode::kAborted},
      {"writer renames",
       [](const v1::Unit* current) -> absl::StatusOr<v1::Unit> {
         v1::Unit renamed = *current;
         renamed.set_name("units/other");
         return renamed;
       },
       absl::StatusCode::kInternal},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::Unit> result = directory_->PutUnit(
        "units/nongye", RequestKey{.principal = "principals/admin", .request_id = c.what}, now_,
        [&](const v1::Unit* current) { return c.write(current); });
    EXPECT_EQ(result.status().code(), c.code) << c.what;
    EXPECT_TRUE(Dump(*database_, Family::kDirectory) == before) << c.what;
    EXPECT_EQ(directory_->FindUnit("units/nongye")->SerializeAsString(),
              nongye->SerializeAsString())
        << c.what;
    EXPECT_FALSE(directory_->FindUnit("units/other").has_value()) << c.what;
  }
  EXPECT_TRUE(Dump(*database_, Family::kRequests).empty());
}

TEST_F(DirectoryStoreTest, RetriedPutAnswersAsTheFirstTime) {
  const RequestKey key{.principal = "principals/admin", .request_id = "u-1", .fingerprint = "f"};
  int calls = 0;
  auto put = [&](const std::string& display_name) {
    return directory_->PutUnit("units/xinzhen", key, now_, [&](const v1::Unit* current) {
      ++calls;
      v1::Unit input = MakeUnit("xinzhen", v1::UNIT_KIND_TOWNSHIP);
      input.set_display_name(display_name);
      return current ? UpdatedUnit(*current, input, now_) : NewUnit("xinzhen", input, now_);
    });
  };
  ASSERT_OK_AND_ASSIGN(v1::Unit first, put("first"));
  ASSERT_OK_AND_ASSIGN(v1::Unit second, put("second"));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(directory_->FindUnit("units/xinzhen")->display_name(), "first");
}

TEST_F(DirectoryStoreTest, TokenLookupFollowsTokenChanges) {
  ASSERT_OK_AND_ASSIGN(v1::Principal created, PutToken("li", 'a'));
  EXPECT_EQ(created.token_sha256(), Token('a'));
  ASSERT_TRUE(directory_->FindPrincipalByToken(Token('a')).has_value());
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('a'))->name(), "principals/li");
  // Principals come back with their token hash.
  EXPECT_EQ(directory_->FindPrincipal("principals/li")->token_sha256(), Token('a'));

  ASSERT_OK_AND_ASSIGN(v1::Principal changed, PutToken("li", 'b'));
  EXPECT_EQ(changed.etag(), "2");
  EXPECT_FALSE(directory_->FindPrincipalByToken(Token('a')).has_value());
  ASSERT_TRUE(directory_->FindPrincipalByToken(Token('b')).has_value());
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('b'))->etag(), "2");

  // An update without a token keeps the one there is.
  ASSERT_TRUE(directory_
                  ->PutPrincipal("principals/li", RequestKey{}, now_,
                                 [&](const v1::Principal* current) {
                                   v1::Principal update = *current;
                                   update.clear_token_sha256();
                                   update.set_display_name("Li Ming");
                                   return UpdatedPrincipal(*current, update, now_);
                                 })
                  .ok());
  ASSERT_TRUE(directory_->FindPrincipalByToken(Token('b')).has_value());
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('b'))->display_name(), "Li Ming");

  // The token li gave up is free for someone else.
  ASSERT_TRUE(PutToken("wang", 'a').ok());
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('a'))->name(), "principals/wang");
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('b'))->name(), "principals/li");
}

TEST_F(DirectoryStoreTest, TokenOfAnotherPrincipalIsAlreadyExists) {
  ASSERT_TRUE(PutToken("li", 'a').ok());
  ASSERT_TRUE(PutToken("wang", 'b').ok());
  const auto before = Dump(*database_, Family::kDirectory);
  struct Case {
    const char* what;
    std::string id;
  };
  for (const Case& c : {Case{"new principal", "zhao"}, Case{"existing principal", "wang"}}) {
    absl::StatusOr<v1::Principal> refused = PutToken(c.id, 'a');
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists) << c.what;
    EXPECT_EQ(ErrorReason(refused.status()), "TOKEN_IN_USE") << c.what;
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("token")) << c.what;
    EXPECT_TRUE(Dump(*database_, Family::kDirectory) == before) << c.what;
    EXPECT_EQ(directory_->FindPrincipalByToken(Token('a'))->name(), "principals/li") << c.what;
  }
  EXPECT_FALSE(directory_->FindPrincipal("principals/zhao").has_value());
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('b'))->name(), "principals/wang");
  EXPECT_EQ(directory_->FindPrincipal("principals/wang")->token_sha256(), Token('b'));
}

TEST_F(DirectoryStoreTest, ConcurrentClaimsOfOneTokenLetOneWin) {
  constexpr int kThreads = 6;
  std::vector<absl::StatusCode> codes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back(
        [&, t] { codes[t] = PutToken(absl::StrCat("p", t), 'd').status().code(); });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), absl::StatusCode::kOk), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), absl::StatusCode::kAlreadyExists), kThreads - 1);
  std::optional<v1::Principal> winner = directory_->FindPrincipalByToken(Token('d'));
  ASSERT_TRUE(winner.has_value());
  EXPECT_EQ(AllPrincipalNames({}, 100), std::vector<std::string>{winner->name()});
}

TEST_F(DirectoryStoreTest, ListUnitsFiltersAndPages) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  struct Case {
    const char* what;
    UnitQuery query;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"all",
       {},
       {"units/anle", "units/anle-cun", "units/baishui", "units/chengguan",
        "units/chengguan-dongjie", "units/chengguan-xijie", "units/county", "units/dongshan",
        "units/ducha", "units/nongye", "units/ziran"}},
      {"townships",
       {.kind = v1::UNIT_KIND_TOWNSHIP},
       {"units/anle", "units/baishui", "units/chengguan", "units/dongshan"}},
      {"villages of chengguan",
       {.parent = "units/chengguan"},
       {"units/chengguan-dongjie", "units/chengguan-xijie"}},
      {"near townships",
       {.kind = v1::UNIT_KIND_TOWNSHIP, .tier = v1::TIER_NEAR},
       {"units/anle", "units/chengguan"}},
      {"far", {.tier = v1::TIER_FAR}, {"units/baishui"}},
      {"no such kind", {.kind = v1::UNIT_KIND_DISCIPLINE}, {}},
  };
  for (const Case& c : cases) {
    for (int page_size : {1, 2, 3, 100}) {
      EXPECT_EQ(AllUnitNames(c.query, page_size), c.expected)
          << c.what << ", page_size " << page_size;
    }
  }
  ASSERT_OK_AND_ASSIGN(UnitPage first,
                       directory_->ListUnits({.kind = v1::UNIT_KIND_TOWNSHIP}, 1, ""));
  ASSERT_FALSE(first.next_page_token.empty());
  for (const UnitQuery& other : {UnitQuery{}, UnitQuery{.kind = v1::UNIT_KIND_VILLAGE},
                                 UnitQuery{.kind = v1::UNIT_KIND_TOWNSHIP, .tier = v1::TIER_FAR}}) {
    absl::StatusOr<UnitPage> reused = directory_->ListUnits(other, 1, first.next_page_token);
    EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument) << other.Canonical();
    EXPECT_THAT(std::string(reused.status().message()), HasSubstr("page_token"));
  }
  // A principals token is not a units token.
  ASSERT_OK_AND_ASSIGN(PrincipalPage principals, directory_->ListPrincipals({}, 1, ""));
  ASSERT_FALSE(principals.next_page_token.empty());
  EXPECT_EQ(directory_->ListUnits({}, 1, principals.next_page_token).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(directory_->ListUnits({}, 1, "garbage!").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(DirectoryStoreTest, ListPrincipalsFiltersAndPages) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  struct Case {
    const char* what;
    PrincipalQuery query;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"all",
       {},
       {"principals/admin", "principals/inspector", "principals/inspector-two", "principals/leader",
        "principals/staff-anle", "principals/staff-nongye"}},
      {"of ducha", {.unit = "units/ducha"}, {"principals/inspector", "principals/inspector-two"}},
      {"inspectors",
       {.role = v1::ROLE_INSPECTOR},
       {"principals/admin", "principals/inspector", "principals/inspector-two"}},
      {"unit staff of anle",
       {.unit = "units/anle", .role = v1::ROLE_UNIT_STAFF},
       {"principals/staff-anle"}},
      {"escalators", {.role = v1::ROLE_ESCALATOR}, {"principals/inspector-two"}},
      {"nobody", {.unit = "units/ziran"}, {}},
  };
  for (const Case& c : cases) {
    for (int page_size : {1, 2, 5, 100}) {
      EXPECT_EQ(AllPrincipalNames(c.query, page_size), c.expected)
          << c.what << ", page_size " << page_size;
    }
  }
  ASSERT_OK_AND_ASSIGN(PrincipalPage first,
                       directory_->ListPrincipals({.role = v1::ROLE_INSPECTOR}, 1, ""));
  ASSERT_FALSE(first.next_page_token.empty());
  absl::StatusOr<PrincipalPage> reused =
      directory_->ListPrincipals({.role = v1::ROLE_LEADER}, 1, first.next_page_token);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(DirectoryStoreTest, PutAllReplacesRecordsOfTheSameName) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  v1::Unit renamed = MakeUnit("nongye", v1::UNIT_KIND_DEPARTMENT);
  renamed.set_display_name("农业农村局");
  v1::Principal rekeyed = MakePrincipal("leader", {v1::ROLE_LEADER, v1::ROLE_ADMIN}, "county", '9');
  ASSERT_TRUE(directory_->PutAll({renamed}, {rekeyed}).ok());

  EXPECT_EQ(directory_->FindUnit("units/nongye")->display_name(), "农业农村局");
  EXPECT_FALSE(directory_->FindPrincipalByToken(Token('1')).has_value());
  ASSERT_TRUE(directory_->FindPrincipalByToken(Token('9')).has_value());
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('9'))->roles_size(), 2);
  EXPECT_EQ(AllUnitNames({}, 100).size(), SeedUnits().size());
  EXPECT_EQ(AllPrincipalNames({}, 100).size(), SeedPrincipals().size());
}

// PutAll may hand a principal the token another one gives up in the same
// call; the in-memory token index must then say what the disk says.
TEST_F(DirectoryStoreTest, PutAllMovesATokenBetweenPrincipals) {
  ASSERT_TRUE(directory_
                  ->PutAll({}, {MakePrincipal("xu", {v1::ROLE_INSPECTOR}, "", 'a'),
                                MakePrincipal("yang", {v1::ROLE_INSPECTOR}, "", 'b')})
                  .ok());
  // yang takes xu's token; xu gets a new one. yang comes first.
  ASSERT_TRUE(directory_
                  ->PutAll({}, {MakePrincipal("yang", {v1::ROLE_INSPECTOR}, "", 'a'),
                                MakePrincipal("xu", {v1::ROLE_INSPECTOR}, "", 'c')})
                  .ok());
  struct Case {
    char token;
    const char* holder;  // "" for nobody
  };
  const Case cases[] = {{'a', "principals/yang"}, {'b', ""}, {'c', "principals/xu"}};
  for (int pass = 0; pass < 2; ++pass) {
    const char* when = pass == 0 ? "before reopen" : "after reopen";
    for (const Case& c : cases) {
      std::optional<v1::Principal> found = directory_->FindPrincipalByToken(Token(c.token));
      EXPECT_EQ(found ? found->name() : "", c.holder) << "token " << c.token << ", " << when;
    }
    ASSERT_NO_FATAL_FAILURE(ReopenStores());
  }
}

// What the escalation ladder asks the directory: every unit of one kind, by
// name, following writes and reopening.
TEST_F(DirectoryStoreTest, UnitsOfKindFollowsWritesAndReopen) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const auto names_of_kind = [&](v1::UnitKind kind) {
    std::vector<std::string> names;
    for (const v1::Unit& unit : directory_->UnitsOfKind(kind)) {
      EXPECT_EQ(unit.kind(), kind) << unit.name();
      names.push_back(unit.name());
    }
    return names;
  };
  struct Case {
    v1::UnitKind kind;
    std::vector<std::string> expected;
  };
  const std::vector<Case> seeded = {
      {v1::UNIT_KIND_LEADERSHIP, {"units/county"}},
      {v1::UNIT_KIND_TOWNSHIP,
       {"units/anle", "units/baishui", "units/chengguan", "units/dongshan"}},
      {v1::UNIT_KIND_VILLAGE,
       {"units/anle-cun", "units/chengguan-dongjie", "units/chengguan-xijie"}},
      {v1::UNIT_KIND_DISCIPLINE, {}},
      {v1::UNIT_KIND_ORGANIZATION, {}},
  };
  for (const Case& c : seeded) {
    EXPECT_EQ(names_of_kind(c.kind), c.expected) << v1::UnitKind_Name(c.kind);
  }

  for (const char* id : {"zuzhi", "jiwei"}) {
    const v1::UnitKind kind =
        std::string(id) == "jiwei" ? v1::UNIT_KIND_DISCIPLINE : v1::UNIT_KIND_ORGANIZATION;
    ASSERT_TRUE(
        directory_
            ->PutUnit(UnitName(id), RequestKey{}, now_,
                      [&](const v1::Unit*) { return NewUnit(id, MakeUnit(id, kind), now_); })
            .ok())
        << id;
  }
  for (bool reopened : {false, true}) {
    if (reopened) {
      ASSERT_NO_FATAL_FAILURE(ReopenStores());
    }
    EXPECT_EQ(names_of_kind(v1::UNIT_KIND_DISCIPLINE), std::vector<std::string>{"units/jiwei"})
        << reopened;
    EXPECT_EQ(names_of_kind(v1::UNIT_KIND_ORGANIZATION), std::vector<std::string>{"units/zuzhi"})
        << reopened;
    EXPECT_EQ(names_of_kind(v1::UNIT_KIND_TOWNSHIP), seeded[1].expected) << reopened;
  }
}

TEST_F(DirectoryStoreTest, EverythingSurvivesAReopen) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_TRUE(PutToken("inspector", 'e').ok());  // was '2'
  ASSERT_TRUE(PutToken("newcomer", 'f').ok());
  ASSERT_TRUE(directory_
                  ->PutUnit("units/anle", RequestKey{}, now_,
                            [&](const v1::Unit* current) {
                              v1::Unit update = *current;
                              update.set_tier(v1::TIER_FAR);
                              return UpdatedUnit(*current, update, now_);
                            })
                  .ok());
  const std::vector<std::string> units = AllUnitNames({}, 100);
  const std::vector<std::string> principals = AllPrincipalNames({}, 100);
  const std::vector<std::string> far = AllUnitNames({.tier = v1::TIER_FAR}, 100);
  ASSERT_EQ(far.size(), 2u);

  ASSERT_NO_FATAL_FAILURE(ReopenStores());

  EXPECT_FALSE(directory_->empty());
  EXPECT_EQ(AllUnitNames({}, 100), units);
  EXPECT_EQ(AllPrincipalNames({}, 100), principals);
  EXPECT_EQ(AllUnitNames({.tier = v1::TIER_FAR}, 100), far);
  EXPECT_EQ(directory_->FindUnit("units/anle")->etag(), "2");
  EXPECT_FALSE(directory_->FindPrincipalByToken(Token('2')).has_value());
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('e'))->name(), "principals/inspector");
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('f'))->name(), "principals/newcomer");
  EXPECT_EQ(directory_->FindPrincipalByToken(Token('1'))->name(), "principals/leader");
  // Uniqueness of tokens holds across the reopen.
  EXPECT_EQ(PutToken("another", 'e').status().code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace duban::storage
