#include "services/queue/module.h"

#include <filesystem>

#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/module/context.h"
#include "services/queue/app/catalog_trip_owners.h"
#include "services/queue/app/order_events.h"
#include "services/queue/app/queue_service.h"
#include "services/queue/rpc/queue_grpc_service.h"
#include "services/queue/storage/keys/file_token_keys.h"
#include "services/queue/storage/memory/memory_queue_state.h"
#include "services/queue/storage/queue_rows.h"
#include "services/queue/storage/redis/redis_queue_state.h"
#include "services/queue/storage/sql/sql_room_store.h"

namespace travio::queue {
namespace {

constexpr int64_t kSecondMs = 1000;

absl::Status DeclareQueueConfig(config::Schema& schema) {
  using config::KeySpec;
  using config::KeyType;
  const std::vector<KeySpec> keys = {
      {.name = "queue.position_ttl",
       .type = KeyType::kDuration,
       .default_value = "2m",
       .description = "A waiting caller silent (not polling) for longer loses its place (above "
                      "the longest wait a caller is told: 20 s, or up to 40 s around the opening)",
       .min = 60 * kSecondMs,
       .max = 3600 * kSecondMs},
      {.name = "queue.pre_queue_spread",
       .type = KeyType::kDuration,
       .default_value = "20s",
       .description = "Over how long after the opening the pre-queue's callers are sent back "
                      "(each at a moment its ticket chooses; its admission is revealed no earlier)",
       .min = 0,
       .max = 20 * kSecondMs},
      {.name = "queue.tick_interval",
       .type = KeyType::kDuration,
       .default_value = "1s",
       .description = "How often the inlet opens rooms whose time has come and admits callers",
       .min = 10,
       .max = 60 * kSecondMs},
      {.name = "queue.max_rooms_per_org",
       .type = KeyType::kInt,
       .default_value = "50",
       .description = "Waiting rooms one organization may have open",
       .min = 1,
       .max = 100000},
      {.name = "queue.keys_dir",
       .type = KeyType::kString,
       .default_value = "",
       .description = "Directory of the queue token signing key, generated when missing "
                      "(empty: <data_dir>/keys)"},
  };
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

class QueueModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    const config::Config& config = context.config();
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(auto catalog, context.clients().Bind<catalog::CatalogClient>());
    auto module = std::unique_ptr<QueueModule>(new QueueModule());
    if (config.String("hot_state") == "redis") {
      TRAVIO_ASSIGN_OR_RETURN(kv::KeyValueStore * redis, context.hot_state());
      module->state_ = MakeRedisQueueState(*redis);
    } else {
      TRAVIO_ASSIGN_OR_RETURN(module->state_,
                              OpenMemoryQueueState(database, context.clock().Now()));
    }
    module->rooms_ = MakeSqlRoomStore(*database);
    module->trips_ = MakeCatalogTripOwners(std::move(catalog));
    std::filesystem::path keys_dir = config.String("queue.keys_dir");
    if (keys_dir.empty()) keys_dir = std::filesystem::path(config.String("data_dir")) / "keys";
    TRAVIO_ASSIGN_OR_RETURN(module->keys_, LoadOrCreateTokenKeys(keys_dir));
    module->service_ = std::make_shared<QueueService>(
        QueueService::Ports{.rooms = *module->rooms_,
                            .state = *module->state_,
                            .trips = *module->trips_,
                            .keys = *module->keys_,
                            .clock = context.clock(),
                            .logger = context.logger(),
                            .metrics = &context.metrics()},
        QueueSettings{.position_ttl = config.Duration("queue.position_ttl"),
                      .pre_queue_spread = config.Duration("queue.pre_queue_spread"),
                      .max_rooms_per_org = config.Int("queue.max_rooms_per_org")});
    FollowOrders(context.events(), module->service_, context.logger());
    module->inlet_ = std::make_unique<PeriodicTask>(
        config.Duration("queue.tick_interval"),
        [service = module->service_, logger = context.logger()] {
          if (auto ticked = service->Tick(); !ticked.ok()) {
            logger.Warn("the waiting rooms' inlet failed", {{"error", ticked.ToString()}});
          }
        });
    module->grpc_ = std::make_unique<QueueGrpcService>(module->service_);
    context.clients().Export<QueueClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override {
    inlet_->Start();
    return absl::OkStatus();
  }
  void Stop() override { inlet_->Stop(); }

 private:
  QueueModule() = default;

  std::unique_ptr<QueueState> state_;
  std::unique_ptr<RoomStore> rooms_;
  std::unique_ptr<TripOwners> trips_;
  std::unique_ptr<TokenKeys> keys_;
  std::shared_ptr<QueueService> service_;
  std::unique_ptr<PeriodicTask> inlet_;
  std::unique_ptr<QueueGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterQueueModule(module::Registry& registry) {
  return registry.Add({
      .name = "queue",
      .description = "virtual waiting rooms for ticket drops",
      .calls = {"catalog"},
      .declare_config = DeclareQueueConfig,
      .migrations = QueueMigrations(),
      .remote_client = module::RemoteClientOf<QueueClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.queue.v1.QueueService",
                       .methods_by_caller =
                           {
                               {"gateway",
                                {"PutRoom", "GetRoom", "ListRooms", "DeleteRoom", "GuardOf", "Join",
                                 "Status", "VerificationKeys"}},
                           }}},
      .factory = QueueModule::Create,
  });
}

}  // namespace travio::queue
