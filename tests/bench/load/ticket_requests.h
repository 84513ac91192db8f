// The requests duban-load sends, built in one place so that the tickets of
// a load run and of a seeded store (seed_county.h) are the same tickets.
//
//   v1::CreateTicketRequest create = CreateRequest(42, "run-1");
//   // a TASK from the county leader, led by one of kLeadUnits, due in 20
//   // working days, request_id "run-1-42"
//
// Ticket n is led by kLeadUnits[n % size], cooperated on by the next unit,
// and located in a village of the demo county, so lists and their indexes
// see a spread like a county's.
#ifndef DUBAN_TESTS_BENCH_LOAD_TICKET_REQUESTS_H_
#define DUBAN_TESTS_BENCH_LOAD_TICKET_REQUESTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "duban/v1/ticket_service.pb.h"

namespace duban::load {

// Unit ids (demo county) that lead tickets; in --dev each is also the
// token of that unit's staff.
extern const std::vector<std::string> kLeadUnits;

// The n-th ticket's lead unit id ("nongye").
const std::string& LeadUnitOf(uint64_t n);

// CreateTicket for ticket n; request_id "<run_id>-<n>", none when run_id
// is empty.
v1::CreateTicketRequest CreateRequest(uint64_t n, const std::string& run_id);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_TICKET_REQUESTS_H_
