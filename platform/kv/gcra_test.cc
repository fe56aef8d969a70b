// GCRA on every KeyValueStore adapter: redis-cell's table of cases with our values, separate
// keys, and many threads sharing one limit. Instantiated with the rest of the contract
// in key_value_contract_test.cc.

#include "platform/kv/gcra.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "platform/kv/key_value_contract.h"

namespace travio::kv {
namespace {

struct GcraStep {
  absl::Duration at;  // since the start of the test
  int64_t quantity;
  bool allowed;
  int64_t remaining;
  absl::Duration retry_after;
  absl::Duration reset_after;
};

// Five units, one more each second (redis-cell: max_burst 4, 1 per second).
TEST_P(KeyValueContract, GcraFollowsTheCellTable) {
  const Rate rate{.quota = 5, .period = absl::Seconds(5)};
  const absl::Duration kNever = absl::InfiniteDuration();
  const std::vector<GcraStep> steps = {
      {absl::ZeroDuration(), 6, false, 5, kNever, absl::ZeroDuration()},  // more than the quota
      {absl::ZeroDuration(), 1, true, 4, absl::ZeroDuration(), absl::Seconds(1)},
      {absl::ZeroDuration(), 1, true, 3, absl::ZeroDuration(), absl::Seconds(2)},
      {absl::ZeroDuration(), 1, true, 2, absl::ZeroDuration(), absl::Seconds(3)},
      {absl::ZeroDuration(), 1, true, 1, absl::ZeroDuration(), absl::Seconds(4)},
      {absl::ZeroDuration(), 1, true, 0, absl::ZeroDuration(), absl::Seconds(5)},
      {absl::ZeroDuration(), 1, false, 0, absl::Seconds(1), absl::Seconds(5)},
      {absl::Seconds(3), 1, true, 2, absl::ZeroDuration(), absl::Seconds(3)},
      {absl::Milliseconds(3100), 1, true, 1, absl::ZeroDuration(), absl::Milliseconds(3900)},
      {absl::Seconds(4), 1, true, 1, absl::ZeroDuration(), absl::Seconds(4)},
      {absl::Seconds(8), 1, true, 4, absl::ZeroDuration(), absl::Seconds(1)},
      {absl::Milliseconds(9500), 1, true, 4, absl::ZeroDuration(), absl::Seconds(1)},
      {absl::Milliseconds(9500), 0, true, 4, absl::ZeroDuration(), absl::Seconds(1)},  // a peek
      {absl::Milliseconds(9500), 2, true, 2, absl::ZeroDuration(), absl::Seconds(3)},
      {absl::Milliseconds(9500), 5, false, 2, absl::Seconds(3), absl::Seconds(3)},
  };
  const Gcra gcra(store(), clock());
  const std::string key = Key("cell");
  const absl::Time start = clock().Now();
  for (size_t i = 0; i < steps.size(); ++i) {
    const GcraStep& step = steps[i];
    SCOPED_TRACE(::testing::Message() << "step " << i);
    clock().Set(start + step.at);
    const RateDecision decision = Must(gcra.Take(key, rate, step.quantity));
    EXPECT_EQ(decision.allowed, step.allowed);
    EXPECT_EQ(decision.remaining, step.remaining);
    EXPECT_EQ(decision.retry_after, step.retry_after);
    EXPECT_EQ(decision.reset_after, step.reset_after);
  }
}

TEST_P(KeyValueContract, GcraKeysAreSeparateLimitsAndUnlimitedNeverRefuses) {
  const Rate rate{.quota = 4, .period = absl::Minutes(1)};
  const Gcra gcra(store(), clock());
  const std::string key = Key("seats");
  EXPECT_TRUE(Must(gcra.Take(key, rate, 4)).allowed);
  EXPECT_FALSE(Must(gcra.Take(key, rate, 1)).allowed);
  EXPECT_FALSE(Must(gcra.Take(key, rate, 5)).allowed);
  // Separate keys are separate limits; an unlimited rate never refuses.
  EXPECT_TRUE(Must(gcra.Take(Key("other"), rate, 4)).allowed);
  EXPECT_TRUE(Must(gcra.Take(key, Rate{.quota = 0}, 1000)).allowed);
}

TEST_P(KeyValueContract, GcraIsOneLimitForManyThreads) {
  const Rate rate{.quota = 100, .period = absl::Hours(1)};
  const Gcra gcra(store(), clock());
  const std::string key = Key("shared");
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 30; ++i) {
        absl::StatusOr<RateDecision> decision = gcra.Take(key, rate);
        if (decision.ok() && decision->allowed) ++allowed;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 100);
}

}  // namespace
}  // namespace travio::kv
