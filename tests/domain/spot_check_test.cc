// Spot-check draws (抽签): the SplitMix64 generator, the partial
// Fisher–Yates choice, and draws over the demo county by tier.
#include "domain/spot_check.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "domain/demo_county.h"
#include "domain/directory_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::ErrorMetadata;
using ::duban::testing::Friday;
using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::duban::testing::MakeCaller;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::UnorderedElementsAreArray;

// The demo county's townships and villages as the directory stores them.
struct County {
  std::vector<v1::Unit> townships;
  std::vector<v1::Unit> villages;
};

County DemoCounty() {
  County county;
  for (const auto& [id, unit] : MakeDemoCounty().units) {
    const v1::Unit stored = NewUnit(id, unit, Friday());
    if (stored.kind() == v1::UNIT_KIND_TOWNSHIP) county.townships.push_back(stored);
    if (stored.kind() == v1::UNIT_KIND_VILLAGE) county.villages.push_back(stored);
  }
  return county;
}

v1::DrawSpotCheckRequest Request(int64_t seed) {
  v1::DrawSpotCheckRequest request;
  request.set_seed(seed);
  return request;
}

absl::StatusOr<v1::Draw> Draw(const v1::DrawSpotCheckRequest& request,
                              const County& county = DemoCounty()) {
  return DrawSpotCheck(request, county.townships, county.villages);
}

// Every unit a draw names: townships and villages.
std::vector<std::string> Drawn(const v1::Draw& draw) {
  std::vector<std::string> names;
  for (const v1::DrawnTownship& township : draw.townships()) {
    names.push_back(township.township());
    for (const std::string& village : township.villages()) names.push_back(village);
  }
  return names;
}

std::string ParentOf(const County& county, const std::string& village) {
  for (const v1::Unit& unit : county.villages) {
    if (unit.name() == village) return unit.parent();
  }
  return "";
}

v1::Tier TierOf(const County& county, const std::string& township) {
  for (const v1::Unit& unit : county.townships) {
    if (unit.name() == township) return unit.tier();
  }
  return v1::TIER_UNSPECIFIED;
}

