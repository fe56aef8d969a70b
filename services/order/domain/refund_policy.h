#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace travio::order {

/// One step of an operator's refund policy: cancelled at least `notice` before departure, the
/// traveller gets `percent` of what was paid back.
struct RefundTier {
  absl::Duration notice;
  int percent = 0;
  bool operator==(const RefundTier&) const = default;
};

/// Tiers from the longest notice to the shortest; cancelling with less notice than the last
/// tier refunds nothing.
struct RefundPolicy {
  std::vector<RefundTier> tiers;
  bool operator==(const RefundPolicy&) const = default;
};

/// The default of issue 6: 90% at least 48 hours before departure, 75% at least 24 hours, 50%
/// at least 6 hours, nothing after.
RefundPolicy DefaultRefundPolicy();

/// kInvalidArgument `invalid_refund_policy` (field errors `tiers[i]`) unless: 1 to 10 tiers,
/// notices positive, in whole minutes and strictly shrinking, percents from 0 to 100 and never
/// growing as the notice shrinks.
absl::Status ValidateRefundPolicy(const RefundPolicy& policy);

struct RefundQuote {
  int64_t refund = 0;  // minor units back to the traveller
  int64_t fee = 0;     // minor units kept: paid - refund
  int percent = 0;
  /// The tier that applied, as "48h" (its notice), or "none" when none did.
  std::string tier;
  /// When the tier stops applying (the notice runs short, or the trip departs): a quote must
  /// not be honoured past it.
  absl::Time valid_until;
};

/// What cancelling seats that cost `paid` (minor units) refunds at `now` for a trip departing
/// at `departure`. The refund is rounded down to the minor unit (the fee takes the fraction).
/// kFailedPrecondition `not_cancellable` once the trip has departed; kInvalidArgument for a
/// negative amount.
absl::StatusOr<RefundQuote> QuoteRefund(const RefundPolicy& policy, int64_t paid,
                                        absl::Time departure, absl::Time now);

}  // namespace travio::order
