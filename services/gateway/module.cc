#include "services/gateway/module.h"

#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/base/version.h"
#include "platform/events/bus.h"
#include "platform/http/json.h"
#include "platform/http/problem.h"
#include "platform/http/router.h"
#include "platform/module/context.h"
#include "services/gateway/routes/catalog_routes.h"
#include "services/gateway/routes/fleet_routes.h"
#include "services/gateway/routes/identity_routes.h"
#include "services/gateway/routes/inventory_routes.h"
#include "services/gateway/routes/order_routes.h"
#include "services/gateway/routes/payment_routes.h"
#include "services/gateway/routes/search_routes.h"
#include "services/gateway/security/authenticator.h"
#include "services/gateway/security/secure_routes.h"
#include "services/identity/api/identity_client.h"

namespace travio::gateway {
namespace {

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
    TRAVIO_ASSIGN_OR_RETURN(kv::KeyValueStore * hot_state, context.hot_state());
    auto module = std::unique_ptr<GatewayModule>(new GatewayModule(context, identity, *hot_state));
    http::Router& router = context.router();
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
    TRAVIO_RETURN_IF_ERROR(
        AddIdentityRoutes(module->routes_, router, module->authenticator_, identity));
    TRAVIO_RETURN_IF_ERROR(AddFleetRoutes(module->routes_, fleet, catalog));
    TRAVIO_RETURN_IF_ERROR(AddCatalogRoutes(module->routes_, catalog));
    module->seat_feed_ = std::make_shared<SeatFeed>();
    module->seat_feed_->Follow(context.events(), context.logger());
    module->heartbeat_ = std::make_unique<PeriodicTask>(
        absl::Seconds(15), [feed = module->seat_feed_] { feed->Heartbeat(); });
    TRAVIO_RETURN_IF_ERROR(AddInventoryRoutes(module->routes_, inventory, module->seat_feed_));
    TRAVIO_RETURN_IF_ERROR(AddSearchRoutes(module->routes_, search));
    TRAVIO_RETURN_IF_ERROR(AddOrderRoutes(module->routes_, orders, identity));
    TRAVIO_RETURN_IF_ERROR(AddPaymentRoutes(module->routes_, payments));
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
        routes_(context.router(), authenticator_, context.logger()) {
    routes_.UseIdempotency(std::make_shared<Idempotency>(hot_state, IdempotencySettings{}));
  }

  std::shared_ptr<identity::IdentityClient> identity_;
  std::shared_ptr<SeatFeed> seat_feed_;
  std::unique_ptr<PeriodicTask> heartbeat_;
  std::string instance_id_;
  log::Logger logger_;
  Authenticator authenticator_;
  SecureRoutes routes_;
};

}  // namespace

absl::Status RegisterGatewayModule(module::Registry& registry) {
  return registry.Add({
      .name = "gateway",
      .description = "public REST API, auth, tenant scoping, rate limits, idempotency, web UI",
      .calls = {"identity", "operator", "catalog", "inventory", "search", "order", "payment"},
      .factory = [](module::Context& context) -> absl::StatusOr<std::unique_ptr<module::Module>> {
        TRAVIO_ASSIGN_OR_RETURN(auto module, GatewayModule::Create(context));
        return std::unique_ptr<module::Module>(std::move(module));
      },
  });
}

}  // namespace travio::gateway
