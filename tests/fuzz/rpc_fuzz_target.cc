// The libFuzzer entry point of one fuzz target: the method it drives is the
// compile definition DUBAN_FUZZ_METHOD ("duban.v1.TicketService/CreateTicket"),
// one executable per method (tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/rpc_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  duban::fuzz::FuzzCall(DUBAN_FUZZ_METHOD, data, size);
  return 0;
}
