#include "tests/bench/load/workloads.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <atomic>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "duban/v1/ticket_service.grpc.pb.h"
#include "tests/bench/load/empty_unary_server.h"
#include "tests/bench/load/ticket_requests.h"

namespace duban::load {
namespace {

constexpr const char* kService = "/duban.v1.TicketService/";

// A ticket of a pool: its name and the token of its lead unit's staff.
struct PoolTicket {
  std::string name;
  std::string unit_token;
};

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

class Setup {
 public:
  Setup(const std::string& target, const WorkloadOptions& options)
      : options_(options),
        stub_(v1::TicketService::NewStub(
            grpc::CreateChannel(target, grpc::InsecureChannelCredentials()))) {}

  // `count` new tickets; signed for by their lead unit when `sign`.
  absl::StatusOr<std::vector<PoolTicket>> MakePool(const std::string& workload, int count,
                                                   bool sign) {
    std::vector<PoolTicket> pool;
    for (int n = 0; n < count; ++n) {
      grpc::ClientContext context;
      Authorize(context, options_.token);
      v1::Ticket ticket;
      v1::CreateTicketRequest request =
          CreateRequest(static_cast<uint64_t>(n), absl::StrCat(options_.run_id, "-", workload));
      if (absl::Status s =
              FromGrpc(stub_->CreateTicket(&context, request, &ticket), "setup create");
          !s.ok()) {
        return s;
      }
      PoolTicket& entry = pool.emplace_back();
      entry.name = ticket.name();
      entry.unit_token = LeadUnitOf(static_cast<uint64_t>(n));
      if (!sign) continue;
      grpc::ClientContext sign_context;
      Authorize(sign_context, entry.unit_token);
      v1::SignTicketRequest sign_request;
      sign_request.set_name(entry.name);
      sign_request.set_comment("收到");
      if (absl::Status s =
              FromGrpc(stub_->SignTicket(&sign_context, sign_request, &ticket), "setup sign");
          !s.ok()) {
        return s;
      }
    }
    return pool;
  }

 private:
  static void Authorize(grpc::ClientContext& context, const std::string& token) {
    context.AddMetadata("authorization", "Bearer " + token);
  }

  const WorkloadOptions& options_;
  std::unique_ptr<v1::TicketService::Stub> stub_;
};

// Mixes a pool index out of a call number, so concurrent calls spread.
size_t Pick(uint64_t sequence, size_t size) {
  return static_cast<size_t>((sequence * 0x9E3779B97F4A7C15ULL) >> 17) % size;
}

RpcCall Create(uint64_t n, const WorkloadOptions& options) {
  return {absl::StrCat(kService, "CreateTicket"),
          CreateRequest(n, options.run_id).SerializeAsString(), options.token};
}

RpcCall Get(uint64_t n, const std::vector<PoolTicket>& pool, const WorkloadOptions& options) {
  v1::GetTicketRequest request;
  request.set_name(pool[Pick(n, pool.size())].name);
  return {absl::StrCat(kService, "GetTicket"), request.SerializeAsString(), options.token};
}

RpcCall List(const WorkloadOptions& options) {
  v1::ListTicketsRequest request;
  request.set_page_size(options.list_page_size);
  request.set_filter(options.list_filter);
  return {absl::StrCat(kService, "ListTickets"), request.SerializeAsString(), options.token};
}

RpcCall Report(uint64_t n, const std::vector<PoolTicket>& pool) {
  const PoolTicket& ticket = pool[Pick(n, pool.size())];
  v1::ReportTicketProgressRequest request;
  request.set_name(ticket.name);
  request.set_comment(absl::StrCat("已排查 ", n % 100, " 户，台账同步更新"));
  request.set_progress_percent(static_cast<int32_t>(n % 100));
  return {absl::StrCat(kService, "ReportTicketProgress"), request.SerializeAsString(),
          ticket.unit_token};
}

}  // namespace

absl::StatusOr<CallSource> MakeWorkload(const std::string& name, const std::string& target,
                                        const WorkloadOptions& options) {
  Setup setup(target, options);
  if (name == "empty") {
    return CallSource([](uint64_t) { return RpcCall{kEmptyUnary, "", ""}; });
  }
  // Ticket numbers (and so request ids) count on across every phase that
  // uses this source: a repeated id would be answered from the request log.
  auto created = std::make_shared<std::atomic<uint64_t>>(0);
  if (name == "create") {
    return CallSource([options, created](uint64_t) { return Create((*created)++, options); });
  }
  if (name == "list") {
    // Enough tickets that the page is full, unless the store has them (pool 0).
    if (options.pool > 0) {
      absl::StatusOr<std::vector<PoolTicket>> pool = setup.MakePool(
          name, options.list_page_size * static_cast<int>(kLeadUnits.size()) / 4, false);
      if (!pool.ok()) return pool.status();
    }
    return CallSource([options](uint64_t) { return List(options); });
  }
  const bool sign = name == "transition" || name == "mixed";
  if (name != "get" && !sign) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown workload ", name, ": create, get, list, transition, mixed, empty"));
  }
  if (options.pool < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", name, " workload needs a pool of at least one ticket"));
  }
  absl::StatusOr<std::vector<PoolTicket>> made = setup.MakePool(name, options.pool, sign);
  if (!made.ok()) return made.status();
  auto pool = std::make_shared<std::vector<PoolTicket>>(*std::move(made));
  if (name == "get") {
    return CallSource([pool, options](uint64_t n) { return Get(n, *pool, options); });
  }
  if (name == "transition") {
    return CallSource([pool](uint64_t n) { return Report(n, *pool); });
  }
  return CallSource([pool, options, created](uint64_t n) {
    switch (n % 10) {
      case 0:
        return Create((*created)++, options);
      case 1:
      case 2:
        return Report(n, *pool);
      case 3:
      case 4:
        return List(options);
      default:
        return Get(n, *pool, options);
    }
  });
}

}  // namespace duban::load
