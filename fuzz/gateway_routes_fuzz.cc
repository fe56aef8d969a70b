// Every public route of the gateway (services/gateway), as the HTTP server would hand it a
// request: the route is picked from the gateway's own OpenAPI document, its path parameters,
// query and JSON body come from the input, and the caller is a signed-in owner of an
// organization. The services behind answer `unavailable` (fuzz/stub_clients.h): what is
// fuzzed is the gateway's reading of outside input into each route's request types. No route
// throws, crashes or answers 500; a 4xx is always problem+json.
#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "fuzz/fuzz_keys.h"
#include "fuzz/stub_clients.h"
#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/crypto/paseto.h"
#include "platform/events/bus.h"
#include "platform/http/router.h"
#include "platform/kv/memory_store.h"
#include "platform/module/context.h"
#include "platform/module/registry.h"
#include "platform/module/runtime.h"
#include "services/gateway/module.h"
#include "services/identity/api/access_token.h"

namespace travio::fuzz {
namespace {

constexpr char kOrg[] = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001";
constexpr char kUser[] = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900002";
constexpr char kGuardedTrip[] = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234";

// Identity as authentication needs it: its token keys, and the caller an owner of kOrg.
class SignedInOwner final : public StubIdentityClient {
 public:
  explicit SignedInOwner(std::string public_key) : public_key_(std::move(public_key)) {}
  absl::StatusOr<identity::TokenSettings> GetTokenSettings() override {
    return identity::TokenSettings{"paseto", "travio", "travio-api", {{"k1", public_key_}}};
  }
  absl::StatusOr<identity::Membership> ResolveMembership(const std::string&,
                                                         const std::string&) override {
    return identity::Membership{kOrg, "Fuzz Paribahan", identity::Role::kOwner};
  }

 private:
  std::string public_key_;
};

// The queue as the guard sees it: one trip behind a room, whose tokens (signed with the fuzz
// key) are admitted, so a fuzzed Queue-Token reaches the guard's verification.
class OneGuardedTrip final : public StubQueueClient {
 public:
  explicit OneGuardedTrip(std::string public_key) : public_key_(std::move(public_key)) {}
  absl::StatusOr<std::optional<queue::TripGuard>> GuardOf(const std::string& trip_id) override {
    if (trip_id != kGuardedTrip) return std::nullopt;
    return queue::TripGuard{.room_id = "eid-drop", .status = queue::RoomStatus::kOpen};
  }
  absl::StatusOr<std::vector<queue::QueueKey>> VerificationKeys() override {
    return std::vector<queue::QueueKey>{{"q1", public_key_}};
  }
  absl::StatusOr<queue::QueuePlace> Status(const std::string& room_id, const std::string& ticket,
                                           const std::string&) override {
    return queue::QueuePlace{.room_id = room_id, .ticket = ticket, .admitted = true};
  }

