// The windowed counters over each hot-state adapter: the memory store, Redis and Redis
// Cluster of the test run (the KeyValueStore contract's fixture gives each test keys of its
// own).
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "platform/kv/key_value_contract.h"
#include "services/fraud/storage/kv_risk_counters.h"

namespace travio::fraud {
namespace {

using kv::Must;
using kv::MustOk;

class RiskCountersContract : public kv::KeyValueContract {
 protected:
  RiskCounters& counters() {
    if (counters_ == nullptr) counters_ = MakeKeyValueRiskCounters(store());
    return *counters_;
  }
  // A bucket's start for ten-minute windows.
  static constexpr absl::Duration kWindow = absl::Minutes(10);
  const absl::Time start_ = absl::FromUnixSeconds(1'767'225'600);  // a multiple of 10 minutes

 private:
  std::unique_ptr<RiskCounters> counters_;
};

TEST_P(RiskCountersContract, CountsFadeOutOfTheWindowWithThePreviousBucket) {
  const std::string key = Key("card");
  EXPECT_EQ(Must(counters().Add(key, 1, kWindow, start_)), 1);
  EXPECT_EQ(Must(counters().Add(key, 1, kWindow, start_ + absl::Minutes(3))), 2);
  EXPECT_EQ(Must(counters().Add(key, 1, kWindow, start_ + absl::Minutes(9))), 3);
  EXPECT_EQ(Must(counters().Add(key, 0, kWindow, start_ + absl::Minutes(9))), 3);
  // The next bucket: the previous one weighs what is left of it in the window.
  EXPECT_EQ(Must(counters().Add(key, 0, kWindow, start_ + absl::Minutes(10))), 3);
  EXPECT_EQ(Must(counters().Add(key, 0, kWindow, start_ + absl::Minutes(15))), 2);  // ceil(1.5)
  EXPECT_EQ(Must(counters().Add(key, 2, kWindow, start_ + absl::Minutes(15))), 4);
  // Two buckets on, only the last one counts.
  EXPECT_EQ(Must(counters().Add(key, 0, kWindow, start_ + absl::Minutes(20))), 2);
  EXPECT_EQ(Must(counters().Add(key, 0, kWindow, start_ + absl::Minutes(30))), 0);
  // Another window length is another count.
  EXPECT_EQ(Must(counters().Add(key, 0, absl::Hours(1), start_ + absl::Minutes(15))), 0);
}

TEST_P(RiskCountersContract, DistinctMembersAreCountedExactlyOverTheWindow) {
  const std::string key = Key("cards");
  auto at = [&](int minute) { return start_ + absl::Minutes(minute); };
  EXPECT_EQ(Must(counters().AddDistinct(key, "c1", kWindow, at(0))), 1);
  EXPECT_EQ(Must(counters().AddDistinct(key, "c1", kWindow, at(1))), 1);
  EXPECT_EQ(Must(counters().AddDistinct(key, "c2", kWindow, at(2))), 2);
  EXPECT_EQ(Must(counters().AddDistinct(key, "c3", kWindow, at(10))), 3);
  EXPECT_EQ(Must(counters().AddDistinct(key, "", kWindow, at(10))), 3);
  // c1 was last seen at minute 1: gone from the window at minute 11; c2 at minute 12.
  EXPECT_EQ(Must(counters().AddDistinct(key, "", kWindow, at(11) + absl::Seconds(1))), 2);
  EXPECT_EQ(Must(counters().AddDistinct(key, "", kWindow, at(12) + absl::Seconds(1))), 1);
  // The same cards used over and over stay counted, however the windows fall.
  const std::string cycled = Key("cycled");
  for (int minute : {0, 10, 20}) {
    for (const char* card : {"c1", "c2", "c3"}) {
      EXPECT_EQ(Must(counters().AddDistinct(cycled, card, kWindow, at(minute))) >= 1, true);
    }
    EXPECT_EQ(Must(counters().AddDistinct(cycled, "", kWindow, at(minute))), 3) << minute;
  }
  // Members written with the format's separators stay one member each.
  const std::string odd = Key("odd");
  EXPECT_EQ(Must(counters().AddDistinct(odd, "a:1;b", kWindow, at(0))), 1);
  EXPECT_EQ(Must(counters().AddDistinct(odd, "a:1;b", kWindow, at(0))), 1);
}

TEST_P(RiskCountersContract, ADistinctCountKeepsAHundredMembersAtMost) {
  const std::string key = Key("many");
  for (int i = 0; i < 130; ++i) {
    (void)Must(
        counters().AddDistinct(key, absl::StrCat("m", i), kWindow, start_ + absl::Seconds(i)));
  }
  EXPECT_EQ(Must(counters().AddDistinct(key, "", kWindow, start_ + absl::Seconds(130))), 100);
}

TEST_P(RiskCountersContract, AMarkIsFirstOnceAndMemoriesAreRecalled) {
  EXPECT_TRUE(Must(counters().MarkOnce(Key("order-1"), kLongTtl)));
  EXPECT_FALSE(Must(counters().MarkOnce(Key("order-1"), kLongTtl)));
  EXPECT_TRUE(Must(counters().MarkOnce(Key("order-2"), kLongTtl)));
  EXPECT_EQ(Must(counters().Recall(Key("user"))), std::nullopt);
  MustOk(counters().Remember(Key("user"), "1767225600000000", kLongTtl));
  EXPECT_EQ(Must(counters().Recall(Key("user"))), std::optional<std::string>("1767225600000000"));
}

INSTANTIATE_TEST_SUITE_P(Memory, RiskCountersContract, ::testing::Values(kv::Backend::kMemory));
INSTANTIATE_TEST_SUITE_P(Redis, RiskCountersContract, ::testing::Values(kv::Backend::kRedis));
INSTANTIATE_TEST_SUITE_P(RedisCluster, RiskCountersContract,
                         ::testing::Values(kv::Backend::kRedisCluster));

}  // namespace
}  // namespace travio::fraud
