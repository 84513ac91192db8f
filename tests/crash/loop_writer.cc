#include "tests/crash/loop_writer.h"

#include <chrono>
#include <iterator>
#include <utility>

#include "domain/ticket_loop.h"
#include "tests/support/test_server.h"

namespace duban::testing {
namespace {

using Stub = v1::TicketService::Stub;

// Lead units of the writers' tickets; each unit's staff token is its id.
constexpr const char* kLeadUnits[] = {"nongye", "ziran", "zhenxing", "tongji"};

// A call of `rpc` with `request`, as LoopWriter re-sends it.
template <typename Request>
std::function<grpc::Status(Stub&, grpc::ClientContext&, v1::Ticket&)> Sender(
    grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, v1::Ticket*),
    Request request) {
  return [rpc, request = std::move(request)](Stub& stub, grpc::ClientContext& context,
                                             v1::Ticket& reply) {
    return (stub.*rpc)(&context, request, &reply);
  };
}

template <typename Request>
Request On(const v1::Ticket& ticket, const std::string& request_id) {
  Request request;
  request.set_name(ticket.name());
  request.set_request_id(request_id);
  return request;
}

}  // namespace

LoopWriter::LoopWriter(int index, uint64_t seed)
    : index_(index),
      lead_(kLeadUnits[static_cast<size_t>(index) % std::size(kLeadUnits)]),
      random_(seed + static_cast<uint64_t>(index)) {}

void LoopWriter::Run(Stub& stub, const std::atomic<bool>& killed, bool retry_only,
                     const std::function<void()>& acknowledged) {
  constexpr int kMaxShedInARow = 1000;
  int shed_in_a_row = 0;
  while (true) {
    if (!in_flight_) {
      if (retry_only) return;
      in_flight_ = NextCall();
    }
    Call& call = *in_flight_;
    grpc::ClientContext context;
    Authorize(context, call.token);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::Ticket reply;
    const grpc::Status status = call.send(stub, context, reply);
    if (status.ok()) {
      if (call.retried) ++retries_answered_;
      Acknowledged(call, reply);
      in_flight_.reset();
      shed_in_a_row = 0;
      acknowledged();
      continue;
    }
    if (killed.load()) {
      call.retried = true;  // cut off: re-sent with the same request id next time
      return;
    }
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
        ++shed_in_a_row < kMaxShedInARow) {
      continue;  // shed by a busy server: the same call again
    }
    failures_.push_back(call.what + (call.retried ? " (re-sent after a kill)" : "") + " by " +
                        call.token + " failed: " + std::to_string(status.error_code()) + " " +
                        status.error_message());
    return;
  }
}

std::vector<Ack> LoopWriter::TakeAcks() { return std::exchange(acks_, {}); }

std::vector<std::string> LoopWriter::TakeFailures() { return std::exchange(failures_, {}); }

std::string LoopWriter::NewRequestId() {
  return "w" + std::to_string(index_) + "-" + std::to_string(++requests_);
}

LoopWriter::Call LoopWriter::Create() {
  const std::string request_id = NewRequestId();
  v1::CreateTicketRequest request;
  request.set_request_id(request_id);
  v1::Ticket& ticket = *request.mutable_ticket();
  ticket.set_kind(v1::TICKET_KIND_TASK);
  ticket.set_title("崩溃演练 " + request_id);
  ticket.set_lead_unit("units/" + lead_);
  // Due within hours of the server's fast clock, so the ladder climbs.
  request.mutable_due_in()->set_hours(1 + static_cast<int>(random_() % 72));
  return Call{.what = "CreateTicket " + request_id,
              .token = "leader",
              .request_id = request_id,
              .type = v1::EVENT_TYPE_CREATED,
              .send = Sender(&Stub::CreateTicket, std::move(request))};
}

LoopWriter::Call LoopWriter::NextCall() {
  if (!current_) return Create();
  const v1::Ticket& ticket = *current_;
  const std::string request_id = NewRequestId();
  const std::string what = " " + ticket.name() + " " + request_id;
  switch (ticket.stage()) {
    case v1::STAGE_DEPLOY:
      return Call{"SignTicket" + what, lead_, request_id, v1::EVENT_TYPE_SIGNED,
                  Sender(&Stub::SignTicket, On<v1::SignTicketRequest>(ticket, request_id))};
    case v1::STAGE_IMPLEMENT:
      if (ticket.progress_percent() == 0) {
        auto report = On<v1::ReportTicketProgressRequest>(ticket, request_id);
        report.set_comment("已排查过半");
        report.set_progress_percent(50);
        return Call{"ReportTicketProgress" + what, lead_, request_id,
                    v1::EVENT_TYPE_PROGRESS_REPORTED,
                    Sender(&Stub::ReportTicketProgress, std::move(report))};
      }
      [[fallthrough]];
    case v1::STAGE_IMPROVE: {
      auto submit = On<v1::SubmitTicketRequest>(ticket, request_id);
      submit.set_comment("办结报告");
      return Call{"SubmitTicket" + what, lead_, request_id, v1::EVENT_TYPE_SUBMITTED,
                  Sender(&Stub::SubmitTicket, std::move(submit))};
    }
    case v1::STAGE_INSPECT: {
      auto review = On<v1::ReviewTicketRequest>(ticket, request_id);
      const bool reject = random_() % 3 == 0;
      review.set_verdict(reject ? v1::REVIEW_VERDICT_REJECT : v1::REVIEW_VERDICT_ACCEPT);
      if (reject) review.set_findings("台账不全");
      return Call{"ReviewTicket" + what, "inspector", request_id,
                  reject ? v1::EVENT_TYPE_REJECTED : v1::EVENT_TYPE_ACCEPTED,
                  Sender(&Stub::ReviewTicket, std::move(review))};
    }
    case v1::STAGE_FEEDBACK: {
      auto plan = On<v1::FileRectificationPlanRequest>(ticket, request_id);
      plan.set_plan("三日内补齐台账");
      return Call{"FileRectificationPlan" + what, lead_, request_id, v1::EVENT_TYPE_PLAN_FILED,
                  Sender(&Stub::FileRectificationPlan, std::move(plan))};
    }
    default:
      return Create();
  }
}

void LoopWriter::Acknowledged(const Call& call, const v1::Ticket& ticket) {
  acks_.push_back(Ack{.ticket = ticket.name(),
                      .revision = Revision(ticket),
                      .type = call.type,
                      .request_id = call.request_id});
  const bool leave_to_the_ladder = call.type == v1::EVENT_TYPE_SIGNED && random_() % 4 == 0;
  if (IsTerminal(ticket.stage()) || leave_to_the_ladder) {
    current_.reset();
  } else {
    current_ = ticket;
  }
}

}  // namespace duban::testing
