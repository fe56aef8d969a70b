#include "services/pricing/module.h"

#include "platform/base/status_macros.h"
#include "platform/module/context.h"
#include "services/pricing/app/pricing_service.h"
#include "services/pricing/rpc/pricing_grpc_service.h"
#include "services/pricing/storage/sql/sql_rule_store.h"

namespace travio::pricing {
namespace {

constexpr int64_t kSecondMs = 1000;

absl::Status DeclarePricingConfig(config::Schema& schema) {
  using config::KeySpec;
  using config::KeyType;
  const std::vector<KeySpec> keys = {
      {.name = "pricing.max_rules_per_org",
       .type = KeyType::kInt,
       .default_value = "50",
       .description = "Pricing rules one organization may have",
       .min = 1,
       .max = 1000},
      {.name = "pricing.price_ceiling",
       .type = KeyType::kInt,
       .default_value = "10000000",
       .description = "Highest seat price rules may make, in minor units; above it (or below "
                      "zero) the base fare is used",
       .min = 1,
       .max = 1000000000000},
      {.name = "pricing.rules_cache_ttl",
       .type = KeyType::kDuration,
       .default_value = "2s",
       .description = "How long compiled rules are used before they are read again (changes "
                      "made through this process are seen at once)",
       .min = 0,
       .max = 300 * kSecondMs},
      {.name = "pricing.max_expression_length",
       .type = KeyType::kInt,
       .default_value = "2000",
       .description = "Longest `when` or `adjust` expression, in bytes",
       .min = 16,
       .max = 100000},
      {.name = "pricing.max_evaluation_cost",
       .type = KeyType::kInt,
       .default_value = "10000",
       .description = "Steps one evaluation of an expression may take (each node evaluated, "
                      "plus work proportional to long strings and lists) before it fails",
       .min = 100,
       .max = 10000000},
      {.name = "pricing.max_request_cost",
       .type = KeyType::kInt,
       .default_value = "1000000",
       .description = "Evaluation steps one pricing request may take over all its seats and "
                      "rules; an organization's rules that need more price nothing (holds are "
                      "refused, search shows base fares)",
       .min = 1000,
       .max = 1000000000},
      {.name = "pricing.max_iterations",
       .type = KeyType::kInt,
       .default_value = "1000",
       .description = "Iterations of all/exists/map/filter one evaluation may take",
       .min = 1,
       .max = 1000000},
  };
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

class PricingModule final : public module::Module {
 public:
  static absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
    const config::Config& config = context.config();
    TRAVIO_ASSIGN_OR_RETURN(db::Database * database, context.database());
    auto module = std::unique_ptr<PricingModule>(new PricingModule());
    module->store_ = MakeSqlRuleStore(*database);
    PricingService::Settings settings{.max_rules_per_org = config.Int("pricing.max_rules_per_org"),
                                      .price_ceiling = config.Int("pricing.price_ceiling"),
                                      .rules_cache_ttl = config.Duration("pricing.rules_cache_ttl"),
                                      .max_request_cost = config.Int("pricing.max_request_cost"),
                                      .limits = cel::Limits{}};
    settings.limits.max_length = static_cast<size_t>(config.Int("pricing.max_expression_length"));
    settings.limits.max_cost = config.Int("pricing.max_evaluation_cost");
    settings.limits.max_iterations = config.Int("pricing.max_iterations");
    module->service_ =
        std::make_shared<PricingService>(PricingService::Ports{.store = *module->store_,
                                                               .clock = context.clock(),
                                                               .ids = context.ids(),
                                                               .logger = context.logger(),
                                                               .metrics = &context.metrics()},
                                         settings);
    module->grpc_ = std::make_unique<PricingGrpcService>(module->service_);
    context.clients().Export<PricingClient>(module->service_);
    context.AddGrpcService(module->grpc_.get());
    return std::unique_ptr<module::Module>(std::move(module));
  }

 private:
  PricingModule() = default;

  std::unique_ptr<RuleStore> store_;
  std::shared_ptr<PricingService> service_;
  std::unique_ptr<PricingGrpcService> grpc_;
};

}  // namespace

absl::Status RegisterPricingModule(module::Registry& registry) {
  return registry.Add({
      .name = "pricing",
      .description = "pricing rules (CEL) and seat prices",
      .calls = {},
      .declare_config = DeclarePricingConfig,
      .migrations = PricingMigrations(),
      .remote_client = module::RemoteClientOf<PricingClient>(),
      // Least privilege between services: who may call which method from another process.
      .grpc_access = {{.service = "travio.pricing.v1.PricingService",
                       .methods_by_caller =
                           {
                               {"gateway",
                                {"CreateRule", "GetRule", "ListRules", "UpdateRule", "DeleteRule",
                                 "Evaluate"}},
                               {"inventory", {"PriceSeats"}},
                               {"search", {"PriceMany"}},
                           }}},
      .factory = PricingModule::Create,
  });
}

}  // namespace travio::pricing
