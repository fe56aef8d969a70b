#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "services/subscription/api/quota_client.h"

namespace travio::subscription {

/// The limits every organization has until plans and invoices exist (the subscription issue):
/// one plan for all, from config, 0 meaning unlimited (the default).
struct PlanLimits {
  int64_t buses = 0;
  int64_t upcoming_trips = 0;
};

/// Answers quota checks against one plan for every organization.
class DefaultPlan final : public QuotaClient {
 public:
  explicit DefaultPlan(PlanLimits limits) : limits_(limits) {}
  absl::Status CheckQuota(const QuotaCheck& check) override;
  /// The limit of `resource` (0 unlimited); kInvalidArgument for an unknown resource.
  absl::StatusOr<int64_t> LimitOf(const std::string& resource) const;

 private:
  PlanLimits limits_;
};

}  // namespace travio::subscription
