// The deadline of the call a thread is serving, checked by Database::Write
// just before it commits: a write whose caller has already given up is not
// made (DEADLINE_EXCEEDED), so a client never sees a timeout for a change
// that was applied after it stopped waiting — except one committed in the
// instant between the check and the reply, which a retry with the same
// request_id answers.
//
//   ScopedWriteDeadline deadline(call_deadline);   // for this thread, until scope end
//   ... handler runs; every Database::Write checks it ...
#ifndef DUBAN_STORAGE_WRITE_DEADLINE_H_
#define DUBAN_STORAGE_WRITE_DEADLINE_H_

#include "absl/time/time.h"

namespace duban::storage {

class ScopedWriteDeadline {
 public:
  explicit ScopedWriteDeadline(absl::Time deadline);
  ~ScopedWriteDeadline();
  ScopedWriteDeadline(const ScopedWriteDeadline&) = delete;
  ScopedWriteDeadline& operator=(const ScopedWriteDeadline&) = delete;

 private:
  absl::Time previous_;
};

// The innermost deadline set on this thread; InfiniteFuture when none.
absl::Time CurrentWriteDeadline();

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_WRITE_DEADLINE_H_
