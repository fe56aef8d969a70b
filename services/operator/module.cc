#include "services/operator/module.h"

#include "platform/base/status_macros.h"
#include "platform/module/context.h"
#include "services/operator/app/operator_service.h"
#include "services/operator/rpc/operator_grpc_service.h"
#include "services/operator/storage/sql/sql_fleet_store.h"

namespace travio::fleet {
namespace {

class OperatorModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(events::Outbox * outbox, context.outbox());
    TRAVIO_ASSIGN_OR_RETURN(auto quota, context.clients().Bind<subscription::SubscriptionClient>());
    auto module = std::unique_ptr<OperatorModule>(new OperatorModule());
    module->store_ = MakeSqlFleetStore(*database, *outbox);
    module->service_ =
        std::make_shared<OperatorService>(OperatorService::Ports{.store = *module->store_,
                                                                 .quota = std::move(quota),
                                                                 .clock = context.clock(),
                                                                 .ids = context.ids(),
                                                                 .logger = context.logger()});
    module->grpc_ = std::make_unique<OperatorGrpcService>(module->service_);
    context.clients().Export<OperatorClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

 private:
  OperatorModule() = default;

  std::unique_ptr<FleetStore> store_;
  std::shared_ptr<OperatorService> service_;
  std::unique_ptr<OperatorGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterOperatorModule(module::Registry& registry) {
  return registry.Add({
      .name = "operator",
      .description = "fleet: buses with seat layouts, staff and duties",
      .calls = {"subscription"},
      .migrations = OperatorMigrations(),
      .remote_client = module::RemoteClientOf<OperatorClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.fleet.v1.OperatorService",
                       .methods_by_caller =
                           {
                               {"catalog", {"GetBus", "GetStaff"}},
                               {"fulfillment", {"GetStaff"}},
                               {"gateway",
                                {"CreateBus", "GetBus", "ListBuses", "UpdateBus", "DeleteBus",
                                 "CreateStaff", "GetStaff", "ListStaff"}},
                           }}},
      .factory = OperatorModule::Create,
  });
}

}  // namespace travio::fleet
