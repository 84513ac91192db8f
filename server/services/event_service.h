// EventServiceImpl: the gRPC edge of duban.v1.EventService — every ticket
// event in commit order, streamed to notifiers from a cursor.
#ifndef DUBAN_SERVER_SERVICES_EVENT_SERVICE_H_
#define DUBAN_SERVER_SERVICES_EVENT_SERVICE_H_

#include "duban/v1/event_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

class EventServiceImpl final : public ServiceWithHandlers<v1::EventService> {
 public:
  // `backend` is not owned and must outlive the service.
  explicit EventServiceImpl(const Backend* backend) : backend_(*backend) {}

  // Streams the log after the cursor (or, with `from_now`, after the
  // watermark, announced first in a message without an event), then waits
  // for more until the client cancels, `until_caught_up` is met, or the
  // server shuts down (the audit log is closed). A unit-scoped caller gets
  // only the events of tickets its unit may see as they stand when read.
  grpc::Status WatchEvents(grpc::ServerContext* context, const v1::WatchEventsRequest* request,
                           grpc::ServerWriter<v1::StreamEvent>* writer) override;

 private:
  const Backend& backend_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_EVENT_SERVICE_H_
