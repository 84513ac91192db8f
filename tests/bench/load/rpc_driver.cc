#include "tests/bench/load/rpc_driver.h"

#include <grpcpp/channel.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "server/runtime/server_metrics.h"

namespace duban::load {
namespace {

using Clock = std::chrono::steady_clock;

// How many threads poll completion queues: the machine this was written
// for has two cores, and the server shares them.
constexpr int kPollers = 2;

// One call in flight; owned by the completion queue tag until it completes.
struct Call {
  grpc::ClientContext context;
  grpc::ByteBuffer response;
  grpc::Status status;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  Clock::time_point start;
  int channel = 0;
};

class Driver {
 public:
  Driver(const DriveOptions& options, const CallSource& calls) : options_(options), calls_(calls) {
    for (int i = 0; i < kPollers; ++i) {
      queues_.push_back(std::make_unique<grpc::CompletionQueue>());
      results_.emplace_back();
    }
    for (int i = 0; i < options.channels; ++i) {
      grpc::ChannelArguments args;
      // Distinct arguments and a private subchannel pool: one connection each.
      args.SetInt("duban_load.channel", i);
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      args.SetMaxReceiveMessageSize(64 << 20);
      std::shared_ptr<grpc::Channel> channel =
          grpc::CreateCustomChannel(options.target, grpc::InsecureChannelCredentials(), args);
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
      stubs_.push_back(std::make_unique<grpc::GenericStub>(channel));
      channels_.push_back(std::move(channel));
    }
  }

  PhaseResult Run(const std::string& name) {
    std::vector<std::thread> pollers;
    for (int i = 0; i < kPollers; ++i) pollers.emplace_back([this, i] { Poll(i); });
    const Clock::time_point begin = Clock::now();
    end_ = begin + absl::ToChronoNanoseconds(options_.duration);
    if (options_.rate <= 0) {
      for (int i = 0; i < options_.concurrency; ++i) Start(i % options_.channels, Clock::now());
    } else {
      const auto interval = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / options_.rate));
      Clock::time_point due = begin;
      for (uint64_t n = 0; due < end_; ++n, due += interval) {
        std::this_thread::sleep_until(due);
        Start(static_cast<int>(n % static_cast<uint64_t>(options_.channels)), due);
      }
    }
    // Every call due has started; wait out the phase, then for the calls
    // still in flight. (The last one can finish before the end, and nothing
    // would wake a wait for both at once.)
    std::this_thread::sleep_until(end_);
    {
      std::unique_lock lock(mutex_);
      drained_.wait(lock, [this] { return outstanding_ == 0; });
    }
    const Clock::time_point finish = Clock::now();
    for (auto& queue : queues_) queue->Shutdown();
    for (std::thread& poller : pollers) poller.join();
    PhaseResult total;
    total.name = name;
    for (const PhaseResult& part : results_) total.Merge(part);
    // The closed loop stops starting calls at the end of the duration; the
    // ones still in flight count, and so does the time they took.
    total.elapsed = absl::FromChrono(finish - begin);
    return total;
  }

 private:
  void Start(int channel, Clock::time_point start) {
    {
      std::lock_guard lock(mutex_);
      ++outstanding_;
    }
    RpcCall rpc = calls_(sequence_.fetch_add(1));
    auto* call = new Call;
    call->start = start;
    call->channel = channel;
    call->context.set_deadline(std::chrono::system_clock::now() +
                               absl::ToChronoNanoseconds(options_.deadline));
    if (!rpc.token.empty()) call->context.AddMetadata("authorization", "Bearer " + rpc.token);
    grpc::Slice slice(rpc.request.data(), rpc.request.size());
    grpc::ByteBuffer request(&slice, 1);
    grpc::CompletionQueue* queue = queues_[channel % kPollers].get();
    call->reader = stubs_[channel]->PrepareUnaryCall(&call->context, rpc.method, request, queue);
    call->reader->StartCall();
    call->reader->Finish(&call->response, &call->status, call);
  }

  void Poll(int index) {
    void* tag = nullptr;
    bool ok = false;
    PhaseResult& result = results_[index];
    while (queues_[index]->Next(&tag, &ok)) {
      std::unique_ptr<Call> call(static_cast<Call*>(tag));
      const Clock::time_point now = Clock::now();
      const int64_t micros =
          std::chrono::duration_cast<std::chrono::microseconds>(now - call->start).count();
      if (call->status.ok()) {
        result.RecordOk(micros);
      } else {
        result.RecordError(StatusCodeName(call->status.error_code()),
                           call->status.error_message());
      }
      if (options_.rate <= 0 && now < end_) Start(call->channel, Clock::now());
      std::lock_guard lock(mutex_);
      if (--outstanding_ == 0) drained_.notify_all();
    }
  }

  const DriveOptions& options_;
  const CallSource& calls_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  // One per poller, so recording takes no lock.
  std::vector<PhaseResult> results_;
  std::atomic<uint64_t> sequence_{0};
  Clock::time_point end_;
  std::mutex mutex_;
  std::condition_variable drained_;
  int64_t outstanding_ = 0;  // GUARDED_BY(mutex_)
};

}  // namespace

PhaseResult Drive(const DriveOptions& options, const CallSource& calls, const std::string& name) {
  Driver driver(options, calls);
  return driver.Run(name);
}

}  // namespace duban::load