TEST(DrawRandomTest, SeedZeroMatchesThePublishedSplitMix64) {
  // Vigna's splitmix64.c from state 0: the first output is the published
  // 0xE220A8397B1DCDAF; the next ones were computed with an independent
  // transcription of the reference and agree with the implementation.
  DrawRandom random(0);
  EXPECT_EQ(random.Next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(random.Next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(random.Next(), 0x06C45D188009454FULL);
  EXPECT_EQ(random.Next(), 0xF88BB8A8724C81ECULL);
}

TEST(DrawRandomTest, Seed2023IsPinned) {
  DrawRandom random(2023);
  const uint64_t expected[] = {0x1AA6E016501B53C1ULL, 0x55948F6E6CC02993ULL, 0xA33566CAC0AE23A5ULL,
                               0x022E7FA4986F332FULL};
  for (uint64_t value : expected) EXPECT_EQ(random.Next(), value);
}

TEST(DrawRandomTest, TheSameSeedGivesTheSameSequence) {
  DrawRandom a(77);
  DrawRandom b(77);
  DrawRandom c(78);
  int differing = 0;
  for (int i = 0; i < 100; ++i) {
    const uint64_t value = a.Next();
    EXPECT_EQ(value, b.Next()) << i;
    differing += value != c.Next();
  }
  EXPECT_EQ(differing, 100);
}

TEST(DrawRandomTest, BelowStaysInRange) {
  for (uint64_t n : {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{5}, uint64_t{13},
                     uint64_t{1} << 63, ~uint64_t{0}}) {
    DrawRandom random(n);
    for (int i = 0; i < 200; ++i) EXPECT_LT(random.Below(n), n) << "n=" << n;
  }
  DrawRandom one(5);
  EXPECT_EQ(one.Below(1), 0u);
}

TEST(DrawRandomTest, BelowReachesEveryValue) {
  DrawRandom random(2023);
  std::vector<int> counts(5);
  for (int i = 0; i < 5000; ++i) ++counts[random.Below(5)];
  for (int value = 0; value < 5; ++value) {
    EXPECT_GT(counts[value], 800) << value;
    EXPECT_LT(counts[value], 1200) << value;
  }
}

TEST(ChooseTest, ChoosesAPrefixOfAPermutation) {
  const std::vector<std::string> candidates = {"a", "b", "c", "d", "e", "f", "g"};
  for (int count = 0; count <= 7; ++count) {
    for (uint64_t seed = 0; seed < 20; ++seed) {
      DrawRandom random(seed);
      const std::vector<std::string> chosen = Choose(candidates, count, random);
      ASSERT_EQ(chosen.size(), static_cast<size_t>(count)) << seed;
      const std::set<std::string> distinct(chosen.begin(), chosen.end());
      EXPECT_EQ(distinct.size(), chosen.size()) << "a repeat, seed " << seed;
      for (const std::string& name : chosen) {
        EXPECT_NE(std::find(candidates.begin(), candidates.end(), name), candidates.end());
      }
      // Choosing more continues the same order.
      DrawRandom again(seed);
      const std::vector<std::string> all = Choose(candidates, 7, again);
      if (count > 0) {
        DrawRandom first(seed);
        EXPECT_EQ(Choose(candidates, count, first),
                  std::vector<std::string>(all.begin(), all.begin() + count))
            << seed;
      }
      EXPECT_THAT(all, UnorderedElementsAreArray(candidates)) << seed;
    }
  }
}

TEST(ChooseTest, FollowsTheFisherYatesSteps) {
  // Step i swaps position i with i + Below(n - i): replayed by hand.
  std::vector<std::string> candidates = {"a", "b", "c", "d", "e"};
  DrawRandom random(2023);
  const std::vector<std::string> chosen = Choose(candidates, 3, random);
  DrawRandom replay(2023);
  std::vector<std::string> expected;
  for (size_t i = 0; i < 3; ++i) {
    const size_t pick = i + replay.Below(candidates.size() - i);
    std::swap(candidates[i], candidates[pick]);
    expected.push_back(candidates[i]);
  }
  EXPECT_EQ(chosen, expected);
}

TEST(ChooseTest, EveryCandidateComesFirstSometimes) {
  const std::vector<std::string> candidates = {"a", "b", "c", "d"};
  std::set<std::string> firsts;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    DrawRandom random(seed);
    firsts.insert(Choose(candidates, 1, random)[0]);
  }
  EXPECT_EQ(firsts.size(), 4u);
}

TEST(DrawSpotCheckTest, TheDemoCountyWithSeed2023IsPinned) {
  absl::StatusOr<v1::Draw> draw = Draw(Request(2023));
  ASSERT_TRUE(draw.ok()) << draw.status();
  EXPECT_EQ(draw->seed(), 2023);
  EXPECT_EQ(draw->per_tier(), 1);
  EXPECT_EQ(draw->villages_per_township(), 2);
  ASSERT_EQ(draw->townships_size(), 3);
  EXPECT_EQ(draw->townships(0).tier(), v1::TIER_FAR);
  EXPECT_EQ(draw->townships(1).tier(), v1::TIER_MIDDLE);
  EXPECT_EQ(draw->townships(2).tier(), v1::TIER_NEAR);
  // Computed with an independent transcription of the rules in
  // spot_check.h (SplitMix64, rejection sampling, the partial Fisher–Yates
  // shuffle over sorted candidates) and pinned: a change here changes
  // every draw ever published.
  EXPECT_THAT(Drawn(*draw),
              ElementsAre("units/gaofeng", "units/gaofeng-pingan", "units/gaofeng-fenghuang",
                          "units/shuanghe", "units/shuanghe-hekou", "units/shuanghe-fengshou",
                          "units/chengguan", "units/chengguan-xiguan", "units/chengguan-nanyuan"));
  EXPECT_EQ(draw->directory_fingerprint().size(), 64u);
  EXPECT_EQ(draw->name(), "") << "the caller names the draw";
}

TEST(DrawSpotCheckTest, TheSameSeedGivesTheSameDrawAndOtherSeedsUsuallyDiffer) {
  const County county = DemoCounty();
  absl::StatusOr<v1::Draw> first = Draw(Request(2023), county);
  absl::StatusOr<v1::Draw> second = Draw(Request(2023), county);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->SerializeAsString(), second->SerializeAsString());

  std::set<std::vector<std::string>> distinct;
  for (int64_t seed = 1; seed <= 20; ++seed) {
    absl::StatusOr<v1::Draw> draw = Draw(Request(seed), county);
    ASSERT_TRUE(draw.ok()) << seed << ": " << draw.status();
    distinct.insert(Drawn(*draw));
  }
  EXPECT_GE(distinct.size(), 15u) << "20 seeds, 3 × 3 × 3 × (4 or 5) × 6 possible draws";
}

