// What an operator sees of a running server: the Prometheus endpoint,
// scraped over HTTP, and the JSON call log.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "duban/v1/admin_service.grpc.pb.h"
#include "server/edge/call_observer.h"
#include "server/runtime/json_log.h"
#include "storage/memory_budget.h"
#include "tests/e2e/rpc_client.h"
#include "tests/support/http_get.h"
#include "tests/support/log_file.h"

namespace duban::testing {
namespace {

// The sum of the values of `name`'s samples whose labels include every one
// of `labels` (e.g. `grpc_code="OK"`); nullopt when no sample matches.
std::optional<double> Sample(const std::string& exposition, const std::string& name,
                             const std::vector<std::string>& labels = {}) {
  std::optional<double> sum;
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (!absl::StartsWith(line, name)) continue;
    const absl::string_view rest = line.substr(name.size());
    if (!absl::StartsWith(rest, "{") && !absl::StartsWith(rest, " ")) continue;
    bool all = true;
    for (const std::string& label : labels) all = all && absl::StrContains(rest, label);
    double value = 0;
    if (!all || !absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) continue;
    sum = sum.value_or(0) + value;
  }
  return sum;
}

// The string under `key` in a JSON log line; nullopt when it has none.
std::optional<std::string> StringField(const google::protobuf::Struct& line,
                                       const std::string& key) {
  const auto it = line.fields().find(key);
  if (it == line.fields().end()) return std::nullopt;
  return it->second.string_value();
}

std::optional<double> NumberField(const google::protobuf::Struct& line, const std::string& key) {
  const auto it = line.fields().find(key);
  if (it == line.fields().end()) return std::nullopt;
  return it->second.number_value();
}

class ObservabilityTest : public ::testing::Test {
 protected:
  ObservabilityTest()
      : server_(
            [this](ServerOptions& options) {
              options.metrics_listen = "127.0.0.1:0";
              options.memory = *storage::PlanMemory(256 << 20);
              options.log = std::make_shared<JsonLog>(log_file_.file(), LogLevel::kDebug);
            },
            /*scheduler=*/false) {}
  ~ObservabilityTest() override { server_.Stop(); }

  std::string Scrape() {
    absl::StatusOr<std::string> body = HttpGet(server_.server().metrics_port(), "/metrics");
    EXPECT_TRUE(body.ok()) << body.status();
    return body.value_or("");
  }

