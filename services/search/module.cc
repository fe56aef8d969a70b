#include "services/search/module.h"

#include "platform/base/status_macros.h"
#include "platform/events/bus.h"
#include "platform/events/contract.h"
#include "platform/module/context.h"
#include "services/catalog/api/catalog_client.h"
#include "services/identity/api/identity_client.h"
#include "services/search/app/search_service.h"
#include "services/search/rpc/search_grpc_service.h"
#include "services/search/storage/sql/sql_snapshot_store.h"

namespace travio::search {
namespace {

absl::Status DeclareSearchConfig(config::Schema& schema) {
  return schema.Add(config::KeySpec{
      .name = "search.memory_days",
      .type = config::KeyType::kInt,
      .default_value = "31",
      .description = "Days after today whose searches memory answers (it holds the trips "
                     "boarding on them); searches of other days read the snapshot",
      .min = 1,
      .max = 3660});
}

class IdentityOperatorNames final : public OperatorNames {
 public:
  explicit IdentityOperatorNames(std::shared_ptr<identity::IdentityClient> identity)
      : identity_(std::move(identity)) {}
  absl::StatusOr<std::string> NameOf(const std::string& org_id) override {
    TRAVIO_ASSIGN_OR_RETURN(identity::Organization org, identity_->GetOrganization(org_id));
    return org.name;
  }

 private:
  std::shared_ptr<identity::IdentityClient> identity_;
};

class SearchModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    TRAVIO_ASSIGN_OR_RETURN(auto identity, context.clients().Bind<identity::IdentityClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto catalog, context.clients().Bind<catalog::CatalogClient>());
    TRAVIO_ASSIGN_OR_RETURN(auto pricing, context.clients().Bind<pricing::PricingClient>());
    auto module = std::unique_ptr<SearchModule>(new SearchModule());
    module->catalog_ = std::move(catalog);
    module->logger_ = context.logger();
    module->snapshots_ = MakeSqlSnapshotStore(*database);
    module->names_ = std::make_unique<IdentityOperatorNames>(std::move(identity));
    module->service_ = std::make_shared<SearchService>(SearchService::Ports{
        .snapshots = *module->snapshots_,
        .operators = *module->names_,
        .clock = context.clock(),
        .logger = context.logger(),
        .pricing = std::move(pricing),
        .settings = {
            .memory_days = static_cast<int>(context.config().Int("search.memory_days")),
        }});
    TRAVIO_RETURN_IF_ERROR(module->service_->Restore());
    FollowEvents(context.events(), module->service_);
    module->grpc_ = std::make_unique<SearchGrpcService>(module->service_);
    context.clients().Export<SearchClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

  // Stations added before this read model existed come from the catalog once; later ones
  // arrive as station.added.v1.
  absl::Status Start() override {
    auto stations = catalog_->ListStations("", 200);
    if (!stations.ok()) {
      logger_.Warn("stations not loaded from the catalog; relying on the snapshot",
                   {{"error", stations.status().ToString()}});
      return absl::OkStatus();
    }
    for (const catalog::Station& station : *stations) {
      TRAVIO_RETURN_IF_ERROR(
          service_->AddStation(StationEntry{station.code, station.name, station.city}));
    }
    return absl::OkStatus();
  }

 private:
  SearchModule() = default;

  std::shared_ptr<catalog::CatalogClient> catalog_;
  log::Logger logger_ = log::Logger::ToStderr(log::Level::kError);
  std::unique_ptr<SnapshotStore> snapshots_;
  std::unique_ptr<OperatorNames> names_;
  std::shared_ptr<SearchService> service_;
  std::unique_ptr<SearchGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterSearchModule(module::Registry& registry) {
  return registry.Add({
      .name = "search",
      .description = "trip search read model and station lookup",
      .calls = {"identity", "catalog", "pricing"},
      .declare_config = DeclareSearchConfig,
      .migrations = SearchMigrations(),
      .remote_client = module::RemoteClientOf<SearchClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.search.v1.SearchService",
                       .methods_by_caller =
                           {
                               {"gateway", {"Search", "FindStations"}},
                           }}},
      .factory = SearchModule::Create,
  });
}

}  // namespace travio::search
