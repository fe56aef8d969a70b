#include "services/inventory/module.h"

#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/config/config.h"
#include "platform/events/bus.h"
#include "platform/events/contract.h"
#include "platform/module/context.h"
#include "services/inventory/app/inventory_service.h"
#include "services/inventory/rpc/inventory_grpc_service.h"
#include "services/inventory/storage/memory/memory_hold_store.h"
#include "services/inventory/storage/redis/redis_hold_store.h"
#include "services/inventory/storage/sql/sql_booking_store.h"
#include "services/inventory/storage/sql/sql_trip_store.h"

namespace travio::inventory {
namespace {

constexpr int64_t kSecondMs = 1000;

absl::Status DeclareInventoryConfig(config::Schema& schema) {
  using config::KeySpec;
  using config::KeyType;
  const std::vector<KeySpec> keys = {
      {.name = "inventory.hold_ttl",
       .type = KeyType::kDuration,
       .default_value = "5m",
       .description = "How long a seat hold lasts before its seats go back on sale",
       .min = kSecondMs,
       .max = 24 * 3600 * kSecondMs},
      {.name = "inventory.max_seats_per_hold",
       .type = KeyType::kInt,
       .default_value = "6",
       .description = "Seats one hold may take",
       .min = 1,
       .max = 100},
      {.name = "inventory.max_holds_per_holder",
       .type = KeyType::kInt,
       .default_value = "3",
       .description = "Live holds one traveller may have at once",
       .min = 1,
       .max = 1000},
      {.name = "inventory.sweep_interval",
       .type = KeyType::kDuration,
       .default_value = "1s",
       .description = "How often expired holds are swept and announced",
       .min = 10,
       .max = 3600 * kSecondMs},
  };
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

class InventoryModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    const config::Config& config = context.config();
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(events::Outbox * outbox, context.outbox());
    TRAVIO_ASSIGN_OR_RETURN(auto pricing, context.clients().Bind<pricing::PricingClient>());
    auto module = std::unique_ptr<InventoryModule>(new InventoryModule());
    if (config.String("hot_state") == "redis") {
      TRAVIO_ASSIGN_OR_RETURN(kv::KeyValueStore * redis, context.hot_state());
      module->holds_ = MakeRedisHoldStore(*redis);
    } else {
      TRAVIO_ASSIGN_OR_RETURN(module->holds_, OpenMemoryHoldStore(context.clock(), database));
    }
    module->trips_ = MakeSqlTripStore(*database);
    module->bookings_ = MakeSqlBookingStore(*database, outbox);
    module->events_ = MakeOutboxEventSink(*database, *outbox);
    module->service_ = std::make_shared<InventoryService>(
        InventoryService::Ports{.trips = *module->trips_,
                                .bookings = *module->bookings_,
                                .holds = *module->holds_,
                                .events = *module->events_,
                                .clock = context.clock(),
                                .ids = context.ids(),
                                .logger = context.logger(),
                                .pricing = std::move(pricing)},
        InventorySettings{
            .hold_ttl = config.Duration("inventory.hold_ttl"),
            .limits = {.max_seats = static_cast<int>(config.Int("inventory.max_seats_per_hold")),
                       .max_holds = static_cast<int>(config.Int("inventory.max_holds_per_holder"))},
            .listing_cache_ttl = absl::Seconds(2)});
    FollowTrips(context.events(), module->service_);
    module->sweeper_ = std::make_unique<PeriodicTask>(
        config.Duration("inventory.sweep_interval"),
        [service = module->service_, logger = context.logger()] {
          if (auto swept = service->SweepExpiredHolds(); !swept.ok()) {
            logger.Warn("sweeping expired holds failed", {{"error", swept.status().ToString()}});
          }
        });
    module->grpc_ = std::make_unique<InventoryGrpcService>(module->service_);
    context.clients().Export<InventoryClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override {
    sweeper_->Start();
    return absl::OkStatus();
  }
  void Stop() override { sweeper_->Stop(); }

 private:
  InventoryModule() = default;

  std::unique_ptr<HoldStore> holds_;
  std::unique_ptr<TripStore> trips_;
  std::unique_ptr<BookingStore> bookings_;
  std::unique_ptr<EventSink> events_;
  std::shared_ptr<InventoryService> service_;
  std::unique_ptr<PeriodicTask> sweeper_;
  std::unique_ptr<InventoryGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterInventoryModule(module::Registry& registry) {
  return registry.Add({
      .name = "inventory",
      .description = "seat holds, bookings and operator blocks per trip leg",
      .calls = {"pricing"},
      .declare_config = DeclareInventoryConfig,
      .migrations = InventoryMigrations(),
      .remote_client = module::RemoteClientOf<InventoryClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.inventory.v1.InventoryService",
                       .methods_by_caller =
                           {
                               {"gateway",
                                {"GetSeatMap", "HoldSeats", "QuoteSeats", "GetHold", "ReleaseHold",
                                 "BlockSeats", "UnblockSeats", "ListBlocks"}},
                               {"order",
                                {"GetSeatMap", "GetHold", "ReleaseHold", "ConfirmHold",
                                 "CancelBooking"}},
                           }}},
      .factory = InventoryModule::Create,
  });
}

}  // namespace travio::inventory