  LogFile log_file_;  // outlives the server that writes to it
  TestServer server_;
  RpcClient client_{server_};
};

TEST_F(ObservabilityTest, CountsEveryCallByMethodAndCode) {
  v1::Ticket ticket = client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  v1::GetTicketRequest missing;
  missing.set_name("tickets/999");
  v1::Ticket ignored;
  ASSERT_EQ(client_.Call("leader", &Tickets::GetTicket, missing, &ignored).error_code(),
            grpc::NOT_FOUND);
  ASSERT_EQ(client_.Call("", &Tickets::GetTicket, missing, &ignored).error_code(),
            grpc::UNAUTHENTICATED);

  const std::string metrics = Scrape();
  const std::string get = "grpc_method=\"GetTicket\"";
  EXPECT_EQ(Sample(metrics, "grpc_server_started_total", {get}), 2) << metrics;
  EXPECT_EQ(Sample(metrics, "grpc_server_handled_total", {get, "grpc_code=\"NOT_FOUND\""}), 1);
  EXPECT_EQ(Sample(metrics, "grpc_server_handled_total", {get, "grpc_code=\"UNAUTHENTICATED\""}),
            1);
  EXPECT_EQ(Sample(metrics, "grpc_server_handled_total",
                   {"grpc_method=\"CreateTicket\"", "grpc_service=\"duban.v1.TicketService\"",
                    "grpc_type=\"unary\"", "grpc_code=\"OK\""}),
            1);
  EXPECT_EQ(Sample(metrics, "grpc_server_handling_seconds_count", {"grpc_method=\"CreateTicket\""}),
            1);
  EXPECT_EQ(Sample(metrics, "duban_tickets", {"stage=\"deploy\"", "card=\"none\""}), 1);
  EXPECT_EQ(Sample(metrics, "duban_tickets_overdue"), 0);
  EXPECT_GE(Sample(metrics, "duban_store_size_bytes").value_or(-1), 0);
  EXPECT_GE(Sample(metrics, "duban_store_pending_compaction_bytes").value_or(-1), 0);
}

// Where the memory is, against the budget the server was started with: the
// gauges, and AdminService.GetServerStats (ADMIN) with the same figures.
TEST_F(ObservabilityTest, ShowsWhereTheMemoryIsAgainstTheBudget) {
  for (int i = 0; i < 20; ++i) client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  const std::string metrics = Scrape();
  constexpr double kMiB = 1 << 20;
  EXPECT_EQ(Sample(metrics, "duban_memory_budget_bytes"), 256 * kMiB) << metrics;
  EXPECT_EQ(Sample(metrics, "duban_block_cache_capacity_bytes"), 192 * kMiB);
  EXPECT_EQ(Sample(metrics, "duban_memtable_limit_bytes"), 24 * kMiB);
  const double memtables = Sample(metrics, "duban_memtable_bytes").value_or(-1);
  EXPECT_GT(memtables, 0) << "the tickets just created are in memtables";
  EXPECT_GE(Sample(metrics, "duban_block_cache_usage_bytes").value_or(-1), memtables)
      << "memtables are charged to the cache";
  EXPECT_GE(Sample(metrics, "duban_block_cache_pinned_bytes").value_or(-1), 0);
  EXPECT_GE(Sample(metrics, "duban_table_readers_bytes").value_or(-1), 0);
  EXPECT_GT(Sample(metrics, "duban_process_resident_bytes").value_or(-1), 8 * kMiB);

  auto admin = v1::AdminService::NewStub(server_.channel());
  grpc::ClientContext context;
  Authorize(context, "admin");
  v1::ServerStats stats;
  const grpc::Status status = admin->GetServerStats(&context, v1::GetServerStatsRequest(), &stats);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stats.memory_budget_bytes(), 256 << 20);
  EXPECT_EQ(stats.block_cache_capacity_bytes(), 192 << 20);
  EXPECT_EQ(stats.memtable_limit_bytes(), 24 << 20);
  EXPECT_GT(stats.memtable_bytes(), 0);
  EXPECT_GE(stats.block_cache_usage_bytes(), stats.memtable_bytes());
  EXPECT_GT(stats.resident_bytes(), 8 << 20);
  EXPECT_GT(stats.sequence(), 20) << "every create is a write";

  grpc::ClientContext leader;
  Authorize(leader, "leader");
  EXPECT_EQ(admin->GetServerStats(&leader, v1::GetServerStatsRequest(), &stats).error_code(),
            grpc::PERMISSION_DENIED);
}

TEST_F(ObservabilityTest, CountsEscalationsByLevelAndTimesSweeps) {
  client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  server_.Advance(absl::Hours(24 * 7));  // sign-for long overdue
  v1::SweepResponse swept;
  ASSERT_TRUE(client_.Call("escalator", &Escalations::Sweep, v1::SweepRequest(), &swept).ok());
  ASSERT_GT(swept.firings_size(), 0);

  const std::string metrics = Scrape();
  EXPECT_EQ(Sample(metrics, "duban_escalations_fired_total"), swept.firings_size()) << metrics;
  EXPECT_EQ(Sample(metrics, "duban_escalations_fired_total", {"level=\"yellow\""}), 1);
  EXPECT_EQ(Sample(metrics, "duban_escalation_sweep_seconds_count"), 1);
  EXPECT_EQ(Sample(metrics, "duban_tickets_overdue"), 1);
}

