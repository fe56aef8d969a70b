#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/order/api/order_client.h"
#include "services/order/domain/refund_policy.h"

namespace travio::order {

/// The fraud service's seam: the saga's first step. Until the fraud service exists
/// (AllowEveryOrder) every order passes.
class FraudCheck {
 public:
  virtual ~FraudCheck() = default;
  /// True when the order may be paid; false rejects it (the saga fails `fraud_rejected`).
  virtual absl::StatusOr<bool> Allow(const OrderView& order) = 0;
};

class AllowEveryOrder final : public FraudCheck {
 public:
  absl::StatusOr<bool> Allow(const OrderView&) override { return true; }
};

/// Each operator's cancellation rules.
class RefundPolicies {
 public:
  virtual ~RefundPolicies() = default;
  virtual absl::StatusOr<RefundPolicy> For(const std::string& org_id) = 0;
};

/// Every operator on the default policy (90/75/50% at 48/24/6 hours).
class DefaultRefundPolicies final : public RefundPolicies {
 public:
  absl::StatusOr<RefundPolicy> For(const std::string&) override { return DefaultRefundPolicy(); }
};

/// When a trip departs from a stop: the catalog's timetable.
class Departures {
 public:
  virtual ~Departures() = default;
  virtual absl::StatusOr<absl::Time> DepartureAt(const std::string& org_id,
                                                 const std::string& trip_id,
                                                 const std::string& station) = 0;
};

}  // namespace travio::order