TEST(DrawSpotCheckTest, DrawsFarMiddleNearAndVillagesOfTheDrawnTownship) {
  const County county = DemoCounty();
  for (int64_t seed : {0, 1, 7, 2023, -5}) {
    v1::DrawSpotCheckRequest request = Request(seed);
    request.set_per_tier(2);
    request.set_villages_per_township(3);
    absl::StatusOr<v1::Draw> draw = Draw(request, county);
    ASSERT_TRUE(draw.ok()) << seed << ": " << draw.status();
    ASSERT_EQ(draw->townships_size(), 6) << seed;
    const v1::Tier tiers[] = {v1::TIER_FAR,    v1::TIER_FAR,  v1::TIER_MIDDLE,
                              v1::TIER_MIDDLE, v1::TIER_NEAR, v1::TIER_NEAR};
    for (int i = 0; i < 6; ++i) {
      const v1::DrawnTownship& drawn = draw->townships(i);
      EXPECT_EQ(drawn.tier(), tiers[i]) << seed << " #" << i;
      EXPECT_EQ(TierOf(county, drawn.township()), tiers[i]) << drawn.township();
      ASSERT_EQ(drawn.villages_size(), 3) << drawn.township();
      for (const std::string& village : drawn.villages()) {
        EXPECT_EQ(ParentOf(county, village), drawn.township()) << village;
      }
    }
    const std::vector<std::string> names = Drawn(*draw);
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size()) << seed;
  }
}

TEST(DrawSpotCheckTest, ExcludedUnitsAreNeverDrawn) {
  const County county = DemoCounty();
  // Four of the five FAR townships left out: the fifth is drawn every time.
  const std::vector<std::string> excluded = {
      "units/qinglong", "units/gaofeng",           "units/daping",
      "units/taoyuan",  "units/chengguan-dongjie", "units/longquan-shuikou"};
  for (int64_t seed = 0; seed < 40; ++seed) {
    v1::DrawSpotCheckRequest request = Request(seed);
    for (const std::string& name : excluded) request.add_exclude(name);
    absl::StatusOr<v1::Draw> draw = Draw(request, county);
    ASSERT_TRUE(draw.ok()) << seed << ": " << draw.status();
    EXPECT_EQ(draw->townships(0).township(), "units/maan") << seed;
    for (const std::string& name : Drawn(*draw)) {
      EXPECT_EQ(std::find(excluded.begin(), excluded.end(), name), excluded.end())
          << name << " drawn with seed " << seed;
    }
    EXPECT_THAT(draw->exclude(), ElementsAreArray(excluded));
  }
}

TEST(DrawSpotCheckTest, TooFewTownshipsInATierNamesTheTier) {
  struct Case {
    const char* name;
    int per_tier;
    std::vector<std::string> exclude;
    const char* tier;
  } cases[] = {
      // FAR has 5 townships, MIDDLE and NEAR 4 each.
      {"5 per tier", 5, {}, "MIDDLE"},
      {"6 per tier", 6, {}, "FAR"},
      {"all of NEAR excluded",
       1,
       {"units/chengguan", "units/longquan", "units/baima", "units/shiqiao"},
       "NEAR"},
  };
  for (const Case& c : cases) {
    v1::DrawSpotCheckRequest request = Request(1);
    request.set_per_tier(c.per_tier);
    for (const std::string& name : c.exclude) request.add_exclude(name);
    absl::StatusOr<v1::Draw> draw = Draw(request);
    EXPECT_EQ(draw.status().code(), absl::StatusCode::kFailedPrecondition) << c.name;
    EXPECT_EQ(ErrorReason(draw.status()), "NOT_ENOUGH_TOWNSHIPS") << c.name;
    EXPECT_EQ(ErrorMetadata(draw.status(), "tier"), c.tier) << c.name;
  }
}

