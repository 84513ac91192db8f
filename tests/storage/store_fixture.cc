#include "tests/storage/store_fixture.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "domain/escalation_policy.h"
#include "domain/ledger.h"
#include "domain/referrals.h"
#include "storage/audit_log.h"

namespace duban::storage {

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Asia/Shanghai", &zone)) ADD_FAILURE() << "no Asia/Shanghai zone";
  return zone;
}

absl::Time TestStart() {
  return absl::FromCivil(absl::CivilSecond(2025, 3, 3, 9, 0, 0), Shanghai());
}

Caller Leader() {
  return Caller{
      .principal = "principals/leader", .unit = "units/county", .roles = {v1::ROLE_LEADER}};
}

Caller Inspector() {
  return Caller{
      .principal = "principals/inspector", .unit = "units/ducha", .roles = {v1::ROLE_INSPECTOR}};
}

Caller StaffOf(absl::string_view unit) {
  return Caller{.principal = absl::StrCat("principals/staff-", IdOf(unit, kUnitsPrefix)),
                .unit = std::string(unit),
                .roles = {v1::ROLE_UNIT_STAFF}};
}

Caller Scheduler() {
  return Caller{.principal = "duband/scheduler", .unit = "", .roles = {v1::ROLE_ESCALATOR}};
}

Caller Discipline() {
  return Caller{
      .principal = "principals/jiwei", .unit = "units/jiwei", .roles = {v1::ROLE_DISCIPLINE}};
}

uint64_t TicketId(const v1::Ticket& ticket) {
  absl::StatusOr<uint64_t> id = ParseTicketName(ticket.name(), "name");
  return id.ok() ? *id : 0;
}

StoreFixture::StoreFixture()
    : path_(scratch_.path() + "/db"),
      calendar_(Shanghai()),
      now_(TestStart()),
      policy_(DefaultEscalationPolicy()),
      ledger_policy_(DefaultLedgerPolicy()) {
  ledger_policy_.set_version(1);
  v1::Indicator liangshi;
  liangshi.set_name("indicators/liangshi");
  liangshi.set_display_name("粮食播面和产量");
  liangshi.set_points("5");
  liangshi.set_veto(true);
  liangshi.set_lead_unit("units/nongye");
  liangshi.add_cooperating_units("units/ziran");
  units_.AddIndicator(liangshi);
}

StoreFixture::~StoreFixture() { CloseStores(); }

absl::StatusOr<std::unique_ptr<Database>> OpenTestDatabase(const std::string& path,
                                                           rocksdb::Env* env) {
  return Database::Open({.path = path, .memory = SmallestMemoryPlan(), .env = env});
}

void StoreFixture::OpenStores() {
  ASSERT_OK_AND_ASSIGN(database_, OpenTestDatabase(path_, env_));
  absl::StatusOr<std::unique_ptr<TicketStore>> tickets = TicketStore::Open(database_.get());
  ASSERT_TRUE(tickets.ok()) << tickets.status();
  tickets_ = *std::move(tickets);
  absl::StatusOr<std::unique_ptr<DirectoryStore>> directory = DirectoryStore::Open(database_.get());
  ASSERT_TRUE(directory.ok()) << directory.status();
  directory_ = *std::move(directory);
  absl::StatusOr<std::unique_ptr<LedgerStore>> ledger = LedgerStore::Open(database_.get());
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  ledger_ = *std::move(ledger);
}

void StoreFixture::CloseStores() {
  ledger_.reset();
  directory_.reset();
  tickets_.reset();
  database_.reset();
}

LoopContext StoreFixture::ContextFor(const Caller& caller) const {
  return LoopContext{
      .caller = caller,
      .now = now_,
      .calendar = &calendar_,
      .policy = &policy_,
      .units = &units_,
      .new_referral_name = [this] { return ReferralName(tickets_->NewReferralId()); },
      .indicators = &units_,
      .ledger_policy = &ledger_policy_,
      .new_ledger_entry_name = [this] { return LedgerEntryName(ledger_->NewEntryId()); }};
}

v1::CreateTicketRequest StoreFixture::CreateRequest(const TicketSpec& spec) const {
  v1::CreateTicketRequest request;
  v1::Ticket& ticket = *request.mutable_ticket();
  ticket.set_kind(spec.kind);
  ticket.set_title(spec.title);
  ticket.set_lead_unit(spec.lead);
  for (const std::string& unit : spec.cooperating) ticket.add_cooperating_units(unit);
  ticket.set_severity(spec.severity);
  if (spec.kind == v1::TICKET_KIND_FINDING && spec.severity == v1::SEVERITY_UNSPECIFIED) {
    ticket.set_severity(v1::SEVERITY_NORMAL);
  }
  ticket.set_indicator(spec.indicator);
  ticket.set_location(spec.location);
  ticket.set_parent(spec.parent);
  ticket.set_inspection_unit(spec.inspection_unit);
  ticket.set_requires_inspection(spec.requires_inspection);
  if (spec.kind == v1::TICKET_KIND_TASK) {
    *ticket.mutable_due_time() = ToTimestamp(now_ + absl::Hours(24) * spec.due_days);
  }
  return request;
}

