#include "tests/e2e/event_watcher.h"

#include <gtest/gtest.h>

namespace duban::testing {

EventWatcher::EventWatcher(const TestServer& server, const std::string& token, int64_t after_cursor,
                           absl::Duration patience)
    : stub_(v1::EventService::NewStub(server.channel())) {
  Authorize(context_, token);
  context_.set_deadline(absl::ToChronoTime(absl::Now() + patience));
  v1::WatchEventsRequest request;
  request.set_after_cursor(after_cursor);
  reader_ = stub_->WatchEvents(&context_, request);
}

EventWatcher::~EventWatcher() {
  if (!finished_) {
    context_.TryCancel();
    (void)reader_->Finish();
  }
}

std::optional<v1::StreamEvent> EventWatcher::Next() {
  v1::StreamEvent event;
  if (finished_ || !reader_->Read(&event)) return std::nullopt;
  seen_.push_back(event);
  return event;
}

v1::StreamEvent EventWatcher::WaitFor(const std::function<bool(const v1::StreamEvent&)>& match) {
  while (std::optional<v1::StreamEvent> event = Next()) {
    if (match(*event)) return *event;
  }
  grpc::Status status = Finish();
  ADD_FAILURE() << "the event stream ended before the awaited event: " << status.error_message();
  return v1::StreamEvent();
}

grpc::Status EventWatcher::Finish() {
  finished_ = true;
  return reader_->Finish();
}

std::function<bool(const v1::StreamEvent&)> Escalated(const std::string& ticket,
                                                      v1::EscalationLevel level) {
  return [ticket, level](const v1::StreamEvent& item) {
    return item.event().ticket() == ticket && item.event().type() == v1::EVENT_TYPE_ESCALATED &&
           item.event().level() == level;
  };
}

}  // namespace duban::testing
