// RpcFuzzer: feeds fuzz inputs to one method of the public API, served by a
// real DubanServer, and aborts when the server misbehaves.
//
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
//     duban::fuzz::FuzzCall("duban.v1.TicketService/CreateTicket", data, size);
//     return 0;
//   }
//
// The server is started once per process: the demo county (tokens equal
// principal ids) on 127.0.0.1:0 over a scratch RocksDB, with a few tickets,
// a dispute, an extension request, a referral, a ledger entry and a draw
// already made so that names like tickets/2 lead somewhere. The escalation
// scheduler is off, so only the calls made here write to the store.
//
// An input is one byte that picks the caller's token (FuzzTokens(), modulo
// their number) followed by the bytes of the request message; inputs whose
// bytes do not parse as the request are skipped. A call must come back
// within a deadline, and:
//  - its code is never INTERNAL, UNKNOWN, DATA_LOSS, nor DEADLINE_EXCEEDED,
//    UNAVAILABLE, CANCELLED or UNIMPLEMENTED (a hang, a dead or a partial
//    server);
//  - an INVALID_ARGUMENT carries a google.rpc.BadRequest, and every field
//    it lists is a field path of the request (e.g. "ticket.cooperating_units[2]")
//    and appears in the message;
//  - a refused call leaves the audit log's watermark where it was.
// A violation prints the method, the token, the request and the reply, and
// aborts.
//
// Not thread-safe: libFuzzer calls it from one thread.
#ifndef DUBAN_TESTS_FUZZ_RPC_FUZZER_H_
#define DUBAN_TESTS_FUZZ_RPC_FUZZER_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace duban::fuzz {

// `method` is "package.Service/Method".
void FuzzCall(absl::string_view method, const uint8_t* data, size_t size);

// The bearer tokens an input's first byte picks from ("" sends none).
std::span<const absl::string_view> FuzzTokens();

// The request message type of `method`; aborts when the API has no such
// method.
const google::protobuf::Descriptor& RequestType(absl::string_view method);

}  // namespace duban::fuzz

#endif  // DUBAN_TESTS_FUZZ_RPC_FUZZER_H_