 private:
  std::string public_key_;
};

// What the gateway module is given: stub clients for every service, memory hot state.
class FuzzContext final : public module::Context {
 public:
  FuzzContext(const config::Config& config, std::shared_ptr<identity::IdentityClient> identity,
              std::shared_ptr<queue::QueueClient> queue)
      : config_(config),
        clients_("gateway",
                 {"identity", "operator", "catalog", "inventory", "search", "order", "payment",
                  "queue", "fulfillment", "pricing", "fraud", "audit", "subscription", "reporting"},
                 {}, nullptr, nullptr),
        hot_state_(kv::MakeMemoryStore(clock_)) {
    clients_.Export<identity::IdentityClient>(std::move(identity));
    clients_.Export<fleet::OperatorClient>(std::make_shared<StubOperatorClient>());
    clients_.Export<catalog::CatalogClient>(std::make_shared<StubCatalogClient>());
    clients_.Export<inventory::InventoryClient>(std::make_shared<StubInventoryClient>());
    clients_.Export<search::SearchClient>(std::make_shared<StubSearchClient>());
    clients_.Export<order::OrderClient>(std::make_shared<StubOrderClient>());
    clients_.Export<payment::PaymentClient>(std::make_shared<StubPaymentClient>());
    clients_.Export<queue::QueueClient>(std::move(queue));
    clients_.Export<fulfillment::FulfillmentClient>(std::make_shared<StubFulfillmentClient>());
    clients_.Export<pricing::PricingClient>(std::make_shared<StubPricingClient>());
    clients_.Export<fraud::FraudClient>(std::make_shared<StubFraudClient>());
    clients_.Export<audit::AuditClient>(std::make_shared<StubAuditClient>());
    clients_.Export<subscription::SubscriptionClient>(std::make_shared<StubSubscriptionClient>());
    clients_.Export<reporting::ReportingClient>(std::make_shared<StubReportingClient>());
  }
  const std::string& module_name() const override { return name_; }
  const std::string& instance_id() const override { return name_; }
  const config::Config& config() const override { return config_; }
  const log::Logger& logger() const override { return logger_; }
  const Clock& clock() const override { return clock_; }
  const IdGenerator& ids() const override { return ids_; }
  metrics::Registry& metrics() override { return metrics_; }
  http::Router& router() override { return router_; }
  void AddGrpcService(grpc::Service*) override {}
  module::Clients& clients() override { return clients_; }
  absl::StatusOr<db::Database*> database() override {
    return absl::FailedPreconditionError("the gateway has no database");
  }
  absl::StatusOr<kv::KeyValueStore*> hot_state() override { return hot_state_.get(); }
  events::Bus& events() override { return bus_; }
  absl::StatusOr<events::Outbox*> outbox() override {
    return absl::FailedPreconditionError("the gateway has no outbox");
  }

 private:
  std::string name_ = "gateway";
  const config::Config& config_;
  log::Logger logger_ = log::Logger::ToStderr(log::Level::kError);
  SystemClock clock_;
  IdGenerator ids_{clock_};
  metrics::Registry metrics_;
  http::Router router_;
  module::Clients clients_;
  std::unique_ptr<kv::KeyValueStore> hot_state_;
  events::Bus bus_;
};

struct Route {
  std::string method;
  std::string pattern;
};

struct Gateway {
  FuzzKeys keys;
  config::Config config;
  std::unique_ptr<FuzzContext> context;
  std::unique_ptr<module::Module> module;
  std::vector<Route> routes;
  std::string token;
  int64_t requests = 0;

  template <typename T>
  static T Must(absl::StatusOr<T> value) {
    if (!value.ok()) {
      std::fprintf(stderr, "gateway fuzz setup: %s\n", value.status().ToString().c_str());
      Violated("the gateway starts");
    }
    return *std::move(value);
  }

