// Fraud settings as the REST API and the settings table write them: a round trip, partial
// documents over a base, and refusals that name each bad member.
#include "services/fraud/api/risk_settings_json.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::fraud {
namespace {

using nlohmann::json;
using ::travio::testing::StatusIs;

TEST(RiskSettingsJsonTest, SettingsSurviveTheirJson) {
  RiskSettings settings = DefaultRiskSettings();
  settings.review_score = 40;
  settings.deny_score = 70;
  settings.review_for = absl::Minutes(45);
  settings.rules[Signal::kCardVelocity] = {
      .enabled = false, .weight = 55, .threshold = 7, .window = absl::Hours(3)};
  const json written = RiskSettingsJson(settings);
  EXPECT_EQ(written["review_minutes"], 45);
  EXPECT_EQ(written["rules"]["card_velocity"],
            json({{"enabled", false}, {"weight", 55}, {"threshold", 7}, {"window_minutes", 180}}));
  // Signals without a window do not show one.
  EXPECT_FALSE(written["rules"]["seats_of_capacity"].contains("window_minutes"));
  ASSERT_OK_AND_ASSIGN(RiskSettings read, ApplyRiskSettingsJson(written, RiskSettings{}));
  EXPECT_EQ(read.review_score, 40);
  EXPECT_EQ(read.rules.at(Signal::kCardVelocity), settings.rules.at(Signal::kCardVelocity));
  EXPECT_EQ(read.rules.size(), settings.rules.size());
}

TEST(RiskSettingsJsonTest, APartialDocumentChangesOnlyWhatItNames) {
  const json change = {{"deny_score", 90}, {"rules", {{"email_velocity", {{"threshold", 12}}}}}};
  ASSERT_OK_AND_ASSIGN(RiskSettings changed, ApplyRiskSettingsJson(change, DefaultRiskSettings()));
  RiskSettings expected = DefaultRiskSettings();
  expected.deny_score = 90;
  expected.rules[Signal::kEmailVelocity].threshold = 12;
  EXPECT_EQ(changed, expected);
}

TEST(RiskSettingsJsonTest, UnknownMembersAndWrongTypesAreNamed) {
  const json bad = {{"deny_score", "high"},
                    {"colour", "red"},
                    {"rules",
                     {{"card_velocity", {{"weight", 1.5}, {"enabled", "yes"}, {"size", 1}}},
                      {"moon_phase", {{"weight", 1}}},
                      {"email_velocity", 3}}}};
  const absl::StatusOr<RiskSettings> read = ApplyRiskSettingsJson(bad, DefaultRiskSettings());
  EXPECT_THAT(read.status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "invalid_fraud_settings"));
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(read.status())) fields.push_back(error.field);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields,
            (std::vector<std::string>{"colour", "deny_score", "rules.card_velocity.enabled",
                                      "rules.card_velocity.size", "rules.card_velocity.weight",
                                      "rules.email_velocity", "rules.moon_phase"}));
  EXPECT_THAT(ApplyRiskSettingsJson(json::array(), DefaultRiskSettings()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "invalid_fraud_settings"));
}

TEST(RiskSettingsJsonTest, HugeNumbersStayOutOfRangeInsteadOfWrapping) {
  const json huge = {{"review_score", 4294967346LL},
                     {"rules", {{"card_velocity", {{"window_minutes", 9007199254740993LL}}}}}};
  ASSERT_OK_AND_ASSIGN(RiskSettings read, ApplyRiskSettingsJson(huge, DefaultRiskSettings()));
  const absl::Status valid = ValidateRiskSettings(read);
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(valid)) fields.push_back(error.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"review_score", "rules.card_velocity.window_minutes"}));
}

}  // namespace
}  // namespace travio::fraud
