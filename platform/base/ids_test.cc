#include "platform/base/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace travio {
namespace {

TEST(IdGenerator, ProducesCanonicalVersion7Uuids) {
  ManualClock clock;
  IdGenerator ids(clock);
  const std::string id = ids.NewId();
  EXPECT_TRUE(IsUuid(id)) << id;
  EXPECT_EQ(id[14], '7');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
}

TEST(IdGenerator, IdsSortByCreationTime) {
  ManualClock clock;
  IdGenerator ids(clock);
  const std::string earlier = ids.NewId();
  clock.Advance(absl::Milliseconds(1));
  const std::string later = ids.NewId();
  EXPECT_LT(earlier, later);
}

TEST(IdGenerator, IdsAreUniqueWithinOneMillisecond) {
  ManualClock clock;
  IdGenerator ids(clock);
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(ids.NewId());
  EXPECT_EQ(seen.size(), 10000u);
}

// Ids draw their random bits from a pool refilled 256 bytes at a time: many threads drawing
// at once, across refills, never get the same bits.
TEST(IdGenerator, IdsFromManyThreadsAcrossPoolRefillsAreUnique) {
  ManualClock clock;
  IdGenerator ids(clock);
  constexpr int kThreads = 8;
  constexpr int kEach = 2000;  // 16,000 ids, 1,000 refills of the pool
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) made[t].push_back(ids.NewId());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> seen;
  for (const auto& list : made) seen.insert(list.begin(), list.end());
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kEach));
}

// Two generators on one clock never hand out the same bits.
TEST(IdGenerator, TwoGeneratorsOnOneClockMakeDifferentIds) {
  ManualClock clock;
  IdGenerator first(clock);
  IdGenerator second(clock);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(first.NewId());
    seen.insert(second.NewId());
  }
  EXPECT_EQ(seen.size(), 2000u);
}

TEST(IsUuid, RejectsMalformedText) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("0192f0c4-6c1b-7c3e-9a2b-5d7e8f90123"));
  EXPECT_FALSE(IsUuid("0192F0C4-6C1B-7C3E-9A2B-5D7E8F901234"));
  EXPECT_FALSE(IsUuid("0192f0c4x6c1b-7c3e-9a2b-5d7e8f901234"));
  EXPECT_TRUE(IsUuid("0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234"));
}

}  // namespace
}  // namespace travio
