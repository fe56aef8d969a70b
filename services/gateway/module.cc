#include "services/gateway/module.h"

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/base/version.h"
#include "platform/events/bus.h"
#include "platform/http/json.h"
#include "platform/http/problem.h"
#include "platform/http/router.h"
#include "platform/module/context.h"
#include "services/gateway/routes/audit_routes.h"
#include "services/gateway/routes/catalog_routes.h"
#include "services/gateway/routes/export_pump.h"
#include "services/gateway/routes/fleet_routes.h"
#include "services/gateway/routes/fraud_routes.h"
#include "services/gateway/routes/identity_routes.h"
#include "services/gateway/routes/inventory_routes.h"
#include "services/gateway/routes/order_routes.h"
#include "services/gateway/routes/payment_routes.h"
#include "services/gateway/routes/pricing_routes.h"
#include "services/gateway/routes/queue_routes.h"
#include "services/gateway/routes/report_routes.h"
#include "services/gateway/routes/sales_routes.h"
#include "services/gateway/routes/search_routes.h"
#include "services/gateway/routes/subscription_routes.h"
#include "services/gateway/routes/ticket_routes.h"
#include "services/gateway/security/authenticator.h"
#include "services/gateway/security/queue_guard.h"
#include "services/gateway/security/secure_routes.h"
#include "services/gateway/security/traffic.h"
#include "services/identity/api/identity_client.h"