TEST(DrawSpotCheckTest, TooFewVillagesNamesTheTownship) {
  v1::DrawSpotCheckRequest request = Request(1);
  request.set_villages_per_township(4);
  absl::StatusOr<v1::Draw> draw = Draw(request);
  EXPECT_EQ(draw.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(draw.status()), "NOT_ENOUGH_VILLAGES");
  EXPECT_THAT(ErrorMetadata(draw.status(), "township"), ::testing::StartsWith("units/"));

  // maan is the only FAR township left; two of its three villages excluded.
  v1::DrawSpotCheckRequest thin = Request(1);
  for (const char* name : {"units/qinglong", "units/gaofeng", "units/daping", "units/taoyuan",
                           "units/maan-anzi", "units/maan-majia"}) {
    thin.add_exclude(name);
  }
  absl::StatusOr<v1::Draw> refused = Draw(thin);
  EXPECT_EQ(ErrorReason(refused.status()), "NOT_ENOUGH_VILLAGES");
  EXPECT_EQ(ErrorMetadata(refused.status(), "township"), "units/maan");
}

TEST(DrawSpotCheckTest, RefusesBadCountsAndUnknownExclusions) {
  struct Case {
    const char* name;
    void (*mutate)(v1::DrawSpotCheckRequest&);
    std::vector<std::string> fields;
  } cases[] = {
      {"negative per_tier", [](auto& r) { r.set_per_tier(-1); }, {"per_tier"}},
      {"per_tier over 20", [](auto& r) { r.set_per_tier(21); }, {"per_tier"}},
      {"negative villages",
       [](auto& r) { r.set_villages_per_township(-2); },
       {"villages_per_township"}},
      {"villages over 20",
       [](auto& r) { r.set_villages_per_township(21); },
       {"villages_per_township"}},
      {"unknown exclusion", [](auto& r) { r.add_exclude("units/nosuch"); }, {"exclude[0]"}},
      {"a department is not a candidate",
       [](auto& r) {
         r.add_exclude("units/maan");
         r.add_exclude("units/nongye");
       },
       {"exclude[1]"}},
      {"not a name", [](auto& r) { r.add_exclude("maan"); }, {"exclude[0]"}},
      {"several",
       [](auto& r) {
         r.set_per_tier(0);
         r.set_villages_per_township(99);
         r.add_exclude("units/x");
       },
       {"villages_per_township", "exclude[0]"}},
  };
  for (const auto& c : cases) {
    v1::DrawSpotCheckRequest request = Request(3);
    c.mutate(request);
    absl::StatusOr<v1::Draw> draw = Draw(request);
    EXPECT_EQ(draw.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(BadRequestFields(draw.status()), c.fields) << c.name;
  }
}

TEST(DrawSpotCheckTest, TheFingerprintFollowsTheCandidatesNotTheSeed) {
  const County county = DemoCounty();
  absl::StatusOr<v1::Draw> base = Draw(Request(1), county);
  absl::StatusOr<v1::Draw> other_seed = Draw(Request(2), county);
  ASSERT_TRUE(base.ok() && other_seed.ok());
  EXPECT_EQ(base->directory_fingerprint(), other_seed->directory_fingerprint());

  County bigger = county;
  v1::Unit village;
  village.set_kind(v1::UNIT_KIND_VILLAGE);
  village.set_display_name("新村");
  village.set_parent("units/maan");
  bigger.villages.push_back(NewUnit("maan-xincun", village, Friday()));
  absl::StatusOr<v1::Draw> with_village = Draw(Request(1), bigger);
  ASSERT_TRUE(with_village.ok()) << with_village.status();
  EXPECT_NE(with_village->directory_fingerprint(), base->directory_fingerprint());

  County more = county;
  v1::Unit township;
  township.set_kind(v1::UNIT_KIND_TOWNSHIP);
  township.set_display_name("新镇");
  township.set_tier(v1::TIER_NEAR);
  more.townships.push_back(NewUnit("xinzhen", township, Friday()));
  absl::StatusOr<v1::Draw> with_township = Draw(Request(1), more);
  ASSERT_TRUE(with_township.ok()) << with_township.status();
  EXPECT_NE(with_township->directory_fingerprint(), base->directory_fingerprint());

  // The order the directory lists the candidates in does not matter.
  County reversed = county;
  std::reverse(reversed.townships.begin(), reversed.townships.end());
  std::reverse(reversed.villages.begin(), reversed.villages.end());
  absl::StatusOr<v1::Draw> shuffled = Draw(Request(1), reversed);
  ASSERT_TRUE(shuffled.ok());
  EXPECT_EQ(shuffled->directory_fingerprint(), base->directory_fingerprint());
  EXPECT_EQ(Drawn(*shuffled), Drawn(*base)) << "candidates are sorted before drawing";

  v1::DrawSpotCheckRequest excluding = Request(1);
  excluding.add_exclude("units/maan-anzi");
  absl::StatusOr<v1::Draw> excluded = Draw(excluding, county);
  ASSERT_TRUE(excluded.ok());
  EXPECT_NE(excluded->directory_fingerprint(), base->directory_fingerprint());
}

TEST(DrawTicketsTest, OpeningTicketsNeedsACallerWhoActsForAUnit) {
  const LoopWorld world;
  const struct {
    const char* label;
    bool open_tickets;
    Caller caller;
    absl::StatusCode code;
  } kCases[] = {
      {"an inspector of units/ducha", true, world.inspector, absl::StatusCode::kOk},
      {"a leader of units/county", true, world.leader, absl::StatusCode::kOk},
      {"a principal of no unit", true, MakeCaller("admin", v1::ROLE_ADMIN, ""),
       absl::StatusCode::kFailedPrecondition},
      {"no unit, but no tickets either", false, MakeCaller("admin", v1::ROLE_ADMIN, ""),
       absl::StatusCode::kOk},
  };
  for (const auto& c : kCases) {
    v1::DrawSpotCheckRequest request = Request(1);
    request.set_open_tickets(c.open_tickets);
    const absl::Status status = Validate(request, world.ContextFor(c.caller));
    EXPECT_EQ(status.code(), c.code) << c.label << ": " << status;
    if (c.code == absl::StatusCode::kOk) continue;
    EXPECT_EQ(ErrorReason(status), "NO_INSPECTION_UNIT") << c.label;
    EXPECT_EQ(status.message(), "principals/admin acts for no unit that could take the tickets")
        << c.label;
  }
}

TEST(DrawTicketsTest, InspectionsAreDueInTenWorkingDaysUnlessTheRequestSays) {
  const LoopWorld world;
  const LoopContext context = world.ContextFor(world.inspector);
  v1::DrawSpotCheckRequest request = Request(1);
  request.set_open_tickets(true);

  // Friday 2024-03-15 on a weekends-only calendar: the tenth working day is
  // Friday 2024-03-29, due at its end.
  absl::StatusOr<Deadline> due = InspectionDue(request, context);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(due->time, Local(2024, 3, 30));
  EXPECT_EQ(due->basis.working_days(), kDefaultInspectionDays);

  request.mutable_due_in()->set_working_days(3);
  due = InspectionDue(request, context);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(due->time, Local(2024, 3, 21));
  EXPECT_EQ(due->basis.working_days(), 3);

  request.mutable_due_in()->Clear();
  request.mutable_due_in()->set_hours(5);
  due = InspectionDue(request, context);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(due->time, Friday() + absl::Hours(5));
  EXPECT_EQ(due->basis.hours(), 5);
}

TEST(DrawTicketsTest, InspectionDueRefusesABadSpanNamingIt) {
  const LoopWorld world;
  const struct {
    const char* label;
    int working_days;
    int hours;
    const char* field;
  } kCases[] = {
      {"days and hours", 3, 5, "due_in"},
      {"negative days", -1, 0, "due_in.working_days"},
      {"negative hours", 0, -2, "due_in.hours"},
  };
  for (const auto& c : kCases) {
    v1::DrawSpotCheckRequest request = Request(1);
    request.set_open_tickets(true);
    request.mutable_due_in()->set_working_days(c.working_days);
    request.mutable_due_in()->set_hours(c.hours);
    absl::StatusOr<Deadline> due = InspectionDue(request, world.ContextFor(world.inspector));
    EXPECT_EQ(due.status().code(), absl::StatusCode::kInvalidArgument) << c.label;
    EXPECT_EQ(BadRequestFields(due.status()), std::vector<std::string>{c.field}) << c.label;
  }
}

}  // namespace
}  // namespace duban
