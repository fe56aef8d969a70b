#include "services/catalog/module.h"

#include "absl/strings/str_split.h"
#include "platform/base/status_macros.h"
#include "platform/module/context.h"
#include "services/catalog/app/catalog_service.h"
#include "services/catalog/rpc/catalog_grpc_service.h"
#include "services/catalog/storage/sql/sql_catalog_store.h"

namespace travio::catalog {
namespace {

constexpr int64_t kMinuteMs = 60'000;

absl::Status DeclareCatalogConfig(config::Schema& schema) {
  using config::KeySpec;
  using config::KeyType;
  const std::vector<KeySpec> keys = {
      {.name = "catalog.crew_rest",
       .type = KeyType::kDuration,
       .default_value = "1h",
       .description = "Rest a driver, conductor or helper needs between two duties",
       .min = 0,
       .max = 24 * 60 * kMinuteMs},
      {.name = "catalog.station_registrars",
       .type = KeyType::kString,
       .default_value = "",
       .description =
           "Organizations (comma-separated ids) that may add stations through the API, or * for "
           "every organization; empty: only travio seed adds them"},
      {.name = "catalog.generation_horizon_days",
       .type = KeyType::kInt,
       .default_value = "366",
       .description = "How many days ahead schedules may generate trips",
       .min = 1,
       .max = 3 * 366},
      {.name = "catalog.longest_call",
       .type = KeyType::kDuration,
       .default_value = "2s",
       .description =
           "Longest one call generating a schedule's trips (or ending it and cancelling them) "
           "goes on before it answers with how many remain; over gRPC also at most half of what "
           "is left of the caller's deadline. At least one trip a call (0: one a call, for tests)",
       .min = 0,
       .max = 300000},
  };
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

class CatalogModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    const config::Config& config = context.config();
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(events::Outbox * outbox, context.outbox());
    TRAVIO_ASSIGN_OR_RETURN(auto fleet, context.clients().Bind<fleet::OperatorClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto quota, context.clients().Bind<subscription::SubscriptionClient>());
    auto module = std::unique_ptr<CatalogModule>(new CatalogModule());
    module->store_ = MakeSqlCatalogStore(*database, *outbox);
    module->service_ = std::make_shared<CatalogService>(
        CatalogService::Ports{.store = *module->store_,
                              .fleet = std::move(fleet),
                              .quota = std::move(quota),
                              .clock = context.clock(),
                              .ids = context.ids(),
                              .logger = context.logger()},
        CatalogSettings{
            .crew_rest = config.Duration("catalog.crew_rest"),
            .generation_horizon_days =
                static_cast<int>(config.Int("catalog.generation_horizon_days")),
            .longest_call = config.Duration("catalog.longest_call"),
            .station_registrars = absl::StrSplit(config.String("catalog.station_registrars"), ',',
                                                 absl::SkipWhitespace())});
    module->grpc_ = std::make_unique<CatalogGrpcService>(module->service_);
    context.clients().Export<CatalogClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

 private:
  CatalogModule() = default;

  std::unique_ptr<CatalogStore> store_;
  std::shared_ptr<CatalogService> service_;
  std::unique_ptr<CatalogGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterCatalogModule(module::Registry& registry) {
  return registry.Add({
      .name = "catalog",
      .description = "stations, routes, schedules, trips and fares",
      .calls = {"operator", "subscription"},
      .declare_config = DeclareCatalogConfig,
      .migrations = CatalogMigrations(),
      .remote_client = module::RemoteClientOf<CatalogClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.catalog.v1.CatalogService",
                       .methods_by_caller =
                           {
                               {"fulfillment", {"ListStations", "GetTrip", "ListCrew"}},
                               {"gateway", {"CreateStation", "ListStations",   "CreateRoute",
                                            "GetRoute",      "ListRoutes",     "CreateTrip",
                                            "GetTrip",       "ListTrips",      "PublishTrip",
                                            "CancelTrip",    "DelayTrip",      "AdvanceTrip",
                                            "MoveTrip",      "CreateSchedule", "GenerateTrips",
                                            "ListSchedules", "GetSchedule",    "UpdateSchedule",
                                            "EndSchedule",   "AssignCrew",     "ListCrew",
                                            "BusInUse",      "ExportGtfs"}},
                               {"order", {"GetTrip"}},
                               {"queue", {"GetTrip"}},
                               {"search", {"ListStations"}},
                           }}},
      .factory = CatalogModule::Create,
  });
}

}  // namespace travio::catalog
