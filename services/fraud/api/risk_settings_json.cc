#include "services/fraud/api/risk_settings_json.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "platform/base/errors.h"

namespace travio::fraud {
namespace {

using nlohmann::json;

// Reads an integer member into `out`; a wrong type or a value out of int64 range is an error.
void ReadInteger(const json& value, const std::string& field, int64_t& out,
                 std::vector<FieldError>& errors) {
  if (!value.is_number_integer()) {
    errors.push_back({field, "must be an integer"});
    return;
  }
  out = value.get<int64_t>();
}

void ReadScore(const json& value, const std::string& field, int& out,
               std::vector<FieldError>& errors) {
  int64_t read = out;
  ReadInteger(value, field, read, errors);
  // Out of range here is out of range for validation too: clamp so it says so.
  out = static_cast<int>(std::clamp<int64_t>(read, -1, 1'000'000));
}

void ReadRule(const json& document, const std::string& field, SignalRule& rule,
              std::vector<FieldError>& errors) {
  if (!document.is_object()) {
    errors.push_back({field, "must be an object"});
    return;
  }
  for (const auto& [key, value] : document.items()) {
    const std::string member = field + "." + key;
    if (key == "enabled") {
      if (!value.is_boolean()) {
        errors.push_back({member, "must be true or false"});
      } else {
        rule.enabled = value.get<bool>();
      }
    } else if (key == "weight") {
      ReadScore(value, member, rule.weight, errors);
    } else if (key == "threshold") {
      ReadInteger(value, member, rule.threshold, errors);
    } else if (key == "window_minutes") {
      int64_t minutes = absl::ToInt64Minutes(rule.window);
      ReadInteger(value, member, minutes, errors);
      rule.window = absl::Minutes(std::clamp<int64_t>(minutes, -1, 1'000'000));
    } else {
      errors.push_back({member, "unknown field"});
    }
  }
}

}  // namespace

json RiskSettingsJson(const RiskSettings& settings) {
  json rules = json::object();
  for (const auto& [signal, rule] : settings.rules) {
    json out = {{"enabled", rule.enabled}, {"weight", rule.weight}, {"threshold", rule.threshold}};
    if (Windowed(signal)) out["window_minutes"] = absl::ToInt64Minutes(rule.window);
    rules[std::string(SignalName(signal))] = std::move(out);
  }
  return {{"review_score", settings.review_score},
          {"deny_score", settings.deny_score},
          {"review_minutes", absl::ToInt64Minutes(settings.review_for)},
          {"rules", std::move(rules)}};
}

absl::StatusOr<RiskSettings> ApplyRiskSettingsJson(const json& document, RiskSettings base) {
  std::vector<FieldError> errors;
  if (!document.is_object()) {
    errors.push_back({"", "must be an object"});
  } else {
    for (const auto& [key, value] : document.items()) {
      if (key == "review_score") {
        ReadScore(value, key, base.review_score, errors);
      } else if (key == "deny_score") {
        ReadScore(value, key, base.deny_score, errors);
      } else if (key == "review_minutes") {
        int64_t minutes = absl::ToInt64Minutes(base.review_for);
        ReadInteger(value, key, minutes, errors);
        base.review_for = absl::Minutes(std::clamp<int64_t>(minutes, -1, 1'000'000));
      } else if (key == "rules") {
        if (!value.is_object()) {
          errors.push_back({"rules", "must be an object"});
          continue;
        }
        for (const auto& [name, rule] : value.items()) {
          const std::optional<Signal> signal = ParseName(kSignalNames, name);
          if (!signal) {
            errors.push_back({"rules." + name, "unknown signal"});
            continue;
          }
          ReadRule(rule, "rules." + name, base.rules[*signal], errors);
        }
      } else {
        errors.push_back({key, "unknown field"});
      }
    }
  }
  if (!errors.empty()) {
    return WithFieldErrors(Error(reasons::kInvalidFraudSettings, "The fraud settings are invalid."),
                           errors);
  }
  return base;
}

}  // namespace travio::fraud
