#include "services/pricing/domain/pricer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/cel/conversions.h"

namespace travio::pricing {

std::vector<const CompiledRule*> RulesInForce(const std::vector<CompiledRule>& rules,
                                              absl::Time at) {
  std::vector<const CompiledRule*> in_force;
  for (const CompiledRule& rule : rules) {
    if (InForce(rule.rule, at)) in_force.push_back(&rule);
  }
  std::sort(in_force.begin(), in_force.end(), [](const CompiledRule* a, const CompiledRule* b) {
    if (a->rule.spec.priority != b->rule.spec.priority) {
      return a->rule.spec.priority < b->rule.spec.priority;
    }
    return a->rule.id < b->rule.id;
  });
  return in_force;
}

Pricer::Pricer(const std::vector<const CompiledRule*>& rules, const TripFacts& trip,
               const JourneyFacts& journey, const Moment& moment, int64_t ceiling, int64_t budget)
    : rules_(rules), ceiling_(ceiling), budget_(budget) {
  for (const CompiledRule* rule : rules_) reads_seat_label_ |= rule->reads_seat_label;
  // Whole hours left, rounded down; negative once the bus has left.
  const int64_t hours_left =
      absl::ToInt64Hours(absl::Floor(trip.departure - moment.now, absl::Hours(1)));
  bindings_["trip"] = cel::Map({{"id", trip.id},
                                {"route_id", trip.route_id},
                                {"departure", trip.departure},
                                {"hours_to_departure", hours_left},
                                {"bus_class", trip.bus_class},
                                {"ac", trip.ac}});
  bindings_["journey"] =
      cel::Map({{"from", journey.from}, {"to", journey.to}, {"legs", journey.legs}});
  bindings_["occupancy"] = std::clamp<int64_t>(moment.occupancy, 0, 100);
  bindings_["passengers"] = moment.passengers;
  bindings_["now"] = moment.now;
  if (auto zone = cel::ParseTimeZone(trip.zone); !trip.zone.empty() && zone.ok()) {
    options_.time_zone = *zone;
  }
  options_.cost = &spent_;
}

SeatQuote Pricer::Price(const SeatFacts& seat) {
  SeatQuote quote{
      .seat = seat.label, .category = seat.category, .base = seat.base, .price = seat.base};
  if (rules_.empty()) return quote;
  // The trip's bindings stay; only the seat and the price change from one evaluation to the next.
  bindings_["seat"] =
      cel::Map({{"label", seat.label}, {"category", seat.category}, {"deck", seat.deck}});
  for (const CompiledRule* compiled : rules_) {
    if (OverBudget()) return quote;
    const PricingRule& rule = compiled->rule;
    auto skip = [&](std::string error) {
      quote.skipped.push_back({rule.id, rule.version, rule.spec.name, std::move(error)});
    };
    bindings_["price"] = quote.price;
    absl::StatusOr<cel::Value> applies = compiled->when->Evaluate(bindings_, options_);
    if (!applies.ok()) {
      skip(absl::StrCat("when: ", applies.status().message()));
      continue;
    }
    if (applies->kind() != cel::Kind::kBool) {
      skip(absl::StrCat("when: gave a ", cel::TypeName(applies->kind()), ", not a bool"));
      continue;
    }
    if (!applies->bool_value()) continue;
    absl::StatusOr<cel::Value> adjusted = compiled->adjust->Evaluate(bindings_, options_);
    if (!adjusted.ok()) {
      skip(absl::StrCat("adjust: ", adjusted.status().message()));
      continue;
    }
    if (adjusted->kind() != cel::Kind::kInt) {
      skip(absl::StrCat("adjust: gave a ", cel::TypeName(adjusted->kind()), ", not an int"));
      continue;
    }
    const int64_t after = adjusted->int_value();
    if (after < 0 || after > ceiling_) {
      quote.refused =
          absl::StrCat("rule \"", rule.spec.name, "\" made the price ", after,
                       after < 0 ? ", below zero" : ", above the ceiling of ",
                       after < 0 ? "" : absl::StrCat(ceiling_), ": the base fare is used");
      quote.price = quote.base;
      quote.applied.clear();
      return quote;
    }
    quote.applied.push_back({rule.id, rule.version, rule.spec.name, quote.price, after});
    quote.price = after;
  }
  return quote;
}

}  // namespace travio::pricing
