// The roll-up of a parent ticket: its sub-tickets by stage, their mean
// progress, how many are overdue and how many carry each card.
#include "domain/rollup.h"

#include <map>
#include <vector>

#include "base/time_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"

namespace duban {
namespace {

using ::duban::testing::Local;
using ::testing::IsEmpty;

absl::Time Now() { return Local(2024, 6, 3, 9); }

v1::Ticket Child(v1::Stage stage, int progress, v1::Card card = v1::CARD_NONE,
                 absl::Duration due_from_now = absl::Hours(48)) {
  v1::Ticket child;
  child.set_stage(stage);
  child.set_progress_percent(progress);
  child.set_card(card);
  *child.mutable_stage_due_time() = ToTimestamp(Now() + due_from_now);
  return child;
}

std::map<v1::Stage, int> ByStage(const v1::Rollup& rollup) {
  std::map<v1::Stage, int> counts;
  for (const v1::StageCount& count : rollup.by_stage()) counts[count.stage()] = count.count();
  return counts;
}

std::map<v1::Card, int> ByCard(const v1::Rollup& rollup) {
  std::map<v1::Card, int> counts;
  for (const v1::CardCount& count : rollup.cards()) counts[count.card()] = count.count();
  return counts;
}

TEST(RollupTest, StagesProgressOverdueAndCards) {
  const std::vector<v1::Ticket> children = {
      Child(v1::STAGE_IMPLEMENT, 40, v1::CARD_YELLOW, -absl::Hours(1)),
      Child(v1::STAGE_IMPLEMENT, 20, v1::CARD_REMINDER),
      Child(v1::STAGE_IMPROVE, 60, v1::CARD_RED, -absl::Hours(72)),
      // Closed counts 100 whatever was last reported; its old clock is
      // no overdue.
      Child(v1::STAGE_CLOSED, 80, v1::CARD_NONE, -absl::Hours(500)),
      // Cancelled counts towards nothing but its stage.
      Child(v1::STAGE_CANCELLED, 0, v1::CARD_NONE, -absl::Hours(500)),
  };
  const v1::Rollup rollup = RollUp(children, Now());
  EXPECT_EQ(rollup.total(), 5);
  EXPECT_EQ(ByStage(rollup), (std::map<v1::Stage, int>{{v1::STAGE_IMPLEMENT, 2},
                                                       {v1::STAGE_IMPROVE, 1},
                                                       {v1::STAGE_CLOSED, 1},
                                                       {v1::STAGE_CANCELLED, 1}}));
  ASSERT_TRUE(rollup.has_mean_progress_percent());
  EXPECT_DOUBLE_EQ(rollup.mean_progress_percent(), (40 + 20 + 60 + 100) / 4.0);
  EXPECT_EQ(rollup.overdue(), 2);
  EXPECT_EQ(ByCard(rollup), (std::map<v1::Card, int>{
                                {v1::CARD_REMINDER, 1}, {v1::CARD_YELLOW, 1}, {v1::CARD_RED, 1}}));
}

// Due exactly now is not overdue yet (as `duban ticket list --overdue`).
TEST(RollupTest, ADeadlineAtTheMomentOfTheReadIsNotOverdue) {
  EXPECT_EQ(RollUp({Child(v1::STAGE_DEPLOY, 0, v1::CARD_NONE, absl::ZeroDuration())}, Now())
                .overdue(),
            0);
  EXPECT_EQ(RollUp({Child(v1::STAGE_DEPLOY, 0, v1::CARD_NONE, -absl::Microseconds(1))}, Now())
                .overdue(),
            1);
}

TEST(RollupTest, OnlyCancelledChildrenHaveNoMeanProgress) {
  const v1::Rollup rollup = RollUp({Child(v1::STAGE_CANCELLED, 50)}, Now());
  EXPECT_EQ(rollup.total(), 1);
  EXPECT_FALSE(rollup.has_mean_progress_percent());
  EXPECT_THAT(rollup.cards(), IsEmpty());
}

}  // namespace
}  // namespace duban
