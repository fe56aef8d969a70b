// Pricing rules in memory: ten realistic rules (bench/pricing_rules.h) compiled once, pricing
// seats of generated trips, beside a plain C++ function computing the same prices, in the same
// run. Every price is checked against the function's; the ratio of the two rates is the figure.
//
//   travio_pricing_bench [SEATS] [ROUNDS]
#include <chrono>
#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "bench/bench_stats.h"
#include "bench/pricing_rules.h"
#include "services/pricing/domain/pricer.h"

int main(int argc, char** argv) {
  using namespace travio;
  const int seats = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  std::vector<pricing::CompiledRule> rules;
  for (const bench::BenchRule& rule : bench::TenRules()) {
    auto compiled = pricing::CompileRule(pricing::RuleEnv(),
                                         pricing::PricingRule{.id = rule.name,
                                                              .org_id = "bench",
                                                              .spec = {.name = rule.name,
                                                                       .priority = rule.priority,
                                                                       .when = rule.when,
                                                                       .adjust = rule.adjust}},
                                         {});
    if (!compiled.ok()) {
      std::fprintf(stderr, "rule %s: %s\n", rule.name, compiled.status().ToString().c_str());
      return 1;
    }
    rules.push_back(*std::move(compiled));
  }
  std::mt19937 random(11);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const absl::Time start =
      absl::FromCivil(absl::CivilSecond(2027, 3, 1, 0, 0, 0), absl::FixedTimeZone(6 * 3600));
  std::vector<bench::BenchSeat> scenarios;
  for (int i = 0; i < seats; ++i) {
    const absl::Time departure = start + absl::Minutes(pick(40 * 24 * 60));
    scenarios.push_back({.departure = departure,
                         .now = departure - absl::Minutes(pick(30 * 24 * 60)),
                         .occupancy = pick(101),
                         .passengers = 1 + pick(6),
                         .category = pick(5) == 0 ? "ladies" : "standard",
                         .deck = 1 + pick(2),
                         .bus_class = pick(3) == 0 ? "sleeper" : "seater",
                         .ac = pick(2) == 1,
                         .base = 50000 + 100 * pick(1000)});
  }
  // One Pricer per seat: what a hold of one seat costs (the trip's bindings are built each time).
  auto with_rules = [&](const bench::BenchSeat& seat) {
    pricing::Pricer pricer(
        pricing::RulesInForce(rules, seat.now),
        pricing::TripFacts{.id = "t",
                           .route_id = "r",
                           .departure = seat.departure,
                           .bus_class = seat.bus_class,
                           .ac = seat.ac,
                           .zone = "Asia/Dhaka"},
        pricing::JourneyFacts{.from = "DHK", .to = "CXB", .legs = 1},
        pricing::Moment{
            .now = seat.now, .occupancy = seat.occupancy, .passengers = seat.passengers},
        1'000'000'000);
    return pricer
        .Price({.label = "A1", .category = seat.category, .deck = seat.deck, .base = seat.base})
        .price;
  };
  int mismatches = 0;
  for (const bench::BenchSeat& seat : scenarios) {
    if (with_rules(seat) != bench::PriceByHand(seat)) ++mismatches;
  }
  int64_t checksum = 0;
  auto rate = [&](auto&& price) {
    const auto begun = std::chrono::steady_clock::now();
    for (int round = 0; round < rounds; ++round) {
      for (const bench::BenchSeat& seat : scenarios) checksum += price(seat);
    }
    return static_cast<double>(seats) * rounds / (bench::MicrosSince(begun) / 1e6);
  };
  const double cel = rate(with_rules);
  const double by_hand =
      rate([](const bench::BenchSeat& seat) { return bench::PriceByHand(seat); });
  bench::Report("pricing.seats", seats, "seats");
  bench::Report("pricing.mismatches", mismatches, "seats");
  bench::Report("pricing.cel_seats_per_second", cel, "seats/s");
  bench::Report("pricing.cel_rule_evaluations_per_second", cel * static_cast<double>(rules.size()),
                "rules/s");
  bench::Report("pricing.cpp_seats_per_second", by_hand, "seats/s");
  bench::ReportRatio("pricing.cel_to_cpp_ratio", cel / by_hand);
  std::fprintf(stderr, "checksum %lld\n", static_cast<long long>(checksum));
  return mismatches == 0 ? 0 : 2;
}
