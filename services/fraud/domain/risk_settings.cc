#include "services/fraud/domain/risk_settings.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::fraud {

bool Windowed(Signal signal) {
  switch (signal) {
    case Signal::kSeatsOfCapacity:
    case Signal::kBuyerShareOfTrip:
    case Signal::kTotalAboveUsual:
      return false;
    default:
      return true;
  }
}

RiskSettings DefaultRiskSettings() {
  RiskSettings settings;
  auto rule = [](int weight, int64_t threshold, absl::Duration window) {
    return SignalRule{.enabled = true, .weight = weight, .threshold = threshold, .window = window};
  };
  // A card paying a fourth order within ten minutes is denied on its own; the other signals need
  // company to reach a review (three declines before a success are 40: a traveller who mistyped
  // a card three times is not held, one who also uses a third card in a day is). The order
  // service counts failed payments before authorizing (paying.cc). Addresses and emails weigh
  // little: mobile carriers put thousands of travellers behind one address, and families share one
  // email.
  settings.rules = {
      {Signal::kCardVelocity, rule(80, 4, absl::Minutes(10))},
      {Signal::kEmailVelocity, rule(20, 10, absl::Hours(1))},
      {Signal::kAddressVelocity, rule(10, 50, absl::Minutes(10))},
      {Signal::kBuyerVelocity, rule(30, 6, absl::Minutes(10))},
      {Signal::kRecentDeclines, rule(40, 3, absl::Hours(1))},
      {Signal::kSeatsOfCapacity, rule(30, 25, absl::ZeroDuration())},
      {Signal::kBuyerShareOfTrip, rule(50, 40, absl::ZeroDuration())},
      {Signal::kNewBuyerManySeats, rule(20, 6, absl::Hours(24))},
      {Signal::kTotalAboveUsual, rule(30, 500, absl::ZeroDuration())},
      {Signal::kDistinctCards, rule(50, 3, absl::Hours(24))},
  };
  return settings;
}

absl::Status ValidateRiskSettings(const RiskSettings& settings) {
  std::vector<FieldError> errors;
  if (settings.deny_score < 1 || settings.deny_score > 100) {
    errors.push_back({"deny_score", "must be 1 to 100"});
  }
  if (settings.review_score < 1 || settings.review_score > 100) {
    errors.push_back({"review_score", "must be 1 to 100"});
  } else if (settings.review_score > settings.deny_score) {
    errors.push_back({"review_score", "must not be above deny_score"});
  }
  if (settings.review_for < absl::Minutes(5) || settings.review_for > absl::Hours(24 * 7)) {
    errors.push_back({"review_minutes", "must be 5 minutes to 7 days"});
  }
  for (const auto& [signal, name] : kSignalNames) {
    const std::string field = absl::StrCat("rules.", ToAbsl(name));
    auto found = settings.rules.find(signal);
    if (found == settings.rules.end()) {
      errors.push_back({field, "required"});
      continue;
    }
    const SignalRule& rule = found->second;
    if (rule.weight < 0 || rule.weight > 100) {
      errors.push_back({field + ".weight", "must be 0 to 100"});
    }
    if (rule.threshold < 1 || rule.threshold > 1'000'000) {
      errors.push_back({field + ".threshold", "must be 1 to 1000000"});
    }
    if (Windowed(signal) &&
        (rule.window < absl::Minutes(1) || rule.window > absl::Hours(24 * 30))) {
      errors.push_back({field + ".window_minutes", "must be 1 minute to 30 days"});
    }
  }
  if (!errors.empty()) {
    return WithFieldErrors(Error(reasons::kInvalidFraudSettings, "The fraud settings are invalid."),
                           errors);
  }
  return absl::OkStatus();
}

}  // namespace travio::fraud