TEST_F(ObservabilityTest, LogsEachCallAsOneJsonObject) {
  v1::CreateTicketRequest create = DeployRequest(server_.clock().Now());
  create.set_request_id("deploy-log-1");
  client_.MustCreate("leader", create);
  v1::GetTicketRequest missing;
  missing.set_name("tickets/999");
  v1::Ticket ignored;
  ASSERT_FALSE(client_.Call("nongye", &Tickets::GetTicket, missing, &ignored).ok());

  std::map<std::string, google::protobuf::Struct> by_method;
  for (absl::string_view line : absl::StrSplit(log_file_.Contents(), '\n', absl::SkipEmpty())) {
    google::protobuf::Struct object;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &object).ok())
        << line;
    const std::optional<std::string> msg = StringField(object, "msg");
    ASSERT_TRUE(msg.has_value()) << "a log line without msg: " << line;
    if (*msg != "call") continue;
    const std::optional<std::string> method = StringField(object, "method");
    ASSERT_TRUE(method.has_value()) << "a call logged without its method: " << line;
    by_method[*method] = object;
  }
  const auto created = by_method.find("/duban.v1.TicketService/CreateTicket");
  ASSERT_NE(created, by_method.end()) << "CreateTicket was not logged:\n" << log_file_.Contents();
  EXPECT_EQ(StringField(created->second, "code"), "OK");
  EXPECT_EQ(StringField(created->second, "level"), "debug");
  EXPECT_EQ(StringField(created->second, "principal"), "principals/leader");
  EXPECT_EQ(StringField(created->second, "request_id"), "deploy-log-1");
  const std::optional<double> duration_ms = NumberField(created->second, "duration_ms");
  ASSERT_TRUE(duration_ms.has_value()) << "CreateTicket was logged without duration_ms";
  EXPECT_GT(*duration_ms, 0);
  const auto refused = by_method.find("/duban.v1.TicketService/GetTicket");
  ASSERT_NE(refused, by_method.end()) << "GetTicket was not logged:\n" << log_file_.Contents();
  EXPECT_EQ(StringField(refused->second, "code"), "NOT_FOUND");
  EXPECT_EQ(StringField(refused->second, "level"), "info");
  EXPECT_EQ(StringField(refused->second, "principal"), "principals/nongye");
}

// At the usual log level a successful call is not logged; its principal,
// noted when it was authenticated, must still be forgotten when it ends —
// or every call leaves one behind, for months (the soak of
// docs/performance.md found it).
TEST(CallObserverTest, ForgetsEveryCallsPrincipalLoggedOrNot) {
  LogFile log_file;
  TestServer server(
      [&](ServerOptions& options) {
        options.log = std::make_shared<JsonLog>(log_file.file(), LogLevel::kInfo);
      },
      /*scheduler=*/false);
  RpcClient client{server};
  v1::Ticket ticket = client.MustCreate("leader", DeployRequest(server.clock().Now()));
  v1::GetTicketRequest get;
  get.set_name("tickets/999");
  v1::Ticket got;
  ASSERT_EQ(client.Call("leader", &Tickets::GetTicket, get, &got).error_code(), grpc::NOT_FOUND)
      << "a call that is logged, at info";
  // Then calls that are not logged: their principals are forgotten all the
  // same, when each call ends.
  get.set_name(ticket.name());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(client.Call("leader", &Tickets::GetTicket, get, &got).ok());
  }
  EXPECT_EQ(server.server().observer().principals_noted(), 0u);
  server.Stop();
}

TEST(MetricsEndpointTest, APortInUseIsRefusedNamingTheFlag) {
  TestServer first(
      std::function<void(ServerOptions&)>([](ServerOptions& options) {
        options.metrics_listen = "127.0.0.1:0";
      }),
      /*scheduler=*/false);
  ScratchDir dir;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir.path() + "/data";
  options.metrics_listen = absl::StrCat("127.0.0.1:", first.server().metrics_port());
  absl::StatusOr<std::unique_ptr<DubanServer>> second = DubanServer::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(second.status().message(), "--metrics_listen"))
      << second.status();
}

TEST(JsonLogTest, EscapesAndFiltersByLevel) {
  const std::string line =
      JsonLogLine(absl::FromUnixSeconds(0), LogLevel::kWarning, "a \"quoted\"\nline\x01",
                  {{"n", int64_t{7}}, {"ms", 1.5}, {"who", std::string("王")}});
  EXPECT_EQ(line,
            "{\"time\":\"1970-01-01T00:00:00.000Z\",\"level\":\"warning\","
            "\"msg\":\"a \\\"quoted\\\"\\nline\\u0001\",\"n\":7,\"ms\":1.5,\"who\":\"王\"}");
  JsonLog log(stderr, LogLevel::kWarning);
  EXPECT_FALSE(log.Enabled(LogLevel::kInfo));
  EXPECT_TRUE(log.Enabled(LogLevel::kError));
  EXPECT_EQ(ParseLogLevel("debug").value(), LogLevel::kDebug);
  EXPECT_FALSE(ParseLogLevel("verbose").ok());
  EXPECT_EQ(CallLogLevel(grpc::OK), LogLevel::kDebug);
  EXPECT_EQ(CallLogLevel(grpc::PERMISSION_DENIED), LogLevel::kInfo);
  EXPECT_EQ(CallLogLevel(grpc::INTERNAL), LogLevel::kError);
}

}  // namespace
}  // namespace duban::testing
