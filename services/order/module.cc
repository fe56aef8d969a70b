#include "services/order/module.h"

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/config/config.h"
#include "platform/events/bus.h"
#include "platform/module/context.h"
#include "services/catalog/api/catalog_client.h"
#include "services/order/app/order_service.h"
#include "services/order/rpc/order_grpc_service.h"
#include "services/order/storage/sql_order_store.h"
#include "services/order/storage/sql_refund_policies.h"

namespace travio::order {
namespace {

constexpr int64_t kSecondMs = 1000;

// Where the test hook order.test_crash_at may kill the process: before or after any saga
// step, and once an order is stored, before it is answered.
std::vector<std::string> CrashPoints() {
  std::vector<std::string> points = {"", "create_order:after"};
  for (const auto& [step, name] : kSagaStepNames) {
    points.push_back(absl::StrCat(ToAbsl(name), ":before"));
    points.push_back(absl::StrCat(ToAbsl(name), ":after"));
  }
  return points;
}

absl::Status DeclareOrderConfig(config::Schema& schema) {
  using config::KeySpec;
  using config::KeyType;
  const std::vector<KeySpec> keys = {
      {.name = "order.saga_lease",
       .type = KeyType::kDuration,
       .default_value = "30s",
       .description =
           "How long a process owns a running saga without writing to it before another resumes it",
       .min = 100,
       .max = 3600 * kSecondMs},
      {.name = "order.recovery_interval",
       .type = KeyType::kDuration,
       .default_value = "1s",
       .description = "How often sagas left by a dead process (or parked to retry) are looked for "
                      "and resumed, "
                      "and unpaid orders past their deadline expired",
       .min = 10,
       .max = 3600 * kSecondMs},
      {.name = "order.quote_ttl",
       .type = KeyType::kDuration,
       .default_value = "10m",
       .description = "How long a cancellation quote can be accepted",
       .min = kSecondMs,
       .max = 24 * 3600 * kSecondMs},
      {.name = "order.fraud_screening",
       .type = KeyType::kString,
       .default_value = "on",
       .description = "Whether the booking saga asks the fraud service about every order before "
                      "capturing (off: for a payment provider that screens cards itself)",
       .allowed = {"on", "off"}},
      {.name = "order.fraud_fallback",
       .type = KeyType::kString,
       .default_value = "allow",
       .description = "What the booking saga decides when the fraud service does not answer "
                      "within order.fraud_deadline: allow (sales go on), review or deny",
       .allowed = {"allow", "review", "deny"}},
      {.name = "order.fraud_deadline",
       .type = KeyType::kDuration,
       .default_value = "1s",
       .description = "How long the booking saga waits for the fraud service's decision before "
                      "its fallback decides",
       .min = 10,
       .max = 60 * kSecondMs},
      {.name = "order.review_limit",
       .type = KeyType::kDuration,
       .default_value = "72h",
       .description = "The longest an order held by fraud waits for staff, whatever the "
                      "operator's setting (the payment stays authorized meanwhile; banks let "
                      "authorizations lapse after some days)",
       .min = kSecondMs,
       .max = 7 * 24 * 3600 * kSecondMs},
      {.name = "order.test_crash_at",
       .type = KeyType::kString,
       .default_value = "",
       .description = "Test hook: kill the process (SIGKILL) when a saga reaches <step>:before or "
                      "<step>:after, or at create_order:after (an order stored, not yet "
                      "answered); empty in production",
       .allowed = CrashPoints()},
  };
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

// A trip's departure from a stop, from the catalog's timetable (delays included).
class CatalogDepartures final : public Departures {
 public:
  explicit CatalogDepartures(std::shared_ptr<catalog::CatalogClient> catalog)
      : catalog_(std::move(catalog)) {}

  absl::StatusOr<absl::Time> DepartureAt(const std::string& org_id, const std::string& trip_id,
                                         const std::string& station) override {
    TRAVIO_ASSIGN_OR_RETURN(catalog::Trip trip, catalog_->GetTrip(org_id, trip_id));
    for (const catalog::TripStop& stop : trip.stops) {
      if (stop.station == station) return stop.depart_at + trip.delay();
    }
    if (trip.stops.empty()) {
      return Error(reasons::kTripWithoutStops, "The trip has no stops.");
    }
    return trip.departure() + trip.delay();
  }

 private:
  std::shared_ptr<catalog::CatalogClient> catalog_;
};

class OrderModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    const config::Config& config = context.config();
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(events::Outbox * outbox, context.outbox());
    TRAVIO_ASSIGN_OR_RETURN(auto inventory, context.clients().Bind<inventory::InventoryClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto payments, context.clients().Bind<payment::PaymentClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto catalog, context.clients().Bind<catalog::CatalogClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto fraud, context.clients().Bind<fraud::FraudClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto quota, context.clients().Bind<subscription::SubscriptionClient>());
    auto module = std::unique_ptr<OrderModule>(new OrderModule());
    module->inventory_ = std::move(inventory);
    module->payments_ = std::move(payments);
    module->fraud_ = std::move(fraud);
    module->quota_ = std::move(quota);
    module->departures_ = std::make_unique<CatalogDepartures>(std::move(catalog));
    module->store_ = MakeSqlOrderStore(*database, *outbox);
    module->policies_ = MakeSqlRefundPolicies(*database);
    TRAVIO_ASSIGN_OR_RETURN(
        CrashPoint crash_point,
        CrashPoint::Configured("order.test_crash_at", config.String("order.test_crash_at")));
    module->service_ = std::make_shared<OrderService>(
        OrderService::Ports{.store = *module->store_,
                            .inventory = *module->inventory_,
                            .payments = *module->payments_,
                            .departures = *module->departures_,
                            .fraud = *module->fraud_,
                            .quota = *module->quota_,
                            .policies = *module->policies_,
                            .clock = context.clock(),
                            .ids = context.ids(),
                            .logger = context.logger(),
                            .metrics = &context.metrics()},
        OrderSettings{.sagas = {.instance_id = context.instance_id(),
                                .lease = config.Duration("order.saga_lease")},
                      .quote_ttl = config.Duration("order.quote_ttl"),
                      .crash_point = crash_point,
                      .fraud = {.screening = config.String("order.fraud_screening") == "on",
                                .fallback = ParseName(fraud::kDecisionNames,
                                                      config.String("order.fraud_fallback"))
                                                .value_or(fraud::Decision::kAllow),
                                .deadline = config.Duration("order.fraud_deadline"),
                                .review_limit = config.Duration("order.review_limit")}});
    if (!config.String("order.test_crash_at").empty()) {
      context.logger().Warn("the saga crash test hook is armed",
                            {{"at", config.String("order.test_crash_at")}});
    }
    FollowEvents(context.events(), module->service_);
    module->recovery_ = std::make_unique<PeriodicTask>(
        config.Duration("order.recovery_interval"),
        [service = module->service_, logger = context.logger()] {
          if (auto resumed = service->ResumeSagas(); !resumed.ok()) {
            logger.Warn("resuming sagas failed", {{"error", resumed.status().ToString()}});
          }
          if (auto expired = service->ExpireOverdue(); !expired.ok()) {
            logger.Warn("expiring unpaid orders failed", {{"error", expired.status().ToString()}});
          }
          if (auto reported = service->ReportSagaBacklog(); !reported.ok()) {
            logger.Warn("measuring the saga backlog failed", {{"error", reported.ToString()}});
          }
        });
    module->grpc_ = std::make_unique<OrderGrpcService>(module->service_);
    context.clients().Export<OrderClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override {
    recovery_->Start();
    return absl::OkStatus();
  }
  void Stop() override { recovery_->Stop(); }

 private:
  OrderModule() = default;

  std::shared_ptr<inventory::InventoryClient> inventory_;
  std::shared_ptr<payment::PaymentClient> payments_;
  std::unique_ptr<Departures> departures_;
  std::shared_ptr<fraud::FraudClient> fraud_;
  std::shared_ptr<subscription::SubscriptionClient> quota_;
  std::unique_ptr<RefundPolicies> policies_;
  std::unique_ptr<OrderStore> store_;
  std::shared_ptr<OrderService> service_;
  std::unique_ptr<PeriodicTask> recovery_;
  std::unique_ptr<OrderGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterOrderModule(module::Registry& registry) {
  return registry.Add({
      .name = "order",
      .description = "orders and the booking saga",
      .calls = {"inventory", "payment", "catalog", "fraud", "subscription"},
      .declare_config = DeclareOrderConfig,
      .migrations = OrderMigrations(),
      .remote_client = module::RemoteClientOf<OrderClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.order.v1.OrderService",
                       .methods_by_caller =
                           {
                               {"fulfillment", {"GetOrder"}},
                               {"gateway",
                                {"CreateOrder", "GetOrder", "ListOrders", "Pay",
                                 "QuoteCancellation", "Cancel", "OrgOrders", "SalesSince",
                                 "Manifest", "OrdersUnderReview", "DecideReview", "GetRefundPolicy",
                                 "SetRefundPolicy"}},
                           }}},
      .factory = OrderModule::Create,
  });
}

}  // namespace travio::order
