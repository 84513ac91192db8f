// The workloads duban-load drives against a duband in the demo county
// (`duband --dev`: tokens equal principal ids):
//
//   create      CreateTicket, a TASK from `token` (LEADER), unique request_id
//   get         GetTicket of a ticket from a pool made at setup
//   list        ListTickets, first page of `list_filter`, page_size 50
//   transition  ReportTicketProgress by the lead unit's staff on a pool of
//               signed-for tickets (IMPLEMENT stays IMPLEMENT, so it repeats)
//   mixed       10% create, 20% transition, 50% get, 20% list
//   empty       the empty unary call of EmptyUnaryServer (empty_unary_server.h)
//
//   ASSIGN_OR_RETURN(CallSource calls, MakeWorkload("get", target, options));
//   PhaseResult result = Drive(drive, calls, "get");
//
// Setup (the pools) goes through the synchronous generated stubs and
// fails with the first error.
#ifndef DUBAN_TESTS_BENCH_LOAD_WORKLOADS_H_
#define DUBAN_TESTS_BENCH_LOAD_WORKLOADS_H_

#include <string>

#include "absl/status/statusor.h"
#include "tests/bench/load/rpc_driver.h"

namespace duban::load {

struct WorkloadOptions {
  // Creates and reads as this principal.
  std::string token = "leader";
  std::string list_filter = "unit=units/nongye";
  int list_page_size = 50;
  // Tickets in the pool the get, transition and mixed workloads read and
  // report on; at least 1 for them.
  int pool = 256;
  // Prefixes request ids, so runs against one store never collide.
  std::string run_id;
};

absl::StatusOr<CallSource> MakeWorkload(const std::string& name, const std::string& target,
                                        const WorkloadOptions& options);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_WORKLOADS_H_
