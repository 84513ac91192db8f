#include "domain/rollup.h"

#include "base/time_convert.h"
#include "domain/ticket_loop.h"

namespace duban {

v1::Rollup RollUp(const std::vector<v1::Ticket>& children, absl::Time as_of) {
  int by_stage[v1::Stage_ARRAYSIZE] = {};
  int by_card[v1::Card_ARRAYSIZE] = {};
  int64_t progress_sum = 0;
  int progress_count = 0;
  v1::Rollup rollup;
  for (const v1::Ticket& child : children) {
    ++by_stage[child.stage()];
    ++by_card[child.card()];
    if (child.stage() == v1::STAGE_CANCELLED) continue;
    progress_sum += child.stage() == v1::STAGE_CLOSED ? 100 : child.progress_percent();
    ++progress_count;
    if (!IsTerminal(child.stage()) && IsSet(child.stage_due_time()) &&
        FromTimestamp(child.stage_due_time()) < as_of) {
      rollup.set_overdue(rollup.overdue() + 1);
    }
  }
  rollup.set_total(static_cast<int32_t>(children.size()));
  for (int stage = 0; stage < v1::Stage_ARRAYSIZE; ++stage) {
    if (by_stage[stage] == 0) continue;
    v1::StageCount& count = *rollup.add_by_stage();
    count.set_stage(static_cast<v1::Stage>(stage));
    count.set_count(by_stage[stage]);
  }
  for (int card = v1::CARD_REMINDER; card < v1::Card_ARRAYSIZE; ++card) {
    if (by_card[card] == 0) continue;
    v1::CardCount& count = *rollup.add_cards();
    count.set_card(static_cast<v1::Card>(card));
    count.set_count(by_card[card]);
  }
  if (progress_count > 0) {
    rollup.set_mean_progress_percent(static_cast<double>(progress_sum) / progress_count);
  }
  return rollup;
}

}  // namespace duban
