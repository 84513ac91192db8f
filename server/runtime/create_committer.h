// CreateCommitter: the write side of CreateTicket. A handler checks its
// call (PrepareCreate) and hands the create over; a commit thread takes
// everything queued, writes it with TicketStore::CreateEach — one synced
// write for the whole group — and answers each create. While one group is
// written the next gathers, so the group grows with the load
// (docs/performance.md has the numbers that chose one thread, and a
// waiting synchronous handler over gRPC's callback API).
//
//   CreateCommitter committer(&tickets, [&backend] { return backend.Now(); });
//   ASSIGN_OR_RETURN(v1::Ticket ticket, committer.Create(std::move(create)));  // waits
//   committer.Submit({.create = std::move(create),                             // does not
//                     .answer = [reactor](absl::StatusOr<v1::Ticket> ticket) { ... }});
//
// Thread-safe. The destructor writes what is still queued, then joins.
#ifndef DUBAN_SERVER_RUNTIME_CREATE_COMMITTER_H_
#define DUBAN_SERVER_RUNTIME_CREATE_COMMITTER_H_

#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "base/mutex.h"
#include "storage/ticket_store.h"

namespace duban {

class CreateCommitter {
 public:
  struct Call {
    storage::TicketStore::PendingCreate create;
    // Called once, on a commit thread, with what Create would have
    // returned.
    std::function<void(absl::StatusOr<v1::Ticket>)> answer;
  };

  // `tickets` is not owned and must outlive the committer.
  CreateCommitter(storage::TicketStore* tickets, std::function<absl::Time()> now);
  CreateCommitter(const CreateCommitter&) = delete;
  CreateCommitter& operator=(const CreateCommitter&) = delete;
  ~CreateCommitter();

  void Submit(Call call);
  // Submits `create` and waits for what Create would have returned.
  absl::StatusOr<v1::Ticket> Create(storage::TicketStore::PendingCreate create);

  // Calls written per write so far.
  double MeanGroupSize() const;

 private:
  void Run();

  storage::TicketStore* const tickets_;
  const std::function<absl::Time()> now_;
  mutable Mutex mutex_;
  CondVar changed_;  // signalled when a call is queued or stopping_ is set
  std::vector<Call> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  int64_t writes_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t written_calls_ ABSL_GUARDED_BY(mutex_) = 0;
  std::thread thread_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_CREATE_COMMITTER_H_
