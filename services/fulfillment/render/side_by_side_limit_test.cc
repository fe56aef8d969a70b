#include "services/fulfillment/render/side_by_side_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "platform/testing/status_matchers.h"

namespace travio::fulfillment {
namespace {

// Counts the renderings in progress and remembers the most seen at once; each takes long enough
// (a yield loop) for the others to pile up behind it.
class CountingRenderer final : public TicketRenderer {
 public:
  absl::StatusOr<std::string> RenderPdf(const std::vector<TicketPage>& pages,
                                        const std::string&) override {
    const int now = ++in_flight_;
    int seen = most_.load();
    while (now > seen && !most_.compare_exchange_weak(seen, now)) {
    }
    for (int i = 0; i < 2000; ++i) std::this_thread::yield();
    --in_flight_;
    return std::string(pages.size(), 'p');
  }
  std::atomic<int> in_flight_{0};
  std::atomic<int> most_{0};
};

TEST(SideBySideLimitTest, NoMoreThanTheLimitRenderAtOnceAndEveryCallerIsServed) {
  auto counting = std::make_unique<CountingRenderer>();
  CountingRenderer& inner = *counting;
  auto limited = LimitSideBySide(std::move(counting), 2);
  std::atomic<int> served{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      for (int round = 0; round < 20; ++round) {
        auto pdf = limited->RenderPdf({TicketPage{}}, "t");
        if (pdf.ok() && *pdf == "p") ++served;
      }
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(served.load(), 160);
  EXPECT_LE(inner.most_.load(), 2);
  EXPECT_GE(inner.most_.load(), 1);
}

TEST(SideBySideLimitTest, ALimitBelowOneStillRendersOneAtATime) {
  auto counting = std::make_unique<CountingRenderer>();
  CountingRenderer& inner = *counting;
  auto limited = LimitSideBySide(std::move(counting), 0);
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&] { EXPECT_OK(limited->RenderPdf({TicketPage{}}, "t").status()); });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(inner.most_.load(), 1);
}

}  // namespace
}  // namespace travio::fulfillment
