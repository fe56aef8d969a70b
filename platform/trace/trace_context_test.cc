#include "platform/trace/trace_context.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace travio::trace {
namespace {

// The specification's own example.
constexpr char kExample[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceparentTest, ReadsTheSpecificationsExampleAndWritesItBack) {
  auto context = ParseTraceparent(kExample);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->span_id, "00f067aa0ba902b7");
  EXPECT_TRUE(context->sampled);
  EXPECT_EQ(Traceparent(*context), kExample);
  EXPECT_FALSE(
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")->sampled);
}

TEST(TraceparentTest, RefusesWhatTheSpecificationSaysToIgnore) {
  for (const std::string bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",    // short
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // 00 is exactly 55
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // forbidden version
           "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
           "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",  // dashes misplaced
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nX: y",
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // later version, no dash
       }) {
    EXPECT_FALSE(ParseTraceparent(bad).has_value()) << bad;
  }
}

TEST(TraceparentTest, ReadsALaterVersionsLongerHeader) {
  auto context =
      ParseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next");
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(TraceparentTest, ContinuesAWellFormedParentAndStartsAfreshOtherwise) {
  const TraceContext child = Continue(std::string_view(kExample));
  EXPECT_EQ(child.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(child.span_id, "00f067aa0ba902b7");  // the callee's own span
  EXPECT_TRUE(child.sampled);
  EXPECT_EQ(ParseTraceparent(Traceparent(child)), child);

  const TraceContext fresh = Continue(std::string_view("00-garbage"));
  EXPECT_TRUE(IsTraceId(fresh.trace_id)) << fresh.trace_id;
  EXPECT_EQ(ParseTraceparent(Traceparent(fresh)), fresh);
  EXPECT_NE(NewTrace().trace_id, NewTrace().trace_id);
  EXPECT_TRUE(Continue(std::nullopt).trace_id.size() == 32);
}

TEST(TraceScopeTest, NestsAndBelongsToItsThread) {
  EXPECT_EQ(Current(), nullptr);
  const TraceContext outer = NewTrace();
  {
    Scope outer_scope(outer);
    ASSERT_NE(Current(), nullptr);
    EXPECT_EQ(*Current(), outer);
    const TraceContext inner = ChildOf(outer);
    {
      Scope inner_scope(inner);
      EXPECT_EQ(*Current(), inner);
      std::thread([] { EXPECT_EQ(Current(), nullptr); }).join();
    }
    EXPECT_EQ(*Current(), outer);
  }
  EXPECT_EQ(Current(), nullptr);
}

}  // namespace
}  // namespace travio::trace
