#pragma once

// The risk engine: facts about one order in, a decision with its score and reasons out. Pure:
// the facts are gathered by the service (app/fraud_service.h) from its counters.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "platform/base/enum_names.h"
#include "services/fraud/domain/risk_settings.h"

namespace travio::fraud {

/// allow: capture and confirm; review: hold the order (payment authorized, seats kept) until
/// staff decide; deny: void and release, as for a declined card.
enum class Decision { kAllow, kReview, kDeny };
inline constexpr EnumName<Decision> kDecisionNames[] = {
    {Decision::kAllow, "allow"},
    {Decision::kReview, "review"},
    {Decision::kDeny, "deny"},
};
inline std::string_view DecisionName(Decision decision) { return NameOf(kDecisionNames, decision); }

/// One signal that counted, with what it measured in words staff can read.
struct RiskReason {
  std::string signal;  // SignalName, or "fallback"
  int weight = 0;
  std::string detail;  // "card used for 5 orders in 10 minutes (threshold 4)"
  bool operator==(const RiskReason&) const = default;
};

struct Assessment {
  Decision decision = Decision::kAllow;
  int score = 0;  // 0..100
  std::vector<RiskReason> reasons;
  /// How long a review may wait for staff (the organization's setting).
  absl::Duration review_for = absl::Hours(2);
  /// Made by the caller's fallback because the fraud service did not answer in time.
  bool fallback = false;
  bool operator==(const Assessment&) const = default;
};

/// What the service measured for one order; each count includes the order itself.
struct RiskFacts {
  int64_t card_orders = 0;  // 0 without a card (a redirect payment)
  int64_t email_orders = 0;
  int64_t address_orders = 0;  // 0 without an address
  int64_t buyer_orders = 0;
  int64_t declines = 0;  // of the card or the buyer, whichever is more
  int64_t seats = 0;
  int64_t capacity = 0;  // 0 when unknown
  int64_t buyer_trip_seats = 0;
  bool new_buyer = false;  // a guest, or an account younger than the signal's window
  int64_t total = 0;
  /// The journey's usual order total; nullopt until enough orders were seen.
  std::optional<int64_t> usual_total;
  int64_t distinct_cards = 0;
};

/// Adds the weight of each enabled signal whose measure reaches its threshold (the score stops
/// at 100), then decides: deny at `deny_score`, review at `review_score`, else allow.
Assessment Assess(const RiskSettings& settings, const RiskFacts& facts);

}  // namespace travio::fraud
