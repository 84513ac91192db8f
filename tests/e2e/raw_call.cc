#include "tests/e2e/raw_call.h"

#include <grpcpp/generic/generic_stub.h>

#include <cstdint>
#include <vector>

#include "tests/support/test_server.h"

namespace duban::testing {
namespace {

// Waits for the operation tagged `tag`; true when it succeeded.
bool Await(grpc::CompletionQueue& queue, intptr_t tag) {
  void* got = nullptr;
  bool ok = false;
  if (!queue.Next(&got, &ok)) return false;
  if (reinterpret_cast<intptr_t>(got) != tag) return false;
  return ok;
}

void* Tag(intptr_t tag) { return reinterpret_cast<void*>(tag); }

}  // namespace

RawReply RawCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                 const std::string& token, const std::string& request, bool stream,
                 absl::Duration deadline) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  if (!token.empty()) Authorize(context, token);
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));

  RawReply reply;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, "/" + method, &queue);
  call->StartCall(Tag(1));
  if (Await(queue, 1)) {
    grpc::Slice slice(request);
    // A failed write or half-close means the server has already answered;
    // Finish says how.
    call->Write(grpc::ByteBuffer(&slice, 1), Tag(2));
    if (Await(queue, 2)) {
      call->WritesDone(Tag(3));
      Await(queue, 3);
    }
    grpc::ByteBuffer response;
    call->Read(&response, Tag(4));
    if (Await(queue, 4)) {
      std::vector<grpc::Slice> slices;
      std::string bytes;
      if (response.Dump(&slices).ok()) {
        for (const grpc::Slice& part : slices) {
          bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
        }
      }
      reply.message = std::move(bytes);
      if (stream) {
        context.TryCancel();
      } else {
        // A unary call has nothing more to send but its status.
        grpc::ByteBuffer more;
        call->Read(&more, Tag(5));
        if (Await(queue, 5)) context.TryCancel();
      }
    }
  }
  call->Finish(&reply.status, Tag(6));
  Await(queue, 6);
  queue.Shutdown();
  void* ignored_tag = nullptr;
  bool ignored_ok = false;
  while (queue.Next(&ignored_tag, &ignored_ok)) {
  }
  return reply;
}

}  // namespace duban::testing
