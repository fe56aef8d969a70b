#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/order/api/order_client.h"
#include "services/order/domain/refund_policy.h"

namespace travio::order {

/// Each operator's cancellation rules: its own policy once it set one, else the default
/// (90/75/50% at 48/24/6 hours).
class RefundPolicies {
 public:
  virtual ~RefundPolicies() = default;

  /// The operator's own policy; nullopt while it is on DefaultRefundPolicy().
  virtual absl::StatusOr<std::optional<RefundPolicy>> Find(const std::string& org_id) = 0;
  /// Replaces the operator's policy (validated by the caller), as of `at`.
  virtual absl::Status Put(const std::string& org_id, const RefundPolicy& policy,
                           absl::Time at) = 0;

  /// The policy cancellations of the operator's trips are quoted under.
  absl::StatusOr<RefundPolicy> For(const std::string& org_id) {
    absl::StatusOr<std::optional<RefundPolicy>> own = Find(org_id);
    if (!own.ok()) return own.status();
    return own->has_value() ? **own : DefaultRefundPolicy();
  }
};

/// Every operator on the default policy (90/75/50% at 48/24/6 hours), nothing stored: for tests
/// that do not set policies. Put is refused (kUnimplemented).
class DefaultRefundPolicies final : public RefundPolicies {
 public:
  absl::StatusOr<std::optional<RefundPolicy>> Find(const std::string&) override {
    return std::nullopt;
  }
  absl::Status Put(const std::string&, const RefundPolicy&, absl::Time) override {
    return absl::UnimplementedError("these refund policies are the default's alone");
  }
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
