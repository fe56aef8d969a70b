#include "services/pricing/domain/pricer.h"

#include <gtest/gtest.h>

#include "platform/cel/conversions.h"

namespace travio::pricing {
namespace {

CompiledRule Compile(std::string id, int64_t priority, std::string when, std::string adjust) {
  PricingRule rule{.id = std::move(id),
                   .org_id = "o1",
                   .spec = RuleDraft{.name = "rule " + std::to_string(priority),
                                     .priority = priority,
                                     .when = std::move(when),
                                     .adjust = std::move(adjust)},
                   .version = 3};
  absl::StatusOr<CompiledRule> compiled = CompileRule(RuleEnv(), rule, {});
  EXPECT_TRUE(compiled.ok()) << compiled.status();
  return *std::move(compiled);
}

absl::Time At(const std::string& rfc3339) { return *cel::ParseTimestamp(rfc3339); }

// A Friday-night departure from Dhaka: 22:30 local is 16:30 UTC, a Friday either way.
TripFacts FridayNight() {
  return TripFacts{.id = "t1",
                   .route_id = "r1",
                   .departure = At("2026-12-11T22:30:00+06:00"),
                   .bus_class = "sleeper",
                   .ac = true,
                   .zone = "Asia/Dhaka"};
}

const JourneyFacts kJourney{.from = "DAC", .to = "CXB", .legs = 1};
const SeatFacts kSeat{.label = "A1", .category = "", .deck = 1, .base = 100000};

Moment DaysBefore(const TripFacts& trip, int days) {
  return Moment{.now = trip.departure - absl::Hours(24 * days), .occupancy = 40, .passengers = 1};
}

const char kWeekend[] = "trip.departure.getDayOfWeek() in [5, 6]";

TEST(Pricer, AppliesRulesInPriorityOrderAndSaysWhatEachDid) {
  std::vector<CompiledRule> rules = {
      Compile("b", 20, "true", "price / 100 * 100"),
      Compile("a", 10, kWeekend, "price + price / 10"),
  };
  const TripFacts trip = FridayNight();
  Pricer pricer(RulesInForce(rules, trip.departure), trip, kJourney, DaysBefore(trip, 3),
                10'000'000);
  SeatQuote quote = pricer.Price({.label = "A1", .category = "", .deck = 1, .base = 100050});
  EXPECT_EQ(quote.base, 100050);
  EXPECT_EQ(quote.price, 110000);
  ASSERT_EQ(quote.applied.size(), 2u);
  EXPECT_EQ(quote.applied[0], (AppliedRule{"a", 3, "rule 10", 100050, 110055}));
  EXPECT_EQ(quote.applied[1], (AppliedRule{"b", 3, "rule 20", 110055, 110000}));
  EXPECT_TRUE(quote.skipped.empty());
}

TEST(Pricer, DayOfWeekIsTheBoardingStationsUnlessTheRuleNamesAZone) {
  // 01:30 on Saturday in Dhaka is still Friday 19:30 in UTC; 23:30 on Thursday in Dhaka is
  // 17:30 Thursday UTC.
  std::vector<CompiledRule> rules = {Compile("w", 1, kWeekend, "price + 5000")};
  TripFacts saturday_small_hours = FridayNight();
  saturday_small_hours.departure = At("2026-12-12T01:30:00+06:00");
  TripFacts tuesday = FridayNight();
  tuesday.departure = At("2026-12-08T22:30:00+06:00");
  for (const auto& [trip, surcharged] :
       {std::pair{FridayNight(), true}, std::pair{saturday_small_hours, true},
        std::pair{tuesday, false}}) {
    Pricer pricer(RulesInForce(rules, trip.departure), trip, kJourney, DaysBefore(trip, 2),
                  10'000'000);
    EXPECT_EQ(pricer.Price(kSeat).price, surcharged ? 105000 : 100000)
        << absl::FormatTime(trip.departure);
  }
  // Named explicitly, UTC: Thursday 23:30 in Dhaka is 17:30 Thursday UTC, no surcharge either.
  std::vector<CompiledRule> in_utc = {
      Compile("w", 1, "trip.departure.getDayOfWeek('UTC') == 6", "price + 5000")};
  Pricer pricer(RulesInForce(in_utc, saturday_small_hours.departure), saturday_small_hours,
                kJourney, DaysBefore(saturday_small_hours, 1), 10'000'000);
  EXPECT_EQ(pricer.Price(kSeat).price, 100000);
}

TEST(Pricer, SkipsARuleThatFailsAndSaysWhy) {
  std::vector<CompiledRule> rules = {
      Compile("broken", 1, "true", "price / (occupancy - occupancy)"),
      Compile("ok", 2, "true", "price + 100"),
  };
  const TripFacts trip = FridayNight();
  Pricer pricer(RulesInForce(rules, trip.departure), trip, kJourney, DaysBefore(trip, 1),
                10'000'000);
  SeatQuote quote = pricer.Price(kSeat);
  EXPECT_EQ(quote.price, 100100);
  ASSERT_EQ(quote.skipped.size(), 1u);
  EXPECT_EQ(quote.skipped[0].rule_id, "broken");
  EXPECT_EQ(quote.skipped[0].error, "adjust: 1:7: division by zero");
  ASSERT_EQ(quote.applied.size(), 1u);
}

TEST(Pricer, OverflowingArithmeticSkipsTheRuleInsteadOfWrapping) {
  std::vector<CompiledRule> rules = {
      Compile("huge", 1, "true", "price * 9223372036854775807"),
  };
  const TripFacts trip = FridayNight();
  Pricer pricer(RulesInForce(rules, trip.departure), trip, kJourney, DaysBefore(trip, 1),
                10'000'000);
  SeatQuote quote = pricer.Price(kSeat);
  EXPECT_EQ(quote.price, 100000);
  ASSERT_EQ(quote.skipped.size(), 1u);
  EXPECT_EQ(quote.skipped[0].error, "adjust: 1:7: integer overflow");
}

TEST(Pricer, RefusesPricesBelowZeroOrAboveTheCeilingAndUsesTheBaseFare) {
  const TripFacts trip = FridayNight();
  for (const char* adjust : {"price - 200000", "price * 1000"}) {
    std::vector<CompiledRule> rules = {Compile("up", 1, "true", "price + 1"),
                                       Compile("bad", 2, "true", adjust)};
    Pricer pricer(RulesInForce(rules, trip.departure), trip, kJourney, DaysBefore(trip, 1),
                  10'000'000);
    SeatQuote quote = pricer.Price(kSeat);
    EXPECT_EQ(quote.price, 100000) << adjust;
    EXPECT_TRUE(quote.applied.empty());
    EXPECT_NE(quote.refused, "") << adjust;
  }
}

TEST(Pricer, LastMinuteAndOccupancyRulesSeeTheMoment) {
  std::vector<CompiledRule> rules = {
      Compile("late", 1, "trip.hours_to_departure < 6 && occupancy < 50", "price * 80 / 100"),
      Compile("full", 2, "occupancy >= 90", "price + 20000"),
  };
  const TripFacts trip = FridayNight();
  auto price_at = [&](absl::Duration before, int64_t occupancy) {
    Moment moment{.now = trip.departure - before, .occupancy = occupancy, .passengers = 2};
    Pricer pricer(RulesInForce(rules, moment.now), trip, kJourney, moment, 10'000'000);
    return pricer.Price(kSeat).price;
  };
  EXPECT_EQ(price_at(absl::Hours(3), 30), 80000);
  EXPECT_EQ(price_at(absl::Hours(30), 30), 100000);
  EXPECT_EQ(price_at(absl::Hours(3), 95), 120000);
}

TEST(Pricer, HoursToDepartureRoundDownAndAreNegativeOnceTheBusHasLeft) {
  std::vector<CompiledRule> rules = {
      Compile("hours", 1, "true", "trip.hours_to_departure"),
  };
  const TripFacts trip = FridayNight();
  auto hours_at = [&](absl::Duration before) {
    Moment moment{.now = trip.departure - before, .occupancy = 0, .passengers = 1};
    Pricer pricer(RulesInForce(rules, moment.now), trip, kJourney, moment, 10'000'000);
    return pricer.Price(kSeat).price;  // the rule prices the seat at its hours; below 0 refused
  };
  EXPECT_EQ(hours_at(absl::Minutes(150)), 2);
  EXPECT_EQ(hours_at(absl::Minutes(59)), 0);
  // 59 minutes after departure is hour -1, not 0: a last-minute rule (`>= 0`) has ended. The
  // price -1 is refused, so the base fare shows it.
  EXPECT_EQ(hours_at(-absl::Minutes(59)), kSeat.base);
  EXPECT_EQ(hours_at(-absl::Minutes(0)), 0);
}

TEST(Pricer, OnlyRulesInForceApply) {
  std::vector<CompiledRule> rules = {Compile("eid", 1, "true", "price + 30000"),
                                     Compile("off", 2, "true", "price + 1")};
  rules[0].rule.spec.valid_from = At("2026-12-10T00:00:00Z");
  rules[0].rule.spec.valid_to = At("2026-12-12T00:00:00Z");
  rules[1].rule.spec.active = false;
  EXPECT_EQ(RulesInForce(rules, At("2026-12-09T23:59:59Z")).size(), 0u);
  EXPECT_EQ(RulesInForce(rules, At("2026-12-10T00:00:00Z")).size(), 1u);
  EXPECT_EQ(RulesInForce(rules, At("2026-12-12T00:00:00Z")).size(), 0u);
}

TEST(Pricer, SeatsOfAKindPriceAlikeUnlessARuleReadsLabels) {
  const TripFacts trip = FridayNight();
  std::vector<CompiledRule> by_category = {
      Compile("ladies", 1, "seat.category == 'ladies'", "price + 2000")};
  Pricer pricer(RulesInForce(by_category, trip.departure), trip, kJourney, DaysBefore(trip, 1),
                10'000'000);
  EXPECT_TRUE(pricer.SeatsOfAKindPriceAlike());
  EXPECT_EQ(pricer.Price({.label = "L1", .category = "ladies", .deck = 1, .base = 100}).price,
            2100);
  std::vector<CompiledRule> by_label = {Compile("front", 1, "seat.label == 'A1'", "price + 1")};
  Pricer labelled(RulesInForce(by_label, trip.departure), trip, kJourney, DaysBefore(trip, 1),
                  10'000'000);
  EXPECT_FALSE(labelled.SeatsOfAKindPriceAlike());
  EXPECT_EQ(labelled.Price(kSeat).price, 100001);
}

}  // namespace
}  // namespace travio::pricing
