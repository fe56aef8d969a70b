#include "services/gateway/routes/seat_feed.h"

#include <gtest/gtest.h>

#include <vector>

#include "platform/testing/status_matchers.h"

namespace travio::gateway {
namespace {

// A sink that keeps what it is sent.
class RecordingSink final : public http::StreamSink {
 public:
  bool Send(std::string chunk) override {
    if (closed) return false;
    chunks.push_back(std::move(chunk));
    return true;
  }
  void Close() override { closed = true; }
  void Abort() override { closed = true; }
  void WhenWritten(std::function<void()> written) override { written(); }
  std::vector<std::string> chunks;
  bool closed = false;
};

TEST(SeatFeed, CapsStreamsPerAddressAndInTotalAndGivesPlacesBack) {
  ManualClock clock;
  auto feed = std::make_shared<SeatFeed>(clock, StreamLimits{.total = 3, .per_address = 2});
  ASSERT_OK_AND_ASSIGN(auto first, feed->Watch("trip", "203.0.113.7"));
  ASSERT_OK_AND_ASSIGN(auto second, feed->Watch("trip", "::ffff:203.0.113.7"));
  EXPECT_THAT(feed->Watch("trip", "203.0.113.7"),
              testing::StatusIs(absl::StatusCode::kResourceExhausted, "too_many_streams"));
  ASSERT_OK_AND_ASSIGN(auto third, feed->Watch("trip", "198.51.100.1"));
  // Full: anyone is refused, as the server's trouble, not the client's.
  EXPECT_THAT(feed->Watch("trip", "192.0.2.1"), testing::StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(feed->streams(), 3u);
  // A stream that never opened (its client left) gives its place back too.
  second.reset();
  EXPECT_EQ(feed->streams(), 2u);
  EXPECT_OK(feed->Watch("trip", "203.0.113.7"));
}

TEST(SeatFeed, EndsStreamsOlderThanTheirLifetime) {
  ManualClock clock;
  auto feed = std::make_shared<SeatFeed>(
      clock, StreamLimits{.total = 10, .per_address = 10, .lifetime = absl::Minutes(30)});
  ASSERT_OK_AND_ASSIGN(auto old_stream, feed->Watch("trip", "203.0.113.7"));
  auto old_sink = std::make_shared<RecordingSink>();
  old_stream->Open(old_sink);
  clock.Advance(absl::Minutes(20));
  ASSERT_OK_AND_ASSIGN(auto young_stream, feed->Watch("trip", "203.0.113.7"));
  auto young_sink = std::make_shared<RecordingSink>();
  young_stream->Open(young_sink);
  clock.Advance(absl::Minutes(10));
  feed->Heartbeat();
  EXPECT_TRUE(old_sink->closed);
  EXPECT_NE(old_sink->chunks.back().find("event: end"), std::string::npos);
  EXPECT_FALSE(young_sink->closed);
  EXPECT_EQ(young_sink->chunks.back(), ": ping\n\n");
  EXPECT_EQ(feed->watchers(), 1u);
}

}  // namespace
}  // namespace travio::gateway
