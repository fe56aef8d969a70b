#pragma once

// Ten pricing rules an intercity operator would run at once, as CEL (what bench/pricing_bench.cc
// and bench/pricing_rest_bench.cc load), and the same prices written as a plain C++ function:
// the reference the compiled rules are measured against.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace travio::bench {

struct BenchRule {
  const char* name;
  int64_t priority;
  const char* when;
  const char* adjust;
};

inline const std::vector<BenchRule>& TenRules() {
  static const std::vector<BenchRule> rules = {
      {"Weekend surcharge", 10, "trip.departure.getDayOfWeek() in [5, 6]", "price + price / 10"},
      {"Eid week", 20,
       "trip.departure >= timestamp('2027-03-18T00:00:00+06:00') && "
       "trip.departure < timestamp('2027-03-25T00:00:00+06:00')",
       "price + price * 30 / 100"},
      {"Early bird", 30, "trip.hours_to_departure > 24 * 14", "price - price * 5 / 100"},
      {"Last minute", 40, "trip.hours_to_departure < 6 && occupancy < 50",
       "price - price * 15 / 100"},
      {"Nearly full", 50, "occupancy >= 80", "price + price * 12 / 100"},
      {"Ladies seat", 60, "seat.category == 'ladies'", "price + 5000"},
      {"Upper berth", 70, "trip.bus_class == 'sleeper' && seat.deck == 2", "price + 10000"},
      {"Night AC", 80, "trip.ac && trip.departure.getHours() >= 21", "price + 3000"},
      {"Group", 90, "passengers >= 4", "price - price * 4 / 100"},
      {"Whole taka", 100, "true", "price / 100 * 100"},
  };
  return rules;
}

struct BenchSeat {
  absl::Time departure;
  absl::Time now;
  int64_t occupancy = 0;
  int64_t passengers = 1;
  std::string category;
  int64_t deck = 1;
  std::string bus_class;
  bool ac = false;
  int64_t base = 0;
};

// TenRules() by hand, in the boarding station's zone (Asia/Dhaka, UTC+6 all year).
inline int64_t PriceByHand(const BenchSeat& seat) {
  const absl::TimeZone dhaka = absl::FixedTimeZone(6 * 3600);
  const absl::TimeZone::CivilInfo local = dhaka.At(seat.departure);
  const absl::Weekday weekday = absl::GetWeekday(absl::CivilDay(local.cs));
  const int64_t hours_left = absl::ToInt64Hours(seat.departure - seat.now);
  const absl::Time eid_from = absl::FromCivil(absl::CivilSecond(2027, 3, 18, 0, 0, 0), dhaka);
  const absl::Time eid_to = absl::FromCivil(absl::CivilSecond(2027, 3, 25, 0, 0, 0), dhaka);
  int64_t price = seat.base;
  if (weekday == absl::Weekday::friday || weekday == absl::Weekday::saturday) {
    price += price / 10;
  }
  if (seat.departure >= eid_from && seat.departure < eid_to) price += price * 30 / 100;
  if (hours_left > 24 * 14) price -= price * 5 / 100;
  if (hours_left < 6 && seat.occupancy < 50) price -= price * 15 / 100;
  if (seat.occupancy >= 80) price += price * 12 / 100;
  if (seat.category == "ladies") price += 5000;
  if (seat.bus_class == "sleeper" && seat.deck == 2) price += 10000;
  if (seat.ac && local.cs.hour() >= 21) price += 3000;
  if (seat.passengers >= 4) price -= price * 4 / 100;
  return price / 100 * 100;
}

}  // namespace travio::bench
