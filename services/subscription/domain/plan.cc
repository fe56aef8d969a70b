#include "services/subscription/domain/plan.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"

namespace travio::subscription {
namespace {

constexpr std::pair<Quota, std::string_view> kNames[] = {
    {Quota::kBuses, "buses"},
    {Quota::kRoutes, "routes"},
    {Quota::kStaff, "staff"},
    {Quota::kTripsPerMonth, "trips_per_month"},
    {Quota::kBookingsPerMonth, "bookings_per_month"},
};

bool Unlimited(int64_t limit) { return limit == 0; }

// Whether `to`'s limit of `quota` allows at least what `from`'s does.
bool AtLeastAsGenerous(const Plan& from, const Plan& to, Quota quota) {
  const int64_t before = from.LimitOf(quota);
  const int64_t after = to.LimitOf(quota);
  if (Unlimited(after)) return true;
  return !Unlimited(before) && after >= before;
}

}  // namespace

std::string_view QuotaName(Quota quota) {
  for (const auto& [value, name] : kNames) {
    if (value == quota) return name;
  }
  return "";
}

std::optional<Quota> QuotaNamed(std::string_view name) {
  for (const auto& [value, known] : kNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

bool IsPerPeriod(Quota quota) {
  return quota == Quota::kTripsPerMonth || quota == Quota::kBookingsPerMonth;
}

int64_t Plan::LimitOf(Quota quota) const {
  auto it = quotas.find(quota);
  return it == quotas.end() ? 0 : it->second;
}

absl::Status ValidatePlan(const Plan& plan) {
  if (plan.name.empty() || plan.name.size() > 32 ||
      !std::all_of(plan.name.begin(), plan.name.end(), [](char c) {
        return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '-';
      })) {
    return absl::InvalidArgumentError(
        absl::StrCat("plan name \"", plan.name, "\" must be 1 to 32 of a-z, 0-9, _ and -"));
  }
  const std::string& currency = plan.monthly_price.currency;
  if (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(), absl::ascii_isupper)) {
    return absl::InvalidArgumentError(
        absl::StrCat("plan ", plan.name, ": the currency must be three capital letters"));
  }
  if (plan.monthly_price.amount < 0 || plan.booking_fee < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("plan ", plan.name, ": the price and the booking fee cannot be negative"));
  }
  for (const auto& [quota, limit] : plan.quotas) {
    if (limit < 0) {
      return absl::InvalidArgumentError(absl::StrCat("plan ", plan.name, ": the limit of ",
                                                     ToAbsl(QuotaName(quota)),
                                                     " cannot be negative (0 is unlimited)"));
    }
  }
  return absl::OkStatus();
}

bool IsUpgrade(const Plan& from, const Plan& to) {
  if (to.monthly_price.amount != from.monthly_price.amount) {
    return to.monthly_price.amount > from.monthly_price.amount;
  }
  if (to.booking_fee > from.booking_fee) return false;
  return std::all_of(std::begin(kQuotas), std::end(kQuotas),
                     [&](Quota quota) { return AtLeastAsGenerous(from, to, quota); });
}

std::vector<Quota> QuotasExceeded(const Plan& plan, const std::map<Quota, int64_t>& usage) {
  std::vector<Quota> exceeded;
  for (Quota quota : kQuotas) {
    const int64_t limit = plan.LimitOf(quota);
    auto used = usage.find(quota);
    if (!Unlimited(limit) && used != usage.end() && used->second > limit) {
      exceeded.push_back(quota);
    }
  }
  return exceeded;
}

}  // namespace travio::subscription
