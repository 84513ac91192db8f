#include "tests/bench/load/store_creates.h"

#include <atomic>

#include "base/status_macros.h"
#include "tests/bench/load/closed_loop.h"
#include "tests/bench/load/county_store.h"

namespace duban::load {

absl::StatusOr<PhaseResult> RunStoreCreates(const std::string& path, int threads,
                                            absl::Duration duration) {
  ASSIGN_OR_RETURN(std::unique_ptr<CountyStore> county, CountyStore::Open(path));
  std::atomic<uint64_t> next{0};
  return RunClosedLoop("TicketStore::Create", threads, duration,
                       [&](int) { return county->CreateViaStore(next.fetch_add(1), "store"); });
}

}  // namespace duban::load
