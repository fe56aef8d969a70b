#include "services/audit/module.h"

#include "platform/base/periodic.h"
#include "platform/base/status_macros.h"
#include "platform/config/config.h"
#include "platform/module/context.h"
#include "services/audit/app/audit_service.h"
#include "services/audit/rpc/audit_grpc_service.h"
#include "services/audit/storage/file_checkpoint_keys.h"
#include "services/audit/storage/sql_audit_store.h"

namespace travio::audit {
namespace {

constexpr int64_t kSecondMs = 1000;

absl::Status DeclareAuditConfig(config::Schema& schema) {
  TRAVIO_RETURN_IF_ERROR(schema.Add(
      {.name = "audit.keys_dir",
       .type = config::KeyType::kString,
       .default_value = "",
       .description = "Directory of the keys checkpoints are signed with, generated when missing "
                      "(empty: <data_dir>/keys/audit); replicas of audit must share it"}));
  TRAVIO_RETURN_IF_ERROR(
      schema.Add({.name = "audit.checkpoint_every",
                  .type = config::KeyType::kInt,
                  .default_value = "1000",
                  .description = "Entries of one log between two signed checkpoints",
                  .min = 1,
                  .max = 1000000}));
  return schema.Add({.name = "audit.checkpoint_interval",
                     .type = config::KeyType::kDuration,
                     .default_value = "5m",
                     .description = "How long a log that moved waits at most for a checkpoint",
                     .min = kSecondMs,
                     .max = 24 * 3600 * kSecondMs});
}

class AuditModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    const config::Config& config = context.config();
    auto module = std::unique_ptr<AuditModule>(new AuditModule());
    TRAVIO_ASSIGN_OR_RETURN(
        module->keys_, LoadOrCreateCheckpointKeys(CheckpointKeysDir(config.String("audit.keys_dir"),
                                                                    config.String("data_dir"))));
    module->store_ = MakeSqlAuditStore(*database);
    const absl::Duration interval = config.Duration("audit.checkpoint_interval");
    module->service_ = std::make_shared<AuditService>(
        AuditService::Ports{.store = *module->store_,
                            .keys = *module->keys_,
                            .clock = context.clock(),
                            .logger = context.logger(),
                            .metrics = &context.metrics()},
        CheckpointPolicy{.every = config.Int("audit.checkpoint_every"), .interval = interval});
    FollowEvents(context.events(), module->service_, context.logger());
    module->grpc_ = std::make_unique<AuditGrpcService>(module->service_);
    context.clients().Export<AuditClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    // Looked at more often than the interval, so a log waits at most a little past it.
    module->checkpoints_ = std::make_unique<PeriodicTask>(
        std::max(interval / 4, absl::Seconds(1)),
        [service = module->service_] { service->CheckpointIdleLogs(); });
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override {
    checkpoints_->Start();
    return absl::OkStatus();
  }
  void Stop() override { checkpoints_->Stop(); }

 private:
  AuditModule() = default;

  std::unique_ptr<CheckpointKeys> keys_;
  std::unique_ptr<AuditStore> store_;
  std::shared_ptr<AuditService> service_;
  std::unique_ptr<AuditGrpcService> grpc_;
  std::unique_ptr<PeriodicTask> checkpoints_;
};

}  // namespace

absl::Status RegisterAuditModule(module::Registry& registry) {
  return registry.Add({
      .name = "audit",
      .description = "tamper-evident audit logs of every organization and of the platform",
      .declare_config = DeclareAuditConfig,
      .migrations = AuditMigrations(),
      .remote_client = module::RemoteClientOf<AuditClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.audit.v1.AuditService",
                       .methods_by_caller =
                           {
                               {"gateway", {"Record", "List", "Verify", "VerificationKeys"}},
                           }}},
      .factory = AuditModule::Create,
  });
}

}  // namespace travio::audit