namespace travio::gateway {
namespace {

constexpr int64_t kSecondMs = 1000;

std::string LimitKey(TrafficClass traffic, std::string_view per) {
  return absl::StrCat("gateway.limits.", ToAbsl(NameOf(traffic)), ".", ToAbsl(per));
}

absl::Status DeclareGatewayConfig(config::Schema& schema) {
  using config::KeySpec;
  using config::KeyType;
  std::vector<KeySpec> keys = {
      {.name = "gateway.client_limits",
       .type = KeyType::kString,
       .default_value = "on",
       .description = "off turns off every per-address and per-subject rate limit and cap (load "
                      "tests from one address); total caps and per-holder hold caps stay",
       .allowed = {"on", "off"}},
      {.name = "gateway.sign_in_concurrency",
       .type = KeyType::kInt,
       .default_value = "4",
       .description = "Password sign-ins (register, login, invite acceptance) handled at once; "
                      "more are answered 503 sign_in_busy",
       .min = 1,
       .max = 1024},
      {.name = "gateway.hold_seats_per_address",
       .type = KeyType::kInt,
       .default_value = "20",
       .description = "Seats one client address (IPv6: its /64) may hold at once on one trip",
       .min = 1,
       .max = 10000},
      {.name = "gateway.hold_seats_per_subject",
       .type = KeyType::kInt,
       .default_value = "10",
       .description = "Seats one traveller (account or guest) may hold at once on one trip",
       .min = 1,
       .max = 10000},
      {.name = "gateway.idempotency_keys_per_day",
       .type = KeyType::kInt,
       .default_value = "2000",
       .description = "New Idempotency-Keys one caller may use per 24 hours",
       .min = 1,
       .max = 10000000},
      {.name = "gateway.streams_total",
       .type = KeyType::kInt,
       .default_value = "5000",
       .description = "Seat streams open at once in this gateway (503 beyond); below "
                      "http.max_connections, so streams never take every connection",
       .min = 1,
       .max = 1000000},
      {.name = "gateway.streams_per_address",
       .type = KeyType::kInt,
       .default_value = "8",
       .description = "Seat streams one client address may have open (429 beyond)",
       .min = 1,
       .max = 100000},
      {.name = "gateway.stream_lifetime",
       .type = KeyType::kDuration,
       .default_value = "30m",
       .description = "How long a seat stream lasts before the server ends it (browsers "
                      "reconnect)",
       .min = kSecondMs,
       .max = 24 * 3600 * kSecondMs},
  };
  const auto defaults = TrafficSettings::DefaultLimits();
  for (TrafficClass traffic : AllTrafficClasses()) {
    const ClassLimits& limits = defaults.at(traffic);
    keys.push_back({.name = LimitKey(traffic, "per_address"),
                    .type = KeyType::kInt,
                    .default_value = std::to_string(limits.per_address),
                    .description = absl::StrCat("Requests per minute of one client address to ",
                                                ToAbsl(NameOf(traffic)), " routes (0: no limit)"),
                    .min = 0,
                    .max = 100000000});
    keys.push_back({.name = LimitKey(traffic, "per_subject"),
                    .type = KeyType::kInt,
                    .default_value = std::to_string(limits.per_subject),
                    .description = absl::StrCat("Requests per minute of one caller to ",
                                                ToAbsl(NameOf(traffic)), " routes (0: no limit)"),
                    .min = 0,
                    .max = 100000000});
  }
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

TrafficSettings TrafficSettingsFrom(const config::Config& config) {
  TrafficSettings settings{
      .client_limits = config.String("gateway.client_limits") == "on",
      .limits = {},
      .sign_in_concurrency = static_cast<int>(config.Int("gateway.sign_in_concurrency")),
      .hold_seats_per_address = config.Int("gateway.hold_seats_per_address"),
      .hold_seats_per_subject = config.Int("gateway.hold_seats_per_subject")};
  for (TrafficClass traffic : AllTrafficClasses()) {
    settings.limits[traffic] = {.per_address = config.Int(LimitKey(traffic, "per_address")),
                                .per_subject = config.Int(LimitKey(traffic, "per_subject"))};
  }
  return settings;
}

class GatewayModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<GatewayModule>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(auto identity, context.clients().Bind<identity::IdentityClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto fleet, context.clients().Bind<fleet::OperatorClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto catalog, context.clients().Bind<catalog::CatalogClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto inventory, context.clients().Bind<inventory::InventoryClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto search, context.clients().Bind<search::SearchClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto orders, context.clients().Bind<order::OrderClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto payments, context.clients().Bind<payment::PaymentClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto waiting_rooms, context.clients().Bind<queue::QueueClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto tickets, context.clients().Bind<fulfillment::FulfillmentClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto pricing, context.clients().Bind<pricing::PricingClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto fraud, context.clients().Bind<fraud::FraudClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto audit, context.clients().Bind<audit::AuditClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto subscription,
                            context.clients().Bind<subscription::SubscriptionClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto reports, context.clients().Bind<reporting::ReportingClient>());
    TRAVIO_ASSIGN_OR_RETURN(kv::KeyValueStore * hot_state, context.hot_state());
    auto module = std::unique_ptr<GatewayModule>(new GatewayModule(context, identity, *hot_state));
    const config::Config& config = context.config();
    http::Router& router = context.router();
    module->routes_.UseAuditTrail(std::make_shared<AuditTrail>(
        audit, context.clock(), context.ids(), context.logger(), &context.metrics()));
    TRAVIO_RETURN_IF_ERROR(module->routes_.Add(
        {"GET",
         "/v1/version",
         RoutePolicy{.access = Access::kAnonymous},
         [raw = module.get()](http::Request& r, const Caller&) { return raw->Version(r); },
         {"This build's version and the identity service's",
          "operations",
          nullptr,
          200,
          nlohmann::json{{"type", "object"}},
          {}}}));
    auto guard = std::make_shared<QueueGuard>(waiting_rooms, context.clock(), context.logger());
    TRAVIO_RETURN_IF_ERROR(AddIdentityRoutes(module->routes_, router, module->authenticator_,
                                             identity, guard, tickets, audit));
    TRAVIO_RETURN_IF_ERROR(AddFleetRoutes(module->routes_, fleet, catalog, identity));
    TRAVIO_RETURN_IF_ERROR(AddCatalogRoutes(module->routes_, catalog));
    const bool client_limits = config.String("gateway.client_limits") == "on";
    if (config.Int("gateway.streams_total") >= config.Int("http.max_connections")) {
      return absl::InvalidArgumentError(
          "gateway.streams_total must be below http.max_connections: seat streams stay open, "
          "and must leave connections for everything else");
    }
    module->seat_feed_ = std::make_shared<SeatFeed>(
        context.clock(),
        StreamLimits{
            .total = static_cast<size_t>(config.Int("gateway.streams_total")),
            .per_address =
                client_limits ? static_cast<size_t>(config.Int("gateway.streams_per_address")) : 0,
            .lifetime = config.Duration("gateway.stream_lifetime")});
    module->seat_feed_->Follow(context.events(), context.logger());
    module->heartbeat_ = std::make_unique<PeriodicTask>(
        absl::Seconds(15), [feed = module->seat_feed_] { feed->Heartbeat(); });
    TRAVIO_RETURN_IF_ERROR(AddInventoryRoutes(module->routes_, inventory, module->seat_feed_,
                                              module->traffic_, guard));
    TRAVIO_RETURN_IF_ERROR(
        AddQueueRoutes(module->routes_, router, waiting_rooms, config.String("http.static_dir")));
    TRAVIO_RETURN_IF_ERROR(AddSearchRoutes(module->routes_, search));
    TRAVIO_RETURN_IF_ERROR(AddOrderRoutes(module->routes_, orders, identity, tickets));
    TRAVIO_RETURN_IF_ERROR(AddSalesRoutes(module->routes_, orders, payments));
    TRAVIO_RETURN_IF_ERROR(AddTicketRoutes(module->routes_, tickets, orders, identity));
    TRAVIO_RETURN_IF_ERROR(AddPaymentRoutes(module->routes_, payments));
    TRAVIO_RETURN_IF_ERROR(AddPricingRoutes(module->routes_, pricing, inventory));
    TRAVIO_RETURN_IF_ERROR(AddFraudRoutes(module->routes_, orders, fraud));
    TRAVIO_RETURN_IF_ERROR(AddAuditRoutes(module->routes_, audit, identity));
    TRAVIO_RETURN_IF_ERROR(AddSubscriptionRoutes(module->routes_, subscription));
    // Two threads write every export's pages: each waits on its client between pages, so a
    // few threads keep many downloads moving.
    module->exports_ =
        std::make_shared<ExportPump>(2, ExportLimits{}, context.clock(), context.logger());
    TRAVIO_RETURN_IF_ERROR(AddReportRoutes(module->routes_, reports, module->exports_));
    // Built once, after every route is in the table.
    auto document = std::make_shared<const std::string>(module->routes_.openapi().Build().dump());
    TRAVIO_RETURN_IF_ERROR(router.Add("GET", "/openapi.json", [document](http::Request&) {
      return http::Response::Text(200, *document, "application/json");
    }));
    return module;
  }

