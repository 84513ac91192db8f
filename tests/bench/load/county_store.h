// CountyStore: a duband store opened in-process — the database, the ticket
// store and the demo county — so duban-load can write tickets exactly as
// duband's CreateTicket handler does, without gRPC in between: to seed a
// store fast, and to measure what one CreateTicket writes.
//
//   ASSIGN_OR_RETURN(auto county, CountyStore::Open(dir));
//   RETURN_IF_ERROR(county->CreateViaStore(7, "run"));       // as the handler: synced
//   RETURN_IF_ERROR(county->CreateMany(8, 1000, absl::Now())); // 1000 tickets, one write
//
// Tickets are CreateRequest(n) (ticket_requests.h) from the `leader`
// principal, built by the same domain function (NewTicket) on the same
// calendar and policy as the server. CreateViaStore may be called from
// several threads at once; CreateMany may not. The directory must not be
// open elsewhere (RocksDB holds a lock).
#ifndef DUBAN_TESTS_BENCH_LOAD_COUNTY_STORE_H_
#define DUBAN_TESTS_BENCH_LOAD_COUNTY_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/runtime/backend.h"
#include "storage/database.h"
#include "tests/bench/load/ticket_lives.h"

namespace duban::load {

class CountyStore {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<CountyStore>> Open(const std::string& path);

  CountyStore(const CountyStore&) = delete;
  CountyStore& operator=(const CountyStore&) = delete;
  ~CountyStore();

  // Ticket n through TicketStore::Create with its request id, one synced
  // write, as CreateTicket does.
  [[nodiscard]] absl::Status CreateViaStore(uint64_t n, const std::string& run_id);
  // Tickets first .. first+count-1 created at `now`, in one write (and no
  // request records: seeding has no retries to answer).
  [[nodiscard]] absl::Status CreateMany(uint64_t first, int count, absl::Time now);
  // Tickets first .. first+count-1, each with the whole life `plan` gives
  // it (ticket_lives.h), in one write.
  [[nodiscard]] absl::Status CreateLives(uint64_t first, int count,
                                         absl::FunctionRef<LifePlan(uint64_t n)> plan);

  storage::Database& database() { return *database_; }
  // What duband's services stand on, over this store (its clock: absl::Now).
  const Backend& backend() const { return backend_; }
  storage::TicketStore& tickets() { return *tickets_; }

 private:
  CountyStore() = default;

  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<storage::TicketStore> tickets_;
  std::unique_ptr<storage::DirectoryStore> directory_;
  std::unique_ptr<storage::SettingsStore> settings_;
  std::unique_ptr<storage::LedgerStore> ledger_;
  std::unique_ptr<Authenticator> authenticator_;
  Backend backend_;
  Caller leader_;
  LifeActors actors_;
};

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_COUNTY_STORE_H_
