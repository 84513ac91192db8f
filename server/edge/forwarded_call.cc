#include "server/edge/forwarded_call.h"

#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <memory>


namespace duban {
namespace {

constexpr absl::Duration kPollInterval = absl::Milliseconds(250);

void Prepare(grpc::ClientContext& context, const ForwardedCall& call) {
  for (const auto& [key, value] : call.metadata) context.AddMetadata(key, value);
  if (call.deadline != absl::InfiniteFuture()) {
    context.set_deadline(absl::ToChronoTime(call.deadline));
  }
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

void* Tag(intptr_t tag) { return reinterpret_cast<void*>(tag); }

// Waits for the one operation in flight on `queue`, cancelling the call
// (once) when `keep_going` turns false meanwhile. Returns its ok.
bool Await(grpc::CompletionQueue& queue, grpc::ClientContext& context,
           const std::function<bool()>& keep_going, bool& cancelled) {
  void* tag = nullptr;
  bool ok = false;
  while (true) {
    switch (queue.AsyncNext(&tag, &ok, absl::ToChronoTime(absl::Now() + kPollInterval))) {
      case grpc::CompletionQueue::GOT_EVENT: return ok;
      case grpc::CompletionQueue::SHUTDOWN: return false;
      case grpc::CompletionQueue::TIMEOUT:
        if (!cancelled && !keep_going()) {
          cancelled = true;
          context.TryCancel();
        }
        break;
    }
  }
}

}  // namespace

grpc::Status Unary(grpc::Channel& channel, const ForwardedCall& call, const std::string& request,
                   std::string* response) {
  grpc::GenericStub stub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  Prepare(context, call);
  // This thread waits on its own queue: one thread hop fewer than a
  // callback that would then have to wake it.
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader =
      stub.PrepareUnaryCall(&context, call.method_path, ToBuffer(request), &queue);
  reader->StartCall();
  grpc::ByteBuffer received;
  grpc::Status status;
  reader->Finish(&received, &status, Tag(1));
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  if (status.ok()) *response = FromBuffer(received);
  return status;
}

grpc::Status ServerStream(grpc::Channel& channel, const ForwardedCall& call,
                          const std::string& request,
                          const std::function<bool(const std::string&)>& on_message,
                          const std::function<bool()>& keep_going) {
  grpc::GenericStub stub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  Prepare(context, call);
  grpc::CompletionQueue queue;
  bool cancelled = false;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> stream =
      stub.PrepareCall(&context, call.method_path, &queue);
  stream->StartCall(Tag(1));
  if (Await(queue, context, keep_going, cancelled)) {
    stream->Write(ToBuffer(request), Tag(2));
    // A failed write or half-close means the server has already answered.
    if (Await(queue, context, keep_going, cancelled)) {
      stream->WritesDone(Tag(3));
      if (Await(queue, context, keep_going, cancelled)) {
        while (true) {
          grpc::ByteBuffer message;
          stream->Read(&message, Tag(4));
          if (!Await(queue, context, keep_going, cancelled)) break;
          if (!on_message(FromBuffer(message)) && !cancelled) {
            cancelled = true;
            context.TryCancel();
          }
        }
      }
    }
  }
  grpc::Status status;
  stream->Finish(&status, Tag(5));
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  if (cancelled) return grpc::Status(grpc::StatusCode::CANCELLED, "the stream was stopped");
  return status;
}

}  // namespace duban