absl::StatusOr<v1::Ticket> StoreFixture::CreateTicket(const TicketSpec& spec,
                                                      const RequestKey& key) {
  const v1::CreateTicketRequest request = CreateRequest(spec);
  LoopContext context = ContextFor(spec.kind == v1::TICKET_KIND_FINDING ? Inspector() : Leader());
  v1::EscalationPolicy policy = policy_;
  policy.mutable_stage_clocks()->set_sign_for_days(spec.stage_days);
  policy.mutable_stage_clocks()->set_plan_days(spec.stage_days);
  context.policy = &policy;
  std::optional<v1::Ticket> parent;
  if (!spec.parent.empty()) {
    absl::StatusOr<uint64_t> parent_id = ParseTicketName(spec.parent, "ticket.parent");
    if (!parent_id.ok()) return parent_id.status();
    absl::StatusOr<v1::Ticket> found = tickets_->Get(*parent_id);
    if (!found.ok()) return found.status();
    parent = *std::move(found);
  }
  return tickets_->Create(key, now_, [&](uint64_t id) {
    return NewTicket(id, request, parent ? &*parent : nullptr, context);
  });
}

namespace {

// The caller acting for the lead unit of ticket `id`.
absl::StatusOr<Caller> LeadStaff(const TicketStore& tickets, uint64_t id) {
  absl::StatusOr<v1::Ticket> ticket = tickets.Get(id);
  if (!ticket.ok()) return ticket.status();
  return StaffOf(ticket->lead_unit());
}

}  // namespace

absl::StatusOr<v1::Ticket> StoreFixture::Sign(uint64_t id) {
  absl::StatusOr<Caller> staff = LeadStaff(*tickets_, id);
  if (!staff.ok()) return staff.status();
  return Step(id, *staff, v1::SignTicketRequest());
}

absl::StatusOr<v1::Ticket> StoreFixture::Report(uint64_t id, const std::string& comment) {
  absl::StatusOr<Caller> staff = LeadStaff(*tickets_, id);
  if (!staff.ok()) return staff.status();
  v1::ReportTicketProgressRequest request;
  request.set_comment(comment);
  request.set_progress_percent(50);
  return Step(id, *staff, request);
}

absl::StatusOr<v1::Ticket> StoreFixture::Submit(uint64_t id) {
  absl::StatusOr<Caller> staff = LeadStaff(*tickets_, id);
  if (!staff.ok()) return staff.status();
  v1::SubmitTicketRequest request;
  request.set_comment("done");
  return Step(id, *staff, request);
}

absl::StatusOr<v1::Ticket> StoreFixture::Review(uint64_t id, bool accept) {
  v1::ReviewTicketRequest request;
  request.set_verdict(accept ? v1::REVIEW_VERDICT_ACCEPT : v1::REVIEW_VERDICT_REJECT);
  if (!accept) request.set_findings("not good enough");
  return Step(id, Inspector(), request);
}

absl::StatusOr<v1::Ticket> StoreFixture::FilePlan(uint64_t id) {
  absl::StatusOr<Caller> staff = LeadStaff(*tickets_, id);
  if (!staff.ok()) return staff.status();
  v1::FileRectificationPlanRequest request;
  request.set_plan("we will fix it");
  return Step(id, *staff, request);
}

absl::StatusOr<v1::Ticket> StoreFixture::Cancel(uint64_t id) {
  absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
  if (!ticket.ok()) return ticket.status();
  v1::CancelTicketRequest request;
  request.set_reason("no longer needed");
  return Step(id, ticket->issuer() == Inspector().principal ? Inspector() : Leader(), request);
}

std::vector<LoggedEvent> StoreFixture::WholeLog(uint64_t after, int page_size) {
  std::vector<LoggedEvent> logged;
  for (int page = 0; page < 100000; ++page) {
    absl::StatusOr<std::vector<LoggedEvent>> read = tickets_->ReadLog(after, page_size);
    EXPECT_TRUE(read.ok()) << read.status();
    if (!read.ok() || read->empty()) return logged;
    after = read->back().cursor;
    for (LoggedEvent& event : *read) logged.push_back(std::move(event));
  }
  ADD_FAILURE() << "ReadLog never ran out";
  return logged;
}

absl::StatusOr<v1::Ticket> StoreFixture::EscalateAt(uint64_t id, absl::Time as_of) {
  LoopContext context = ContextFor(Scheduler());
  context.now = as_of;
  return tickets_->Update(id, RequestKey{}, as_of, [&](const v1::Ticket& current) {
    return Escalate(current, as_of, context);
  });
}

std::map<v1::EscalationLevel, absl::Time> StoreFixture::FireTimes(const v1::Ticket& ticket) const {
  std::map<v1::EscalationLevel, absl::Time> times;
  for (const ScheduledStep& scheduled : ScheduleLadder(ticket, policy_, calendar_)) {
    times[scheduled.step.level()] = scheduled.fire_time;
  }
  return times;
}

std::vector<v1::TicketEvent> StoreFixture::AllEvents(uint64_t id, int page_size) {
  std::vector<v1::TicketEvent> events;
  std::string token;
  for (int page = 0; page < 10000; ++page) {
    absl::StatusOr<EventPage> listed = tickets_->ListEvents(id, page_size, token);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) break;
    for (v1::TicketEvent& event : listed->events) events.push_back(std::move(event));
    token = listed->next_page_token;
    if (token.empty()) return events;
  }
  ADD_FAILURE() << "ListEvents of tickets/" << id << " never ran out of pages";
  return events;
}

}  // namespace duban::storage
