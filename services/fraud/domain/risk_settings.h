#pragma once

// An operator's fraud settings: which signals count, how much each weighs, where each starts to
// count, and the scores at which an order is held for review or denied.

#include <cstdint>
#include <map>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "platform/base/enum_names.h"

namespace travio::fraud {

/// What the risk engine looks at. Each is computed from what the system already knows, per
/// organization, over a sliding window where it says so.
enum class Signal {
  kCardVelocity,       // orders paid with one card (its fingerprint) in the window
  kEmailVelocity,      // orders with one contact email in the window
  kAddressVelocity,    // payments from one client address in the window
  kBuyerVelocity,      // orders of one buyer (account or guest) in the window
  kRecentDeclines,     // declined payments of the card or the buyer in the window
  kSeatsOfCapacity,    // seats in this order, in percent of the trip's seats
  kBuyerShareOfTrip,   // seats of the trip bought by this buyer, in percent of its seats
  kNewBuyerManySeats,  // seats bought by a guest or an account younger than the window
  kTotalAboveUsual,    // the order's total, in percent of the journey's usual order
  kDistinctCards,      // distinct cards one buyer paid with in the window
};
inline constexpr EnumName<Signal> kSignalNames[] = {
    {Signal::kCardVelocity, "card_velocity"},
    {Signal::kEmailVelocity, "email_velocity"},
    {Signal::kAddressVelocity, "address_velocity"},
    {Signal::kBuyerVelocity, "buyer_velocity"},
    {Signal::kRecentDeclines, "recent_declines"},
    {Signal::kSeatsOfCapacity, "seats_of_capacity"},
    {Signal::kBuyerShareOfTrip, "buyer_share_of_trip"},
    {Signal::kNewBuyerManySeats, "new_buyer_many_seats"},
    {Signal::kTotalAboveUsual, "total_above_usual"},
    {Signal::kDistinctCards, "distinct_cards"},
};
inline std::string_view SignalName(Signal signal) { return NameOf(kSignalNames, signal); }
/// Whether the signal is counted over a window (the others ignore `window`).
bool Windowed(Signal signal);

/// One signal's rule: it adds `weight` to the score when its measure reaches `threshold`.
struct SignalRule {
  bool enabled = true;
  int weight = 0;         // 0..100
  int64_t threshold = 1;  // a count, seats, or a percentage, as the signal says
  absl::Duration window = absl::Minutes(10);
  bool operator==(const SignalRule&) const = default;
};

struct RiskSettings {
  /// A score at or above it holds the order for review (payment authorized, seats kept).
  int review_score = 50;
  /// A score at or above it denies the order (payment voided, seats released).
  int deny_score = 80;
  /// How long staff have to decide a review; an undecided review is rejected after it.
  absl::Duration review_for = absl::Hours(2);
  std::map<Signal, SignalRule> rules;
  bool operator==(const RiskSettings&) const = default;
};

/// What an operator that changed nothing gets: thresholds that a traveller booking a family's
/// seats never meets, and that a card tried over and over quickly does.
RiskSettings DefaultRiskSettings();

/// kInvalidArgument `invalid_fraud_settings` naming each bad field (`review_score`,
/// `rules.card_velocity.weight`, ...): scores 1..100 with review below deny, weights 0..100,
/// thresholds 1..1,000,000, windows 1 minute..30 days, reviews 5 minutes..7 days, every signal
/// present.
absl::Status ValidateRiskSettings(const RiskSettings& settings);

}  // namespace travio::fraud
