#include "services/subscription/module.h"

#include "platform/base/status_macros.h"
#include "platform/module/context.h"
#include "services/subscription/app/default_plan.h"
#include "services/subscription/rpc/subscription_grpc_service.h"

namespace travio::subscription {
namespace {

absl::Status DeclareSubscriptionConfig(config::Schema& schema) {
  using config::KeySpec;
  using config::KeyType;
  const std::vector<KeySpec> keys = {
      {.name = "subscription.max_buses",
       .type = KeyType::kInt,
       .default_value = "0",
       .description = "Buses one organization may register under the default plan (0: unlimited)",
       .min = 0,
       .max = 1'000'000},
      {.name = "subscription.max_upcoming_trips",
       .type = KeyType::kInt,
       .default_value = "0",
       .description =
           "Trips not yet departed one organization may have under the default plan (0: unlimited)",
       .min = 0,
       .max = 100'000'000},
  };
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

class SubscriptionModule final : public module::Module {
 public:
  SubscriptionModule(module::Context& context, std::shared_ptr<DefaultPlan> plan)
      : plan_(std::move(plan)), grpc_(plan_) {
    context.clients().Export<QuotaClient>(plan_);
    context.AddGrpcService(&grpc_);
  }

 private:
  std::shared_ptr<DefaultPlan> plan_;
  SubscriptionGrpcService grpc_;
};

absl::StatusOr<std::unique_ptr<module::Module>> Create(module::Context& context) {
  const config::Config& config = context.config();
  auto plan = std::make_shared<DefaultPlan>(
      PlanLimits{.buses = config.Int("subscription.max_buses"),
                 .upcoming_trips = config.Int("subscription.max_upcoming_trips")});
  return std::make_unique<SubscriptionModule>(context, std::move(plan));
}

}  // namespace

absl::Status RegisterSubscriptionModule(module::Registry& registry) {
  return registry.Add({
      .name = "subscription",
      .description = "plans, quotas and invoices of operator organizations",
      .declare_config = DeclareSubscriptionConfig,
      .remote_client = module::RemoteClientOf<QuotaClient>(),
      .factory = Create,
  });
}

}  // namespace travio::subscription
