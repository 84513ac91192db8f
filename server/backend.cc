#include "server/backend.h"

namespace duban {

LoopContext Backend::ContextFor(const Caller& caller) const {
  LoopContext context;
  context.caller = caller;
  context.now = absl::FromUnixMicros(absl::ToUnixMicros(now()));
  context.calendar = calendar;
  context.clocks = clocks;
  context.units = directory;
  return context;
}

}  // namespace duban