  Gateway() {
    module::Registry registry;
    if (!gateway::RegisterGatewayModule(registry).ok()) Violated("the gateway registers");
    const module::ModuleSpec& spec = registry.specs().at("gateway");
    config::Schema schema;
    if (!module::DeclareCoreConfig(registry, schema).ok()) {  // with the modules' sections
      Violated("the gateway declares its config");
    }
    // One address sends everything: per-client limits would answer 429 to most inputs.
    config = Must(config::Config::Load(schema, {.flags = {{"gateway.client_limits", "off"}}}));
    context =
        std::make_unique<FuzzContext>(config, std::make_shared<SignedInOwner>(keys.public_key),
                                      std::make_shared<OneGuardedTrip>(keys.public_key));
    module = Must(spec.factory(*context));
    // The routes, from the gateway's own OpenAPI document.
    http::Request openapi{.method = "GET", .target = "/openapi.json", .path = "/openapi.json"};
    const nlohmann::json document = nlohmann::json::parse(context->router().Handle(openapi).body);
    for (const auto& [path, operations] : document.at("paths").items()) {
      for (const auto& [method, operation] : operations.items()) {
        routes.push_back({absl::AsciiStrToUpper(method), path});
      }
    }
    if (routes.size() < 40) Violated("the OpenAPI document lists the routes");
    const absl::Time now = absl::Now();
    token = Must(identity::SignAccessToken(identity::TokenFormat::kPaseto, "k1", keys.secret_key,
                                           {.issuer = "travio",
                                            .subject = kUser,
                                            .audience = "travio-api",
                                            .token_id = "fuzz",
                                            .session_id = "fuzz-session",
                                            .issued_at = now,
                                            .not_before = now,
                                            .expires_at = now + absl::Hours(24 * 365)}));
  }
};

// A path parameter: a well-formed id most of the time, so the body is reached; anything else
// the rest of the time.
std::string Parameter(FuzzedDataProvider& input) {
  switch (input.ConsumeIntegralInRange(0, 3)) {
    case 0:
      return "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234";
    case 1:
      return "eid-drop";
    case 2:
      return "DHK";
    default:
      return input.ConsumeRandomLengthString(40);
  }
}

}  // namespace
}  // namespace travio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace travio;
  static fuzz::Gateway gateway;
  FuzzedDataProvider input(data, size);
  const fuzz::Route& route =
      gateway.routes[input.ConsumeIntegralInRange<size_t>(0, gateway.routes.size() - 1)];
  std::string path = route.pattern;
  for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{')) {
    const size_t close = path.find('}', open);
    if (close == std::string::npos) break;
    path.replace(open, close - open + 1, fuzz::Parameter(input));
  }
  http::Request request;
  request.method = route.method;
  request.path = path;
  request.query = input.ConsumeRandomLengthString(120);
  request.target = request.query.empty() ? path : absl::StrCat(path, "?", request.query);
  request.remote_address = "203.0.113.7";
  request.request_id = "fuzz";
  switch (input.ConsumeIntegralInRange(0, 9)) {
    case 0:
      break;
    case 1:
      request.headers.emplace("Authorization", input.ConsumeRandomLengthString(300));
      break;
    default:
      request.headers.emplace("Authorization", "Bearer " + gateway.token);
      break;
  }
  request.headers.emplace("X-Org-Id", input.ConsumeIntegralInRange(0, 9) == 0
                                          ? input.ConsumeRandomLengthString(40)
                                          : std::string(fuzz::kOrg));
  if (input.ConsumeIntegralInRange(0, 9) != 0) {
    request.headers.emplace("Content-Type", "application/json");
  }
  request.headers.emplace("Idempotency-Key", absl::StrCat("fuzz-", ++gateway.requests));
  switch (input.ConsumeIntegralInRange(0, 3)) {
    case 0:
      request.headers.emplace("Queue-Token", input.ConsumeRandomLengthString(200));
      break;
    case 1: {
      // Claims of the input's choosing, signed as the queue signs: the guard's reading of them.
      absl::StatusOr<std::string> token =
          crypto::V4PublicSign(gateway.keys.secret_key, input.ConsumeRandomLengthString(200),
                               "{\"kid\":\"q1\"}", "travio-queue-token");
      if (token.ok()) request.headers.emplace("Queue-Token", *token);
      break;
    }
    default:
      break;
  }
  request.body = input.ConsumeRemainingBytesAsString();
  const http::Response response = gateway.context->router().Handle(request);
  if (response.status >= 500 && response.status != 503) {
    std::fprintf(stderr, "%s %s -> %d %s\n", request.method.c_str(), request.target.c_str(),
                 response.status, response.body.c_str());
    fuzz::Violated("no route answers 500");
  }
  if (response.status >= 400) {
    auto type = response.headers.find("Content-Type");
    if (type == response.headers.end() || type->second != "application/problem+json") {
      std::fprintf(stderr, "%s %s -> %d without problem+json\n", request.method.c_str(),
                   request.target.c_str(), response.status);
      fuzz::Violated("every 4xx is problem+json");
    }
  }
  return 0;
}
