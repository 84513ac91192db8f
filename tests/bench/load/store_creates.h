// The middle of the gap between CreateTicket and raw RocksDB: tickets
// created in-process through TicketStore::Create — validation, the domain,
// the request log, hashing, index entries and the synced write, exactly as
// the handler runs them — from `threads` threads for `duration`, with no
// gRPC at all, into a fresh store at `path`.
//
//   ASSIGN_OR_RETURN(PhaseResult store, RunStoreCreates(dir, 32, absl::Seconds(5)));
#ifndef DUBAN_TESTS_BENCH_LOAD_STORE_CREATES_H_
#define DUBAN_TESTS_BENCH_LOAD_STORE_CREATES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/bench/load/phase_result.h"

namespace duban::load {

absl::StatusOr<PhaseResult> RunStoreCreates(const std::string& path, int threads,
                                            absl::Duration duration);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_STORE_CREATES_H_
