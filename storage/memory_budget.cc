#include "storage/memory_budget.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace duban::storage {

absl::StatusOr<MemoryPlan> PlanMemory(size_t budget_bytes) {
  if (budget_bytes < kMinimumMemoryBudget) {
    return absl::InvalidArgumentError(
        absl::StrCat("memory budget ", budget_bytes / kMiB, " MiB is too small: duband needs at "
                     "least ", kMinimumMemoryBudget / kMiB, " MiB (", kProcessReserve / kMiB,
                     " MiB for the process and a ", (kMinimumMemoryBudget - kProcessReserve) / kMiB,
                     " MiB cache)"));
  }
  MemoryPlan plan;
  plan.budget_bytes = budget_bytes;
  plan.cache_bytes = budget_bytes - kProcessReserve;
  // An eighth of the cache for memtables, a quarter of that for one
  // family's: enough for a county's writes (a family's memtable fills in
  // minutes at 400 calls a second), and small enough that they reach
  // their steady size within minutes of a start and that one flush frees
  // little at a time — the resident memory levels off early and stays
  // flat (docs/performance.md, "Memory"). The rest of the cache is for
  // reads.
  plan.write_buffers_bytes = plan.cache_bytes / 8;
  plan.write_buffer_bytes = std::clamp(plan.write_buffers_bytes / 4, kMiB, 64 * kMiB);
  return plan;
}

MemoryPlan SmallestMemoryPlan() { return *PlanMemory(kMinimumMemoryBudget); }

MemoryPlan ScratchMemoryPlan() {
  return {.budget_bytes = 0,
          .cache_bytes = 8 * kMiB,
          .write_buffers_bytes = 2 * kMiB,
          .write_buffer_bytes = kMiB};
}

}  // namespace duban::storage
