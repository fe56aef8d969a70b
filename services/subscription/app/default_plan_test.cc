#include "services/subscription/app/default_plan.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::subscription {
namespace {

TEST(DefaultPlanTest, UnlimitedByDefault) {
  DefaultPlan plan({});
  EXPECT_OK(plan.CheckQuota({.org_id = "o", .resource = kBuses, .in_use = 1'000'000}));
  EXPECT_OK(plan.CheckQuota({.org_id = "o", .resource = kUpcomingTrips, .in_use = 5}));
}

TEST(DefaultPlanTest, RefusesBeyondTheLimit) {
  DefaultPlan plan({.buses = 2, .upcoming_trips = 10});
  EXPECT_OK(plan.CheckQuota({.org_id = "o", .resource = kBuses, .in_use = 1}));
  const absl::Status refused = plan.CheckQuota({.org_id = "o", .resource = kBuses, .in_use = 2});
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(refused), "quota_exceeded");
  EXPECT_OK(plan.CheckQuota({.org_id = "o", .resource = kUpcomingTrips, .in_use = 4, .adding = 6}));
  EXPECT_EQ(
      plan.CheckQuota({.org_id = "o", .resource = kUpcomingTrips, .in_use = 4, .adding = 7}).code(),
      absl::StatusCode::kResourceExhausted);
}

TEST(DefaultPlanTest, RefusesUnknownResourcesAndNegativeCounts) {
  DefaultPlan plan({});
  EXPECT_EQ(plan.CheckQuota({.org_id = "o", .resource = "ferries"}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(plan.CheckQuota({.org_id = "o", .resource = kBuses, .in_use = -1}).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace travio::subscription
