#pragma once

// What an organization's plan allows and costs: the quotas it limits, and the plans Travio
// sells, defined in configuration.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "platform/base/money.h"

namespace travio::subscription {

/// What a plan limits. Buses, routes and staff are counted as they stand; trips published and
/// bookings confirmed, per billing period.
enum class Quota { kBuses, kRoutes, kStaff, kTripsPerMonth, kBookingsPerMonth };

inline constexpr Quota kQuotas[] = {Quota::kBuses, Quota::kRoutes, Quota::kStaff,
                                    Quota::kTripsPerMonth, Quota::kBookingsPerMonth};

/// "buses", "routes", "staff", "trips_per_month", "bookings_per_month": the names in the API,
/// in configuration and in a 402's `quota`.
std::string_view QuotaName(Quota quota);
std::optional<Quota> QuotaNamed(std::string_view name);
/// Whether the quota counts per billing period (and starts again with each).
bool IsPerPeriod(Quota quota);

/// A plan: its monthly price and per-booking fee (in the price's currency, minor units) and its
/// quotas (a missing or zero limit: unlimited).
struct Plan {
  std::string name;
  Money monthly_price;
  int64_t booking_fee = 0;
  std::map<Quota, int64_t> quotas;

  /// The limit of `quota`; 0 for unlimited.
  int64_t LimitOf(Quota quota) const;
  bool operator==(const Plan&) const = default;
};

/// kInvalidArgument unless the name is 1 to 32 of [a-z0-9_-], the currency three capital
/// letters, and the price, fee and limits not negative.
absl::Status ValidatePlan(const Plan& plan);

/// Whether moving from `from` to `to` is an upgrade (taken at once, prorated) rather than a
/// downgrade (at the end of the period): a higher monthly price, or at the same price a fee
/// no higher and every limit at least as generous.
bool IsUpgrade(const Plan& from, const Plan& to);

/// The quotas whose `usage` is over what `plan` allows, in kQuotas' order: what keeps an
/// organization from moving down to `plan`.
std::vector<Quota> QuotasExceeded(const Plan& plan, const std::map<Quota, int64_t>& usage);

}  // namespace travio::subscription
