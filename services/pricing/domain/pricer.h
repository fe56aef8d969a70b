#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/pricing/domain/rule_program.h"

namespace travio::pricing {

/// What rules know of the trip, as its seller sees it when pricing.
struct TripFacts {
  std::string id;
  std::string route_id;
  /// When the traveller boards: the trip's departure from the journey's first stop.
  absl::Time departure;
  std::string bus_class;
  bool ac = false;
  /// The boarding station's IANA zone: timestamp accessors called without a zone use it.
  std::string zone;
};

struct JourneyFacts {
  std::string from;
  std::string to;
  int64_t legs = 1;
};

/// One seat to price, with its base fare from the catalog (minor units).
struct SeatFacts {
  std::string label;
  std::string category;
  int64_t deck = 1;
  int64_t base = 0;
};

/// The moment of pricing and what the sale looks like then.
struct Moment {
  absl::Time now;
  int64_t occupancy = 0;   // percent of the journey's seats sold or held, 0..100
  int64_t passengers = 1;  // seats in the hold or the quote
};

struct AppliedRule {
  std::string rule_id;
  int64_t version = 0;
  std::string name;
  int64_t before = 0;
  int64_t after = 0;
  bool operator==(const AppliedRule&) const = default;
};

/// A rule that could not price the seat; the seat is priced as if it did not exist.
struct SkippedRule {
  std::string rule_id;
  int64_t version = 0;
  std::string name;
  std::string error;
  bool operator==(const SkippedRule&) const = default;
};

struct SeatQuote {
  std::string seat;
  std::string category;
  int64_t base = 0;
  int64_t price = 0;
  std::vector<AppliedRule> applied;
  std::vector<SkippedRule> skipped;
  /// Why the base fare was used instead of what the rules made (a price below zero or above
  /// the ceiling); empty when the rules' price stands.
  std::string refused;
};

/// Prices seats with an organization's rules: ascending priority, each rule whose `when` holds
/// turns the price with `adjust`. A rule whose expression fails is skipped (and said so); a
/// price the rules make below zero or above `ceiling` is refused and the base fare used.
class Pricer {
 public:
  /// `rules` in force, in the order they apply. `budget` bounds the evaluation steps of all the
  /// seats this pricer prices (0: no bound beyond each evaluation's own).
  Pricer(const std::vector<const CompiledRule*>& rules, const TripFacts& trip,
         const JourneyFacts& journey, const Moment& moment, int64_t ceiling, int64_t budget = 0);

  // The evaluation options point at this object's step count.
  Pricer(const Pricer&) = delete;
  Pricer& operator=(const Pricer&) = delete;

  SeatQuote Price(const SeatFacts& seat);
  /// Whether the seats priced so far took more steps than the budget: their prices are not
  /// to be used.
  bool OverBudget() const { return budget_ > 0 && spent_ > budget_; }
  /// The evaluation steps taken so far.
  int64_t spent() const { return spent_; }
  /// Seats of one category, deck and base fare price alike unless a rule reads seat labels.
  bool SeatsOfAKindPriceAlike() const { return !reads_seat_label_; }

 private:
  std::vector<const CompiledRule*> rules_;
  cel::Activation bindings_;
  cel::EvaluationOptions options_;
  int64_t ceiling_;
  int64_t budget_ = 0;
  int64_t spent_ = 0;
  bool reads_seat_label_ = false;
};

/// The rules in force at `at`, in the order they apply (priority, then id).
std::vector<const CompiledRule*> RulesInForce(const std::vector<CompiledRule>& rules,
                                              absl::Time at);

}  // namespace travio::pricing
