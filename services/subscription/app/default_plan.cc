#include "services/subscription/app/default_plan.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::subscription {

absl::StatusOr<int64_t> DefaultPlan::LimitOf(const std::string& resource) const {
  if (resource == kBuses) return limits_.buses;
  if (resource == kUpcomingTrips) return limits_.upcoming_trips;
  return Error(reasons::kUnknownResource, absl::StrCat("No plan limits \"", resource, "\"."));
}

absl::Status DefaultPlan::CheckQuota(const QuotaCheck& check) {
  auto limit = LimitOf(check.resource);
  if (!limit.ok()) return limit.status();
  if (check.adding < 0 || check.in_use < 0) {
    return Error(reasons::kInvalidQuotaCheck, "Counts cannot be negative.");
  }
  if (*limit == 0 || check.in_use + check.adding <= *limit) return absl::OkStatus();
  return Error(reasons::kQuotaExceeded,
               absl::StrCat("The organization's plan allows ", *limit, " ", check.resource,
                            "; it has ", check.in_use, "."));
}

}  // namespace travio::subscription
