#include "server/services/event_service.h"

#include "absl/container/flat_hash_map.h"
#include "base/errors.h"
#include "domain/access_policy.h"
#include "domain/resource_names.h"
#include "server/edge/rpc_status.h"
#include "server/edge/unary_call.h"

namespace duban {
namespace {

constexpr int kBatch = 500;
// How often a waiting stream checks whether its client has gone.
constexpr absl::Duration kCancelCheck = absl::Seconds(1);
// How often an open stream authenticates its caller again: a session that
// ended, or a role taken away, ends the stream within this long.
constexpr absl::Duration kReadmit = absl::Seconds(30);

// True when a unit-scoped caller may see the ticket of `event` as it stands
// now; `seen` remembers the answers of one batch.
bool UnitMaySee(const Backend& backend, const Caller& caller, const v1::TicketEvent& event,
                absl::flat_hash_map<uint64_t, bool>& seen) {
  absl::StatusOr<uint64_t> id = ParseTicketName(event.ticket(), "ticket");
  if (!id.ok()) return false;
  auto [slot, inserted] = seen.try_emplace(*id, false);
  if (inserted) {
    absl::StatusOr<v1::Ticket> ticket = backend.tickets->Get(*id);
    slot->second = ticket.ok() && CheckCanSeeTicket(caller, *ticket).ok();
  }
  return slot->second;
}

}  // namespace

grpc::Status EventServiceImpl::WatchEvents(grpc::ServerContext* context,
                                           const v1::WatchEventsRequest* request,
                                           grpc::ServerWriter<v1::StreamEvent>* writer) {
  constexpr absl::string_view kMethod = "duban.v1.EventService/WatchEvents";
  absl::StatusOr<Caller> caller = AdmitCall(*context, backend_, kMethod);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::Time admitted = absl::Now();
  if (request->after_cursor() < 0) {
    return ToGrpcStatus(InvalidField("after_cursor", "must not be negative"));
  }
  storage::AuditLog& log = backend_.tickets->log();
  uint64_t cursor =
      request->from_now() ? log.watermark() : static_cast<uint64_t>(request->after_cursor());
  if (request->from_now()) {
    // The starting point, before any event: whatever commits after this
    // message reaches the client.
    v1::StreamEvent start;
    start.set_cursor(static_cast<int64_t>(cursor));
    if (!writer->Write(start)) return grpc::Status::CANCELLED;
  }
  while (!context->IsCancelled()) {
    if (absl::Now() - admitted >= kReadmit) {
      caller = AdmitCall(*context, backend_, kMethod);
      if (!caller.ok()) return ToGrpcStatus(caller.status());
      admitted = absl::Now();
    }
    uint64_t through = cursor;
    absl::StatusOr<std::vector<storage::LoggedEvent>> batch =
        backend_.tickets->ReadLog(cursor, kBatch, &through);
    if (!batch.ok()) return ToGrpcStatus(batch.status());
    absl::flat_hash_map<uint64_t, bool> seen;
    for (storage::LoggedEvent& logged : *batch) {
      cursor = logged.cursor;
      if (caller->UnitScoped() && !UnitMaySee(backend_, *caller, logged.event, seen)) continue;
      v1::StreamEvent item;
      item.set_cursor(static_cast<int64_t>(logged.cursor));
      *item.mutable_event() = std::move(logged.event);
      if (!writer->Write(item)) return grpc::Status::CANCELLED;
    }
    // Read through a gap (a write that reserved cursors and failed) too.
    cursor = std::max(cursor, through);
    if (!batch->empty()) continue;
    if (request->until_caught_up()) return grpc::Status::OK;
    if (!log.WaitBeyond(cursor, kCancelCheck) && log.closed()) {
      return ToGrpcStatus(absl::UnavailableError("the server is shutting down"));
    }
  }
  return grpc::Status::CANCELLED;
}

}  // namespace duban
