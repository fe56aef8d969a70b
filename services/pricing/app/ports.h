#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/pricing/domain/rule.h"

namespace travio::pricing {

/// An organization's rules, every version kept. "Current" is a rule's newest version unless it
/// was deleted.
class RuleStore {
 public:
  virtual ~RuleStore() = default;
  /// Saves version 1 of a new rule.
  virtual absl::Status Insert(const PricingRule& rule) = 0;
  /// The rule's current version.
  virtual absl::StatusOr<std::optional<PricingRule>> Find(const std::string& org_id,
                                                          const std::string& rule_id) = 0;
  /// Every current rule of the organization, in the order they apply.
  virtual absl::StatusOr<std::vector<PricingRule>> ListCurrent(const std::string& org_id) = 0;
  /// Makes `next` (version = the current one + 1) the current version, when the current one is
  /// still `next.version - 1`: kAborted `concurrent_update` otherwise.
  virtual absl::Status Replace(const PricingRule& next) = 0;
  /// Ends the rule (its versions stay for the holds they priced). False when there is no
  /// current version.
  virtual absl::StatusOr<bool> Delete(const std::string& org_id, const std::string& rule_id,
                                      absl::Time at) = 0;
};

}  // namespace travio::pricing
