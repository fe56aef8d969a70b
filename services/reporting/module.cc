#include "services/reporting/module.h"

#include "platform/base/status_macros.h"
#include "platform/module/context.h"
#include "services/reporting/app/reporting_service.h"
#include "services/reporting/rpc/reporting_grpc_service.h"
#include "services/reporting/storage/sql_report_store.h"

namespace travio::reporting {
namespace {

class ReportingModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    auto module = std::unique_ptr<ReportingModule>(new ReportingModule());
    module->store_ = MakeSqlReportStore(*database);
    module->service_ = std::make_shared<ReportingService>(*module->store_, context.logger());
    // Before any event is followed: a rebuild that did not finish is finished first.
    TRAVIO_RETURN_IF_ERROR(module->service_->Rebuild(/*force=*/false).status());
    FollowEvents(context.events(), module->service_);
    module->grpc_ = std::make_unique<ReportingGrpcService>(module->service_);
    context.clients().Export<ReportingClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

  absl::Status Start() override { return absl::OkStatus(); }
  void Stop() override {}

 private:
  ReportingModule() = default;

  std::unique_ptr<ReportStore> store_;
  std::shared_ptr<ReportingService> service_;
  std::unique_ptr<ReportingGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterReportingModule(module::Registry& registry) {
  return registry.Add({
      .name = "reporting",
      .description = "revenue, occupancy and bookings reports of each organization",
      .migrations = ReportingMigrations(),
      .remote_client = module::RemoteClientOf<ReportingClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.reporting.v1.ReportingService",
                       .methods_by_caller =
                           {
                               {"gateway", {"Revenue", "Occupancy", "Bookings"}},
                           }}},
      .factory = ReportingModule::Create,
  });
}

}  // namespace travio::reporting
