// The loop's transition table (PRODUCT.md, "The closed loop").
#include <array>

#include "absl/strings/numbers.h"
#include "domain/ticket_loop.h"

namespace duban {
namespace {

using v1::Stage;

constexpr std::array kDeploy{v1::STAGE_DEPLOY};
constexpr std::array kWorking{v1::STAGE_IMPLEMENT, v1::STAGE_IMPROVE};
constexpr std::array kFeedback{v1::STAGE_FEEDBACK};
constexpr std::array kInspect{v1::STAGE_INSPECT};
constexpr std::array kClosed{v1::STAGE_CLOSED};
constexpr std::array kClocked{v1::STAGE_IMPLEMENT, v1::STAGE_FEEDBACK, v1::STAGE_IMPROVE};
constexpr std::array kOpen{v1::STAGE_DEPLOY, v1::STAGE_IMPLEMENT, v1::STAGE_INSPECT,
                           v1::STAGE_FEEDBACK, v1::STAGE_IMPROVE};

const TransitionRule kTable[] = {
    {"SignTicket", kDeploy, Actor::kLeadUnit},
    {"DisputeTicket", kDeploy, Actor::kLeadUnit},
    {"ResolveTicketDispute", kDeploy, Actor::kIssuerOrLeader},
    {"ReportTicketProgress", kWorking, Actor::kInvolvedUnit},
    {"SubmitTicket", kWorking, Actor::kLeadUnit},
    {"FileRectificationPlan", kFeedback, Actor::kLeadUnit},
    {"ReviewTicket", kInspect, Actor::kIssuerOrInspector},
    {"CancelTicket", kOpen, Actor::kIssuer},
    {"ReopenTicket", kClosed, Actor::kInspector},
    {"RequestExtension", kClocked, Actor::kLeadUnit},
    {"DecideExtension", kClocked, Actor::kIssuerOrLeader},
};

}  // namespace

std::span<const TransitionRule> TransitionTable() { return kTable; }

absl::string_view StageLabel(Stage stage) {
  switch (stage) {
    case v1::STAGE_DEPLOY:
      return "DEPLOY";
    case v1::STAGE_IMPLEMENT:
      return "IMPLEMENT";
    case v1::STAGE_INSPECT:
      return "INSPECT";
    case v1::STAGE_FEEDBACK:
      return "FEEDBACK";
    case v1::STAGE_IMPROVE:
      return "IMPROVE";
    case v1::STAGE_CLOSED:
      return "CLOSED";
    case v1::STAGE_CANCELLED:
      return "CANCELLED";
    default:
      return "UNSPECIFIED";
  }
}

bool IsTerminal(Stage stage) { return stage == v1::STAGE_CLOSED || stage == v1::STAGE_CANCELLED; }

int64_t Revision(const v1::Ticket& ticket) {
  int64_t revision = 0;
  if (!absl::SimpleAtoi(ticket.etag(), &revision)) return 0;
  return revision;
}

}  // namespace duban
