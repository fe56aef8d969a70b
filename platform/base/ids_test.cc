#include "platform/base/ids.h"

#include <gtest/gtest.h>

#include <set>

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

TEST(IsUuid, RejectsMalformedText) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("0192f0c4-6c1b-7c3e-9a2b-5d7e8f90123"));
  EXPECT_FALSE(IsUuid("0192F0C4-6C1B-7C3E-9A2B-5D7E8F901234"));
  EXPECT_FALSE(IsUuid("0192f0c4x6c1b-7c3e-9a2b-5d7e8f901234"));
  EXPECT_TRUE(IsUuid("0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234"));
}

}  // namespace
}  // namespace travio
