#include "services/subscription/domain/plan.h"

#include <gtest/gtest.h>

namespace travio::subscription {
namespace {

Plan Starter() {
  return Plan{.name = "starter",
              .monthly_price = {150000, "BDT"},
              .booking_fee = 500,
              .quotas = {{Quota::kBuses, 3}, {Quota::kStaff, 5}, {Quota::kBookingsPerMonth, 100}}};
}

TEST(PlanTest, QuotasHaveNamesBothWays) {
  for (Quota quota : kQuotas) EXPECT_EQ(QuotaNamed(QuotaName(quota)), quota);
  EXPECT_EQ(QuotaName(Quota::kTripsPerMonth), "trips_per_month");
  EXPECT_FALSE(QuotaNamed("seats").has_value());
  EXPECT_TRUE(IsPerPeriod(Quota::kBookingsPerMonth));
  EXPECT_FALSE(IsPerPeriod(Quota::kBuses));
}

TEST(PlanTest, AMissingLimitIsUnlimited) {
  EXPECT_EQ(Starter().LimitOf(Quota::kBuses), 3);
  EXPECT_EQ(Starter().LimitOf(Quota::kRoutes), 0);
}

TEST(PlanTest, PlansOutOfBoundsAreRefused) {
  EXPECT_TRUE(ValidatePlan(Starter()).ok());
  Plan plan = Starter();
  plan.name = "Starter";
  EXPECT_FALSE(ValidatePlan(plan).ok());
  plan = Starter();
  plan.monthly_price.currency = "bdt";
  EXPECT_FALSE(ValidatePlan(plan).ok());
  plan = Starter();
  plan.booking_fee = -1;
  EXPECT_FALSE(ValidatePlan(plan).ok());
  plan = Starter();
  plan.quotas[Quota::kRoutes] = -2;
  EXPECT_FALSE(ValidatePlan(plan).ok());
}

TEST(PlanTest, AnUpgradeCostsMoreOrGivesMoreForTheSame) {
  Plan growth = Starter();
  growth.name = "growth";
  growth.monthly_price.amount = 450000;
  EXPECT_TRUE(IsUpgrade(Starter(), growth));
  EXPECT_FALSE(IsUpgrade(growth, Starter()));
  // Same price: more buses and unlimited staff is up; fewer buses is down; a dearer fee is down.
  Plan roomier = Starter();
  roomier.quotas[Quota::kBuses] = 10;
  roomier.quotas.erase(Quota::kStaff);
  EXPECT_TRUE(IsUpgrade(Starter(), roomier));
  EXPECT_FALSE(IsUpgrade(roomier, Starter()));
  Plan dearer = Starter();
  dearer.booking_fee = 600;
  EXPECT_FALSE(IsUpgrade(Starter(), dearer));
}

TEST(PlanTest, ADowngradeNamesTheQuotasUsageExceeds) {
  const std::map<Quota, int64_t> usage = {{Quota::kBuses, 4},
                                          {Quota::kStaff, 5},
                                          {Quota::kRoutes, 40},
                                          {Quota::kBookingsPerMonth, 101}};
  EXPECT_EQ(QuotasExceeded(Starter(), usage),
            (std::vector<Quota>{Quota::kBuses, Quota::kBookingsPerMonth}));
  EXPECT_TRUE(QuotasExceeded(Starter(), {}).empty());
}

}  // namespace
}  // namespace travio::subscription
