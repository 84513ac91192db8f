#include "tests/bench/load/store_creates.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/domain/status_macros.h"
#include "tests/bench/load/county_store.h"

namespace duban::load {

absl::StatusOr<PhaseResult> RunStoreCreates(const std::string& path, int threads,
                                            absl::Duration duration) {
  ASSIGN_OR_RETURN(std::unique_ptr<CountyStore> county, CountyStore::Open(path));
  std::atomic<uint64_t> next{0};
  std::vector<PhaseResult> parts(static_cast<size_t>(threads));
  const auto begin = std::chrono::steady_clock::now();
  const auto end = begin + absl::ToChronoNanoseconds(duration);
  std::vector<std::thread> creators;
  for (int t = 0; t < threads; ++t) {
    creators.emplace_back([&, t] {
      PhaseResult& part = parts[static_cast<size_t>(t)];
      while (std::chrono::steady_clock::now() < end) {
        const auto start = std::chrono::steady_clock::now();
        absl::Status created = county->CreateViaStore(next.fetch_add(1), "store");
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
        if (created.ok()) {
          part.RecordOk(micros);
        } else {
          part.RecordError(absl::StatusCodeToString(created.code()),
                           std::string(created.message()));
        }
      }
    });
  }
  for (std::thread& creator : creators) creator.join();
  PhaseResult total;
  total.name = "TicketStore::Create";
  total.elapsed = absl::FromChrono(std::chrono::steady_clock::now() - begin);
  for (const PhaseResult& part : parts) total.Merge(part);
  return total;
}

}  // namespace duban::load
