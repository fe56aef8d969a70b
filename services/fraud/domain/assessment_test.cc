// The risk engine alone: each signal at, below and above its threshold, the score's cap, and
// the bands that allow, review and deny.
#include "services/fraud/domain/assessment.h"

#include <gtest/gtest.h>

#include "platform/testing/status_matchers.h"

namespace travio::fraud {
namespace {

using ::travio::testing::StatusIs;

// Settings where only `signal` counts, with `weight` at `threshold`.
RiskSettings Only(Signal signal, int64_t threshold, int weight = 60) {
  RiskSettings settings = DefaultRiskSettings();
  for (auto& [each, rule] : settings.rules) rule.enabled = false;
  settings.rules[signal] = {
      .enabled = true, .weight = weight, .threshold = threshold, .window = absl::Minutes(10)};
  return settings;
}

// Facts of an ordinary order: one of everything, nothing unusual.
RiskFacts Ordinary() {
  return RiskFacts{.card_orders = 1,
                   .email_orders = 1,
                   .address_orders = 1,
                   .buyer_orders = 1,
                   .declines = 0,
                   .seats = 2,
                   .capacity = 40,
                   .buyer_trip_seats = 2,
                   .new_buyer = false,
                   .total = 180000,
                   .usual_total = 200000,
                   .distinct_cards = 1};
}

struct SignalCase {
  Signal signal;
  int64_t threshold;
  // Sets the signal's measure in the facts.
  void (*measure)(RiskFacts&, int64_t value);
};

const SignalCase kCases[] = {
    {Signal::kCardVelocity, 4, [](RiskFacts& f, int64_t v) { f.card_orders = v; }},
    {Signal::kEmailVelocity, 6, [](RiskFacts& f, int64_t v) { f.email_orders = v; }},
    {Signal::kAddressVelocity, 30, [](RiskFacts& f, int64_t v) { f.address_orders = v; }},
    {Signal::kBuyerVelocity, 6, [](RiskFacts& f, int64_t v) { f.buyer_orders = v; }},
    {Signal::kRecentDeclines, 3, [](RiskFacts& f, int64_t v) { f.declines = v; }},
    // 10 of 40 seats is 25%.
    {Signal::kSeatsOfCapacity, 25, [](RiskFacts& f, int64_t v) { f.seats = v * 40 / 100; }},
    {Signal::kBuyerShareOfTrip, 40,
     [](RiskFacts& f, int64_t v) { f.buyer_trip_seats = v * 40 / 100; }},
    {Signal::kNewBuyerManySeats, 6,
     [](RiskFacts& f, int64_t v) {
       f.new_buyer = true;
       f.seats = v;
     }},
    {Signal::kTotalAboveUsual, 500, [](RiskFacts& f, int64_t v) { f.total = 2000 * v; }},
    {Signal::kDistinctCards, 3, [](RiskFacts& f, int64_t v) { f.distinct_cards = v; }},
};

TEST(AssessmentTest, EachSignalCountsFromItsThresholdOn) {
  for (const SignalCase& c : kCases) {
    SCOPED_TRACE(std::string(SignalName(c.signal)));
    const RiskSettings settings = Only(c.signal, c.threshold);
    RiskFacts facts = Ordinary();
    facts.usual_total = 200000;
    c.measure(facts, c.threshold - (c.signal == Signal::kSeatsOfCapacity ||
                                            c.signal == Signal::kBuyerShareOfTrip
                                        ? 5
                                        : 1));
    const Assessment below = Assess(settings, facts);
    EXPECT_EQ(below.score, 0);
    EXPECT_EQ(below.decision, Decision::kAllow);
    EXPECT_TRUE(below.reasons.empty());

    c.measure(facts, c.threshold);
    const Assessment at = Assess(settings, facts);
    EXPECT_EQ(at.score, 60);
    EXPECT_EQ(at.decision, Decision::kReview);
    ASSERT_EQ(at.reasons.size(), 1u);
    EXPECT_EQ(at.reasons[0].signal, SignalName(c.signal));
    EXPECT_EQ(at.reasons[0].weight, 60);
    EXPECT_NE(at.reasons[0].detail.find("threshold"), std::string::npos) << at.reasons[0].detail;
  }
}

TEST(AssessmentTest, AnOrdinaryOrderIsAllowedUnderTheDefaults) {
  const Assessment assessment = Assess(DefaultRiskSettings(), Ordinary());
  EXPECT_EQ(assessment.decision, Decision::kAllow);
  EXPECT_EQ(assessment.score, 0);
  EXPECT_TRUE(assessment.reasons.empty());
  EXPECT_EQ(assessment.review_for, absl::Hours(2));
}

TEST(AssessmentTest, ACardUsedForAFourthOrderInTenMinutesIsDeniedUnderTheDefaults) {
  RiskFacts facts = Ordinary();
  facts.card_orders = 4;
  const Assessment assessment = Assess(DefaultRiskSettings(), facts);
  EXPECT_EQ(assessment.decision, Decision::kDeny);
  EXPECT_EQ(assessment.score, 80);
  ASSERT_EQ(assessment.reasons.size(), 1u);
  EXPECT_EQ(assessment.reasons[0].detail, "card used for 4 orders in 10 minutes (threshold 4)");
}

TEST(AssessmentTest, ScoresAddUpToAHundredAtMostAndTheHeaviestReasonComesFirst) {
  RiskFacts facts = Ordinary();
  facts.card_orders = 9;     // 80
  facts.distinct_cards = 5;  // 50
  facts.email_orders = 12;   // 20
  const Assessment assessment = Assess(DefaultRiskSettings(), facts);
  EXPECT_EQ(assessment.score, 100);
  EXPECT_EQ(assessment.decision, Decision::kDeny);
  ASSERT_EQ(assessment.reasons.size(), 3u);
  EXPECT_EQ(assessment.reasons[0].signal, "card_velocity");
  EXPECT_EQ(assessment.reasons[1].signal, "distinct_cards");
  EXPECT_EQ(assessment.reasons[2].signal, "email_velocity");
}

TEST(AssessmentTest, SignalsWithoutTheirFactsSayNothing) {
  RiskSettings settings = DefaultRiskSettings();
  for (auto& [signal, rule] : settings.rules) rule.threshold = 1;
  RiskFacts facts;  // no card, no address, capacity unknown, no usual total, not new
  facts.seats = 1;
  facts.email_orders = 0;
  facts.buyer_orders = 0;
  const Assessment assessment = Assess(settings, facts);
  EXPECT_TRUE(assessment.reasons.empty()) << assessment.reasons[0].signal;
}

TEST(AssessmentTest, TheBandsFollowTheSettings) {
  RiskSettings settings = Only(Signal::kEmailVelocity, 2, 30);
  settings.review_score = 30;
  settings.deny_score = 31;
  RiskFacts facts = Ordinary();
  facts.email_orders = 2;
  EXPECT_EQ(Assess(settings, facts).decision, Decision::kReview);
  settings.deny_score = 30;
  EXPECT_EQ(Assess(settings, facts).decision, Decision::kDeny);
  settings.rules[Signal::kEmailVelocity].weight = 0;  // weighs nothing: never a reason
  EXPECT_EQ(Assess(settings, facts).decision, Decision::kAllow);
  EXPECT_TRUE(Assess(settings, facts).reasons.empty());
}

TEST(RiskSettingsTest, TheDefaultsAreValidAndBadSettingsNameEachField) {
  EXPECT_OK(ValidateRiskSettings(DefaultRiskSettings()));
  RiskSettings bad = DefaultRiskSettings();
  bad.review_score = 90;  // above deny
  bad.review_for = absl::Minutes(1);
  bad.rules[Signal::kCardVelocity].weight = 101;
  bad.rules[Signal::kCardVelocity].threshold = 0;
  bad.rules[Signal::kEmailVelocity].window = absl::Seconds(5);
  bad.rules.erase(Signal::kDistinctCards);
  const absl::Status status = ValidateRiskSettings(bad);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, "invalid_fraud_settings"));
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(status)) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "review_score", "review_minutes", "rules.card_velocity.weight",
                        "rules.card_velocity.threshold", "rules.email_velocity.window_minutes",
                        "rules.distinct_cards"}));
}

}  // namespace
}  // namespace travio::fraud
