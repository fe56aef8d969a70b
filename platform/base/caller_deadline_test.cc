#include "platform/base/caller_deadline.h"

#include <gtest/gtest.h>

#include <thread>

namespace travio {
namespace {

TEST(CallerDeadline, IsSetForTheScopeOnItsThreadAndRestoredAfter) {
  EXPECT_EQ(CallerDeadline(), absl::InfiniteFuture()) << "nobody waits with a deadline";
  const absl::Time outer = absl::FromUnixSeconds(1'767'225'600);
  {
    const CallerDeadlineScope call(outer);
    EXPECT_EQ(CallerDeadline(), outer);
    {
      const CallerDeadlineScope nested(outer + absl::Seconds(5));
      EXPECT_EQ(CallerDeadline(), outer + absl::Seconds(5));
    }
    EXPECT_EQ(CallerDeadline(), outer);
    absl::Time elsewhere;
    std::thread([&] { elsewhere = CallerDeadline(); }).join();
    EXPECT_EQ(elsewhere, absl::InfiniteFuture()) << "another thread serves another call";
  }
  EXPECT_EQ(CallerDeadline(), absl::InfiniteFuture());
}

}  // namespace
}  // namespace travio
