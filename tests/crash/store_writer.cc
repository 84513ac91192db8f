#include "tests/crash/store_writer.h"

#include <iterator>
#include <utility>

#include "domain/escalation_policy.h"
#include "domain/ledger.h"
#include "domain/resource_names.h"
#include "domain/ticket_loop.h"
#include "server/edge/request_fingerprint.h"

namespace duban::testing {
namespace {

constexpr const char* kLeadUnits[] = {"units/nongye", "units/ziran", "units/chengguan"};

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

Caller Leader() {
  return Caller{
      .principal = "principals/leader", .unit = "units/county", .roles = {v1::ROLE_LEADER}};
}

Caller Inspector() {
  return Caller{
      .principal = "principals/inspector", .unit = "units/ducha", .roles = {v1::ROLE_INSPECTOR}};
}

Caller StaffOf(const std::string& unit) {
  return Caller{.principal = "principals/staff-" + unit.substr(unit.find('/') + 1),
                .unit = unit,
                .roles = {v1::ROLE_UNIT_STAFF}};
}

}  // namespace

Caller SweeperCaller() {
  return Caller{.principal = "duband/scheduler", .unit = "", .roles = {v1::ROLE_ESCALATOR}};
}

CrashStores::CrashStores()
    : calendar_(Shanghai()),
      policy_(DefaultEscalationPolicy()),
      ledger_policy_(DefaultLedgerPolicy()) {
  ledger_policy_.set_version(1);
}

absl::Status CrashStores::Open(const std::string& path, rocksdb::Env* env) {
  absl::StatusOr<std::unique_ptr<storage::Database>> database =
      storage::Database::Open({.path = path, .env = env});
  if (!database.ok()) return database.status();
  database_ = *std::move(database);
  absl::StatusOr<std::unique_ptr<storage::TicketStore>> tickets =
      storage::TicketStore::Open(database_.get());
  if (!tickets.ok()) return tickets.status();
  tickets_ = *std::move(tickets);
  absl::StatusOr<std::unique_ptr<storage::LedgerStore>> ledger =
      storage::LedgerStore::Open(database_.get());
  if (!ledger.ok()) return ledger.status();
  ledger_ = *std::move(ledger);
  return absl::OkStatus();
}

void CrashStores::Close() {
  ledger_.reset();
  tickets_.reset();
  database_.reset();
}

LoopContext CrashStores::ContextFor(const Caller& caller, absl::Time now) {
  return LoopContext{
      .caller = caller,
      .now = now,
      .calendar = &calendar_,
      .policy = &policy_,
      .units = &units_,
      .new_referral_name = [this] { return ReferralName(tickets_->NewReferralId()); },
      .indicators = &units_,
      .ledger_policy = &ledger_policy_,
      .new_ledger_entry_name = [this] { return LedgerEntryName(ledger_->NewEntryId()); }};
}

StoreWriter::StoreWriter(int index, uint64_t seed)
    : index_(index),
      lead_(kLeadUnits[static_cast<size_t>(index) % std::size(kLeadUnits)]),
      random_(seed + static_cast<uint64_t>(index)) {}

void StoreWriter::Run(CrashStores& stores, StepClock& clock, const std::function<bool()>& powered,
                      const std::atomic<bool>& stop, bool retry_only,
                      const std::function<void()>& acknowledged) {
  while (true) {
    if (!interrupted_) {
      if (retry_only || stop.load()) return;
      interrupted_ = NextStep();
    }
    Step& step = *interrupted_;
    if (!step.at) step.at = clock.Now();
    absl::StatusOr<v1::Ticket> ticket = step.run(stores, *step.at);
    if (!ticket.ok()) {
      if (powered()) {
        failures_.push_back(step.what + (step.retried ? " (re-done after a power cut)" : "") +
                            ": " + ticket.status().ToString());
      } else {
        step.retried = true;  // re-done with the same request key next time
      }
      return;
    }
    if (step.retried) ++retries_answered_;
    acks_.push_back(Ack{.ticket = ticket->name(),
                        .revision = Revision(*ticket),
                        .type = step.type,
                        .request_id = step.request_id});
    const bool leave_to_the_ladder = step.type == v1::EVENT_TYPE_SIGNED && random_() % 4 == 0;
    if (IsTerminal(ticket->stage()) || leave_to_the_ladder) {
      current_.reset();
    } else {
      current_ = *std::move(ticket);
    }
    interrupted_.reset();
    clock.Advance(absl::Hours(1));
    acknowledged();
  }
}

std::vector<Ack> StoreWriter::TakeAcks() { return std::exchange(acks_, {}); }

std::vector<std::string> StoreWriter::TakeFailures() { return std::exchange(failures_, {}); }

std::string StoreWriter::NewRequestId() {
  return "s" + std::to_string(index_) + "-" + std::to_string(++requests_);
}

StoreWriter::Step StoreWriter::Create() {
  const std::string request_id = NewRequestId();
  v1::CreateTicketRequest request;
  request.set_request_id(request_id);
  v1::Ticket& ticket = *request.mutable_ticket();
  ticket.set_kind(v1::TICKET_KIND_TASK);
  ticket.set_title("断电演练 " + request_id);
  ticket.set_lead_unit(lead_);
  request.mutable_due_in()->set_hours(2 + static_cast<int>(random_() % 72));
  const storage::RequestKey key = RequestKeyFor(Leader(), "CreateTicket", request);
  return Step{.what = "create " + request_id,
              .request_id = request_id,
              .type = v1::EVENT_TYPE_CREATED,
              .run = [key, request](CrashStores& stores, absl::Time now) {
                const LoopContext context = stores.ContextFor(Leader(), now);
                return stores.tickets().Create(key, now, [&](uint64_t id) {
                  return NewTicket(id, request, nullptr, context);
                });
              }};
}

namespace {

// A step of the loop on `ticket`: `request` (its name and request id set
// here) applied as `caller`.
template <typename Request>
auto LoopStep(const v1::Ticket& ticket, const std::string& request_id, const char* method,
              const Caller& caller, Request request) {
  request.set_name(ticket.name());
  request.set_request_id(request_id);
  const uint64_t id = ParseTicketName(ticket.name(), "name").value_or(0);
  const storage::RequestKey key = RequestKeyFor(caller, method, request);
  return [id, key, caller, request](CrashStores& stores, absl::Time now) {
    const LoopContext context = stores.ContextFor(caller, now);
    return stores.tickets().Update(
        id, key, now, [&](const v1::Ticket& current) { return Apply(current, request, context); });
  };
}

}  // namespace

StoreWriter::Step StoreWriter::NextStep() {
  if (!current_) return Create();
  const v1::Ticket& ticket = *current_;
  const std::string id = NewRequestId();
  const std::string what = " " + ticket.name() + " " + id;
  switch (ticket.stage()) {
    case v1::STAGE_DEPLOY:
      return Step{"sign" + what, id, v1::EVENT_TYPE_SIGNED,
                  LoopStep(ticket, id, "SignTicket", StaffOf(lead_), v1::SignTicketRequest())};
    case v1::STAGE_IMPLEMENT:
      if (ticket.progress_percent() == 0) {
        v1::ReportTicketProgressRequest report;
        report.set_comment("已排查过半");
        report.set_progress_percent(50);
        return Step{"report" + what, id, v1::EVENT_TYPE_PROGRESS_REPORTED,
                    LoopStep(ticket, id, "ReportTicketProgress", StaffOf(lead_), report)};
      }
      [[fallthrough]];
    case v1::STAGE_IMPROVE: {
      v1::SubmitTicketRequest submit;
      submit.set_comment("办结报告");
      return Step{"submit" + what, id, v1::EVENT_TYPE_SUBMITTED,
                  LoopStep(ticket, id, "SubmitTicket", StaffOf(lead_), submit)};
    }
    case v1::STAGE_INSPECT: {
      v1::ReviewTicketRequest review;
      const bool reject = random_() % 3 == 0;
      review.set_verdict(reject ? v1::REVIEW_VERDICT_REJECT : v1::REVIEW_VERDICT_ACCEPT);
      if (reject) review.set_findings("台账不全");
      return Step{"review" + what, id, reject ? v1::EVENT_TYPE_REJECTED : v1::EVENT_TYPE_ACCEPTED,
                  LoopStep(ticket, id, "ReviewTicket", Inspector(), review)};
    }
    case v1::STAGE_FEEDBACK: {
      v1::FileRectificationPlanRequest plan;
      plan.set_plan("三日内补齐台账");
      return Step{"plan" + what, id, v1::EVENT_TYPE_PLAN_FILED,
                  LoopStep(ticket, id, "FileRectificationPlan", StaffOf(lead_), plan)};
    }
    default:
      return Create();
  }
}

}  // namespace duban::testing
