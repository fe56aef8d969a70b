#pragma once

// Fraud settings as JSON, the one shape the REST API and the settings table share:
//   {"review_score":50,"deny_score":80,"review_minutes":120,
//    "rules":{"card_velocity":{"enabled":true,"weight":80,"threshold":4,"window_minutes":10},...}}

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "services/fraud/domain/risk_settings.h"

namespace travio::fraud {

nlohmann::json RiskSettingsJson(const RiskSettings& settings);

/// `document` laid over `base`: what it names replaces base's value, what it leaves out stays.
/// kInvalidArgument `invalid_fraud_settings` naming each unknown member or wrong type
/// (`rules.card_velocity.weight`); the result still has to pass ValidateRiskSettings.
absl::StatusOr<RiskSettings> ApplyRiskSettingsJson(const nlohmann::json& document,
                                                   RiskSettings base);

}  // namespace travio::fraud
