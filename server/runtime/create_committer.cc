#include "server/runtime/create_committer.h"

#include <utility>

#include "base/mutex.h"

namespace duban {

CreateCommitter::CreateCommitter(storage::TicketStore* tickets, std::function<absl::Time()> now)
    : tickets_(tickets), now_(std::move(now)), thread_([this] { Run(); }) {}

CreateCommitter::~CreateCommitter() {
  {
    MutexLock lock(&mutex_);
    stopping_ = true;
    changed_.Signal();
  }
  thread_.join();
}

void CreateCommitter::Submit(Call call) {
  MutexLock lock(&mutex_);
  queue_.push_back(std::move(call));
  changed_.Signal();
}

absl::StatusOr<v1::Ticket> CreateCommitter::Create(storage::TicketStore::PendingCreate create) {
  Notification done;
  absl::StatusOr<v1::Ticket> answer;
  Submit({.create = std::move(create), .answer = [&](absl::StatusOr<v1::Ticket> ticket) {
            answer = std::move(ticket);
            done.Notify();
          }});
  done.WaitForNotification();
  return answer;
}

double CreateCommitter::MeanGroupSize() const {
  MutexLock lock(&mutex_);
  return writes_ == 0 ? 0 : static_cast<double>(written_calls_) / static_cast<double>(writes_);
}

void CreateCommitter::Run() {
  for (;;) {
    std::vector<Call> group;
    {
      MutexLock lock(&mutex_);
      while (!stopping_ && queue_.empty()) changed_.Wait(&mutex_);
      if (queue_.empty()) return;
      group.swap(queue_);
      ++writes_;
      written_calls_ += static_cast<int64_t>(group.size());
    }
    std::vector<storage::TicketStore::PendingCreate> creates;
    creates.reserve(group.size());
    for (Call& call : group) creates.push_back(std::move(call.create));
    std::vector<absl::StatusOr<v1::Ticket>> answers = tickets_->CreateEach(creates, now_());
    for (size_t i = 0; i < group.size(); ++i) group[i].answer(std::move(answers[i]));
  }
}

}  // namespace duban
