#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "platform/cel/program.h"
#include "services/pricing/domain/rule.h"

namespace travio::pricing {

/// The variables a rule sees (api.md "Pricing rules"): `price` (minor units), `trip` (`id`,
/// `route_id`, `departure`, `hours_to_departure`, `bus_class`, `ac`), `journey` (`from`, `to`,
/// `legs`), `seat` (`label`, `category`, `deck`), `occupancy` (0..100), `passengers` and `now`.
/// Objects have known fields, so a misspelt one is refused when the rule is saved.
cel::Env RuleEnv();

/// A rule with its expressions compiled once, evaluated for every seat it prices.
struct CompiledRule {
  PricingRule rule;
  std::shared_ptr<const cel::Program> when;
  std::shared_ptr<const cel::Program> adjust;
  /// Whether an expression can tell seats of one category and deck apart (it reads the seat's
  /// label, or the seat as a whole); when no rule can, such seats share one evaluation.
  bool reads_seat_label = false;
};

/// Compiles both expressions of `rule`: `when` must be a bool and `adjust` an int, and regex
/// patterns and time-zone names must be literals.
/// kInvalidArgument `invalid_expression` with a field error per problem, naming the field
/// (`when`, `adjust`), the line and the column.
absl::StatusOr<CompiledRule> CompileRule(const cel::Env& env, const PricingRule& rule,
                                         const cel::Limits& limits);

}  // namespace travio::pricing
