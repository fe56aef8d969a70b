#include "services/fraud/module.h"

#include "platform/base/status_macros.h"
#include "platform/module/context.h"
#include "services/fraud/app/fraud_service.h"
#include "services/fraud/rpc/fraud_grpc_service.h"
#include "services/fraud/storage/kv_risk_counters.h"
#include "services/fraud/storage/sql_settings_store.h"

namespace travio::fraud {
namespace {

class FraudModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(kv::KeyValueStore * hot_state, context.hot_state());
    auto module = std::unique_ptr<FraudModule>(new FraudModule());
    module->settings_ = MakeSqlSettingsStore(*database);
    module->counters_ = MakeKeyValueRiskCounters(*hot_state);
    module->service_ =
        std::make_shared<FraudService>(FraudService::Ports{.settings = *module->settings_,
                                                           .counters = *module->counters_,
                                                           .clock = context.clock(),
                                                           .logger = context.logger(),
                                                           .metrics = &context.metrics()});
    FollowEvents(context.events(), module->service_);
    module->grpc_ = std::make_unique<FraudGrpcService>(module->service_);
    context.clients().Export<FraudClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

 private:
  FraudModule() = default;

  std::unique_ptr<SettingsStore> settings_;
  std::unique_ptr<RiskCounters> counters_;
  std::shared_ptr<FraudService> service_;
  std::unique_ptr<FraudGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterFraudModule(module::Registry& registry) {
  return registry.Add({
      .name = "fraud",
      .description = "risk decisions on orders before capture, and each operator's settings",
      .calls = {},
      .migrations = FraudMigrations(),
      .remote_client = module::RemoteClientOf<FraudClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.fraud.v1.FraudService",
                       .methods_by_caller =
                           {
                               {"gateway", {"GetSettings", "PutSettings"}},
                               {"order", {"Assess"}},
                           }}},
      .factory = FraudModule::Create,
  });
}

}  // namespace travio::fraud