  // GET /v1/version: this process's build and that of the identity service, reached through
  // its client (in-process or over gRPC).
  http::Response Version(http::Request& request) {
    auto info = identity_->GetServerInfo();
    if (!info.ok()) {
      logger_.Warn("identity unreachable",
                   {{"request_id", request.request_id}, {"error", info.status().ToString()}});
      return http::ProblemFromStatus(info.status());
    }
    return http::Json(200, {{"version", std::string(travio::Version())},
                            {"commit", std::string(Commit())},
                            {"instance_id", instance_id_},
                            {"services",
                             {{"identity",
                               {{"version", info->version},
                                {"commit", info->commit},
                                {"instance_id", info->instance_id}}}}}});
  }

  // The seat streams' heartbeat.
  absl::Status Start() override {
    heartbeat_->Start();
    return absl::OkStatus();
  }
  void Stop() override { heartbeat_->Stop(); }

 private:
  GatewayModule(module::Context& context, std::shared_ptr<identity::IdentityClient> identity,
                kv::KeyValueStore& hot_state)
      : identity_(std::move(identity)),
        instance_id_(context.instance_id()),
        logger_(context.logger()),
        authenticator_(identity_, hot_state, context.clock(), context.logger()),
        routes_(context.router(), authenticator_, context.logger()),
        traffic_(std::make_shared<TrafficControl>(hot_state, context.clock(),
                                                  TrafficSettingsFrom(context.config()),
                                                  context.logger(), &context.metrics())) {
    const bool client_limits = traffic_->client_limits();
    routes_.UseIdempotency(std::make_shared<Idempotency>(
        hot_state, context.clock(),
        IdempotencySettings{
            .keys_per_caller_per_day =
                client_limits ? context.config().Int("gateway.idempotency_keys_per_day") : 0}));
    routes_.UseTraffic(traffic_);
  }

  std::shared_ptr<identity::IdentityClient> identity_;
  std::shared_ptr<SeatFeed> seat_feed_;
  std::shared_ptr<ExportPump> exports_;
  std::unique_ptr<PeriodicTask> heartbeat_;
  std::string instance_id_;
  log::Logger logger_;
  Authenticator authenticator_;
  SecureRoutes routes_;
  std::shared_ptr<TrafficControl> traffic_;
};

}  // namespace

absl::Status RegisterGatewayModule(module::Registry& registry) {
  return registry.Add({
      .name = "gateway",
      .description = "public REST API, auth, tenant scoping, rate limits, idempotency, web UI",
      .calls = {"identity", "operator", "catalog", "inventory", "search", "order", "payment",
                "queue", "fulfillment", "pricing", "fraud", "audit", "subscription", "reporting"},
      .declare_config = DeclareGatewayConfig,
      .factory = [](module::Context& context) -> absl::StatusOr<std::unique_ptr<module::Module>> {
        TRAVIO_ASSIGN_OR_RETURN(auto module, GatewayModule::Create(context));
        return std::unique_ptr<module::Module>(std::move(module));
      },
  });
}

}  // namespace travio::gateway
