#include "storage/write_deadline.h"

namespace duban::storage {
namespace {

thread_local absl::Time current_deadline = absl::InfiniteFuture();

}  // namespace

ScopedWriteDeadline::ScopedWriteDeadline(absl::Time deadline) : previous_(current_deadline) {
  current_deadline = deadline;
}

ScopedWriteDeadline::~ScopedWriteDeadline() { current_deadline = previous_; }

absl::Time CurrentWriteDeadline() { return current_deadline; }

}  // namespace duban::storage
