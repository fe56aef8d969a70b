#include "platform/rpc/circuit_breaker.h"

#include <gtest/gtest.h>

namespace travio::rpc {
namespace {

using State = CircuitBreaker::State;

BreakerSettings Small() {
  return BreakerSettings{.failure_rate = 0.5,
                         .minimum_calls = 4,
                         .window = absl::Seconds(10),
                         .open_for = absl::Seconds(5),
                         .half_open_calls = 2};
}

// Lets one call through and records its outcome; false when the breaker refused it.
bool CallThrough(CircuitBreaker& breaker, bool fails) {
  if (!breaker.Admit().allowed) return false;
  breaker.Record(fails);
  return true;
}

TEST(CircuitBreaker, StaysClosedBelowTheMinimumNumberOfCalls) {
  ManualClock clock;
  CircuitBreaker breaker(Small(), clock);
  EXPECT_FALSE(breaker.Admit().probe);  // closed: an ordinary call
  breaker.Record(true);
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(CallThrough(breaker, /*fails=*/true));
  EXPECT_EQ(breaker.state(), State::kClosed);
}

TEST(CircuitBreaker, OpensAtTheFailureRateAndRefusesWithTheTimeLeft) {
  ManualClock clock;
  metrics::Gauge state;
  metrics::Counter refused;
  CircuitBreaker breaker(Small(), clock, {.state = &state, .refused = &refused});
  EXPECT_TRUE(CallThrough(breaker, false));
  EXPECT_TRUE(CallThrough(breaker, false));
  EXPECT_TRUE(CallThrough(breaker, true));
  EXPECT_EQ(breaker.state(), State::kClosed);  // 1 of 3, and too few calls anyway
  EXPECT_TRUE(CallThrough(breaker, true));     // 2 of 4: half
  EXPECT_EQ(breaker.state(), State::kOpen);
  EXPECT_EQ(state.value(), 1);
  clock.Advance(absl::Seconds(2));
  EXPECT_EQ(breaker.Admit().retry_after, absl::Seconds(3));
  EXPECT_EQ(refused.value(), 1);
}

TEST(CircuitBreaker, ForgetsOutcomesOlderThanTheWindow) {
  ManualClock clock;
  CircuitBreaker breaker(Small(), clock);
  EXPECT_TRUE(CallThrough(breaker, true));
  EXPECT_TRUE(CallThrough(breaker, true));
  clock.Advance(absl::Seconds(11));
  EXPECT_TRUE(CallThrough(breaker, false));
  EXPECT_TRUE(CallThrough(breaker, false));
  EXPECT_TRUE(CallThrough(breaker, true));
  EXPECT_TRUE(CallThrough(breaker, false));  // 1 of 4 in the window
  EXPECT_EQ(breaker.state(), State::kClosed);
}

TEST(CircuitBreaker, HalfOpenLetsOnlyItsProbesThroughThenCloses) {
  ManualClock clock;
  metrics::Gauge state;
  CircuitBreaker breaker(Small(), clock, {.state = &state});
  for (int i = 0; i < 4; ++i) CallThrough(breaker, true);
  ASSERT_EQ(breaker.state(), State::kOpen);
  clock.Advance(absl::Seconds(5));
  EXPECT_EQ(breaker.state(), State::kHalfOpen);
  // Two probes go out; a third caller is refused while they are in flight.
  EXPECT_TRUE(breaker.Admit().probe);
  EXPECT_TRUE(breaker.Admit().probe);
  const CircuitBreaker::Admission third = breaker.Admit();
  EXPECT_FALSE(third.allowed);
  EXPECT_EQ(third.retry_after, absl::Seconds(1));
  breaker.Record(false);
  breaker.Record(false);
  EXPECT_EQ(breaker.state(), State::kClosed);
  EXPECT_EQ(state.value(), 0);
  // Closed afresh: the failures before it opened no longer count.
  EXPECT_TRUE(CallThrough(breaker, true));
  EXPECT_EQ(breaker.state(), State::kClosed);
}

TEST(CircuitBreaker, AFailedProbeOpensItAgainForAnotherFullWait) {
  ManualClock clock;
  CircuitBreaker breaker(Small(), clock);
  for (int i = 0; i < 4; ++i) CallThrough(breaker, true);
  clock.Advance(absl::Seconds(6));
  EXPECT_TRUE(CallThrough(breaker, true));
  EXPECT_EQ(breaker.state(), State::kOpen);
  EXPECT_EQ(breaker.Admit().retry_after, absl::Seconds(5));
}

}  // namespace
}  // namespace travio::rpc
