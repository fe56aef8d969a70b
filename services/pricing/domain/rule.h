#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace travio::pricing {

/// What an operator writes (api.md "Pricing rules"): when `when` holds for a seat, `adjust`
/// turns the price so far into the new price. Rules apply in ascending `priority`.
struct RuleDraft {
  std::string name;
  int64_t priority = 0;
  std::string when;    // CEL, bool
  std::string adjust;  // CEL, int: the new price in minor units
  bool active = true;
  std::optional<absl::Time> valid_from;  // inclusive
  std::optional<absl::Time> valid_to;    // exclusive
  bool operator==(const RuleDraft&) const = default;
};

/// A saved rule. Every change makes a new version; holds record the versions that priced them,
/// and old versions are kept.
struct PricingRule {
  std::string id;
  std::string org_id;
  RuleDraft spec;
  int64_t version = 1;
  absl::Time created_at;
  absl::Time updated_at;
};

inline constexpr int64_t kMinPriority = -1000000;
inline constexpr int64_t kMaxPriority = 1000000;
inline constexpr size_t kMaxRuleNameLength = 100;

/// The draft's plain fields (not its expressions): kInvalidArgument `validation_failed` naming
/// each bad field.
absl::Status ValidateDraft(const RuleDraft& draft);

/// Whether the rule takes part in pricing at `at`: active and inside its validity window.
bool InForce(const PricingRule& rule, absl::Time at);

}  // namespace travio::pricing
