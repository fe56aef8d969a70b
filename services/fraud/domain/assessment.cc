#include "services/fraud/domain/assessment.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace travio::fraud {
namespace {

std::string Window(absl::Duration window) {
  auto count = [](int64_t n, const char* unit) {
    return absl::StrCat(n, " ", unit, n == 1 ? "" : "s");
  };
  if (window >= absl::Hours(24) && window % absl::Hours(24) == absl::ZeroDuration()) {
    return count(window / absl::Hours(24), "day");
  }
  if (window >= absl::Hours(1) && window % absl::Hours(1) == absl::ZeroDuration()) {
    return count(window / absl::Hours(1), "hour");
  }
  return count(absl::ToInt64Minutes(window), "minute");
}

int64_t Percent(int64_t part, int64_t whole) { return whole > 0 ? part * 100 / whole : 0; }

// What the signal measured, and its words for staff; nullopt when it has nothing to measure.
struct Measure {
  int64_t value = 0;
  std::string detail;
};

std::optional<Measure> Measured(Signal signal, const SignalRule& rule, const RiskFacts& facts) {
  const std::string in = absl::StrCat(" in ", Window(rule.window));
  switch (signal) {
    case Signal::kCardVelocity:
      if (facts.card_orders == 0) return std::nullopt;
      return Measure{facts.card_orders,
                     absl::StrCat("card used for ", facts.card_orders, " orders", in)};
    case Signal::kEmailVelocity:
      return Measure{facts.email_orders,
                     absl::StrCat("email used for ", facts.email_orders, " orders", in)};
    case Signal::kAddressVelocity:
      if (facts.address_orders == 0) return std::nullopt;
      return Measure{facts.address_orders,
                     absl::StrCat(facts.address_orders, " payments from one address", in)};
    case Signal::kBuyerVelocity:
      return Measure{facts.buyer_orders,
                     absl::StrCat("buyer placed ", facts.buyer_orders, " orders", in)};
    case Signal::kRecentDeclines:
      return Measure{facts.declines, absl::StrCat(facts.declines, " declined payments", in)};
    case Signal::kSeatsOfCapacity: {
      if (facts.capacity == 0) return std::nullopt;
      const int64_t percent = Percent(facts.seats, facts.capacity);
      return Measure{percent, absl::StrCat(facts.seats, " of the trip's ", facts.capacity,
                                           " seats in one order (", percent, "%)")};
    }
    case Signal::kBuyerShareOfTrip: {
      if (facts.capacity == 0) return std::nullopt;
      const int64_t percent = Percent(facts.buyer_trip_seats, facts.capacity);
      return Measure{percent, absl::StrCat("buyer has ", facts.buyer_trip_seats, " of the trip's ",
                                           facts.capacity, " seats (", percent, "%)")};
    }
    case Signal::kNewBuyerManySeats:
      if (!facts.new_buyer) return std::nullopt;
      return Measure{facts.seats,
                     absl::StrCat("a guest or an account younger than ", Window(rule.window),
                                  " buys ", facts.seats, " seats")};
    case Signal::kTotalAboveUsual: {
      if (!facts.usual_total || *facts.usual_total <= 0) return std::nullopt;
      const int64_t percent = Percent(facts.total, *facts.usual_total);
      return Measure{percent,
                     absl::StrCat("total is ", percent, "% of this journey's usual order")};
    }
    case Signal::kDistinctCards:
      if (facts.distinct_cards == 0) return std::nullopt;
      return Measure{facts.distinct_cards,
                     absl::StrCat("buyer paid with ", facts.distinct_cards, " cards", in)};
  }
  return std::nullopt;
}

}  // namespace

Assessment Assess(const RiskSettings& settings, const RiskFacts& facts) {
  Assessment assessment;
  assessment.review_for = settings.review_for;
  int score = 0;
  for (const auto& [signal, rule] : settings.rules) {
    if (!rule.enabled || rule.weight == 0) continue;
    std::optional<Measure> measure = Measured(signal, rule, facts);
    if (!measure || measure->value < rule.threshold) continue;
    score += rule.weight;
    assessment.reasons.push_back(
        {.signal = std::string(SignalName(signal)),
         .weight = rule.weight,
         .detail = absl::StrCat(measure->detail, " (threshold ", rule.threshold, ")")});
  }
  // The heaviest reasons first: what staff read first is what weighed most.
  std::stable_sort(assessment.reasons.begin(), assessment.reasons.end(),
                   [](const RiskReason& a, const RiskReason& b) { return a.weight > b.weight; });
  assessment.score = std::min(score, 100);
  if (assessment.score >= settings.deny_score) {
    assessment.decision = Decision::kDeny;
  } else if (assessment.score >= settings.review_score) {
    assessment.decision = Decision::kReview;
  }
  return assessment;
}

}  // namespace travio::fraud
