#include "tests/bench/load/county_store.h"

#include "base/sha256.h"
#include "base/status_macros.h"
#include "domain/ticket_loop.h"
#include "server/edge/request_fingerprint.h"
#include "server/runtime/directory_seed.h"
#include "tests/bench/load/ticket_requests.h"

namespace duban::load {

absl::StatusOr<std::unique_ptr<CountyStore>> CountyStore::Open(const std::string& path) {
  std::unique_ptr<CountyStore> county(new CountyStore());
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Asia/Shanghai", &zone)) {
    return absl::InternalError("no time zone Asia/Shanghai");
  }
  const absl::Time now = absl::Now();
  ASSIGN_OR_RETURN(county->database_, storage::Database::Open({.path = path}));
  storage::Database* database = county->database_.get();
  ASSIGN_OR_RETURN(county->tickets_, storage::TicketStore::Open(database));
  ASSIGN_OR_RETURN(county->directory_, storage::DirectoryStore::Open(database));
  RETURN_IF_ERROR(SeedDemoCounty(*county->directory_, now));
  ASSIGN_OR_RETURN(county->settings_, storage::SettingsStore::Open(database, zone, now));
  ASSIGN_OR_RETURN(county->ledger_, storage::LedgerStore::Open(database));
  Backend& backend = county->backend_;
  backend.database = database;
  backend.tickets = county->tickets_.get();
  backend.directory = county->directory_.get();
  backend.settings = county->settings_.get();
  backend.ledger = county->ledger_.get();
  backend.now = [] { return absl::Now(); };
  // Bearer tokens only: no login sessions in this in-process county.
  county->authenticator_ = std::make_unique<Authenticator>(
      county->directory_.get(), nullptr, [] { return absl::Now(); });
  backend.authenticator = county->authenticator_.get();
  std::optional<v1::Principal> leader =
      county->directory_->FindPrincipalByToken(Sha256Hex("leader"));
  if (!leader) return absl::NotFoundError("the demo county has no principal `leader`");
  county->leader_ = CallerFromPrincipal(*leader);
  const storage::DirectoryStore* directory = county->directory_.get();
  const auto by_token = [directory](const std::string& token) -> absl::StatusOr<Caller> {
    std::optional<v1::Principal> principal = directory->FindPrincipalByToken(Sha256Hex(token));
    if (!principal) return absl::NotFoundError("the demo county has no principal " + token);
    return CallerFromPrincipal(*principal);
  };
  LifeActors& actors = county->actors_;
  actors.leader = county->leader_;
  ASSIGN_OR_RETURN(actors.inspector, by_token("inspector"));
  ASSIGN_OR_RETURN(actors.escalator, by_token("escalator"));
  // In the demo county each unit's staff has the unit's id as token.
  actors.staff_of = [by_token](const std::string& unit) {
    return by_token(unit.substr(unit.find('/') + 1)).value_or(Caller());
  };
  return county;
}

CountyStore::~CountyStore() {
  // The stores use the database: close them first.
  authenticator_.reset();
  ledger_.reset();
  settings_.reset();
  directory_.reset();
  tickets_.reset();
  database_.reset();
}

absl::Status CountyStore::CreateViaStore(uint64_t n, const std::string& run_id) {
  const v1::CreateTicketRequest request = CreateRequest(n, run_id);
  const CallContext call = backend_.ContextFor(leader_);
  RETURN_IF_ERROR(Validate(request, call.loop));
  return tickets_
      ->Create(RequestKeyFor(leader_, "duban.v1.TicketService/CreateTicket", request),
               call.loop.now,
               [&](uint64_t id) { return NewTicket(id, request, nullptr, call.loop); })
      .status();
}

absl::Status CountyStore::CreateMany(uint64_t first, int count, absl::Time now) {
  CallContext call = backend_.ContextFor(leader_);
  call.loop.now = absl::FromUnixMicros(absl::ToUnixMicros(now));
  return tickets_
      ->CreateMany(storage::RequestKey{}, call.loop.now, count,
                   [&](const std::vector<uint64_t>& ids, storage::AuditedBatch&,
                       std::vector<TicketChange>& changes) -> absl::StatusOr<std::string> {
                     for (size_t i = 0; i < ids.size(); ++i) {
                       const v1::CreateTicketRequest request = CreateRequest(first + i, "");
                       RETURN_IF_ERROR(Validate(request, call.loop));
                       ASSIGN_OR_RETURN(TicketChange change,
                                        NewTicket(ids[i], request, nullptr, call.loop));
                       changes.push_back(std::move(change));
                     }
                     return std::string();
                   })
      .status();
}

absl::Status CountyStore::CreateLives(uint64_t first, int count,
                                      absl::FunctionRef<LifePlan(uint64_t n)> plan) {
  const CallContext call = backend_.ContextFor(leader_);
  return tickets_
      ->CreateMany(storage::RequestKey{}, call.loop.now, count,
                   [&](const std::vector<uint64_t>& ids, storage::AuditedBatch&,
                       std::vector<TicketChange>& changes) -> absl::StatusOr<std::string> {
                     for (size_t i = 0; i < ids.size(); ++i) {
                       ASSIGN_OR_RETURN(TicketChange life,
                                        LiveTicket(ids[i], first + i, plan(first + i), actors_,
                                                   backend_));
                       changes.push_back(std::move(life));
                     }
                     return std::string();
                   })
      .status();
}

}  // namespace duban::load
