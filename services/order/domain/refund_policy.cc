#include "services/order/domain/refund_policy.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::order {
namespace {

std::string TierName(absl::Duration notice) {
  const int64_t minutes = absl::ToInt64Minutes(notice);
  if (minutes % 60 == 0) return absl::StrCat(minutes / 60, "h");
  return absl::StrCat(minutes, "m");
}

}  // namespace

RefundPolicy DefaultRefundPolicy() {
  return RefundPolicy{{{absl::Hours(48), 90}, {absl::Hours(24), 75}, {absl::Hours(6), 50}}};
}

absl::Status ValidateRefundPolicy(const RefundPolicy& policy) {
  std::vector<FieldError> errors;
  if (policy.tiers.empty() || policy.tiers.size() > 10) {
    errors.push_back({"tiers", "1 to 10 tiers"});
  }
  for (size_t i = 0; i < policy.tiers.size(); ++i) {
    const RefundTier& tier = policy.tiers[i];
    const std::string field = absl::StrCat("tiers[", i, "]");
    if (tier.notice <= absl::ZeroDuration()) errors.push_back({field, "notice must be positive"});
    if (tier.notice % absl::Minutes(1) != absl::ZeroDuration()) {
      errors.push_back({field, "notice must be whole minutes"});
    }
    if (tier.percent < 0 || tier.percent > 100) {
      errors.push_back({field, "percent must be from 0 to 100"});
    }
    if (i > 0) {
      const RefundTier& longer = policy.tiers[i - 1];
      if (tier.notice >= longer.notice) {
        errors.push_back({field, "notice must be shorter than the tier before"});
      }
      if (tier.percent > longer.percent) {
        errors.push_back({field, "a shorter notice cannot refund more"});
      }
    }
  }
  if (errors.empty()) return absl::OkStatus();
  return WithFieldErrors(Error(reasons::kInvalidRefundPolicy, "The refund policy is not valid."),
                         errors);
}

absl::StatusOr<RefundQuote> QuoteRefund(const RefundPolicy& policy, int64_t paid,
                                        absl::Time departure, absl::Time now) {
  if (paid < 0) {
    return Error(reasons::kInvalidAmount, "A paid amount cannot be negative.");
  }
  if (now >= departure) {
    return Error(reasons::kNotCancellable, "The trip has departed; it can no longer be cancelled.");
  }
  const absl::Duration notice = departure - now;
  for (const RefundTier& tier : policy.tiers) {
    if (notice < tier.notice) continue;
    // Integer arithmetic: paid * percent fits easily (amounts are far below 2^56).
    const int64_t refund = paid * tier.percent / 100;
    return RefundQuote{.refund = refund,
                       .fee = paid - refund,
                       .percent = tier.percent,
                       .tier = TierName(tier.notice),
                       .valid_until = departure - tier.notice};
  }
  return RefundQuote{
      .refund = 0, .fee = paid, .percent = 0, .tier = "none", .valid_until = departure};
}

}  // namespace travio::order
