#include "platform/metrics/registry.h"

#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/match.h"

namespace travio::metrics {
namespace {

TEST(Registry, RendersCountersWithEscapedLabels) {
  Registry registry;
  auto& requests =
      registry.AddCounter("travio_http_requests_total", "Requests.", {"route", "code"});
  requests.WithLabels({"/v1/orgs/{org_id}", "200"}).Increment();
  requests.WithLabels({"/v1/orgs/{org_id}", "200"}).Increment(2);
  requests.WithLabels({"say \"hi\"\n", "500"}).Increment();
  const std::string text = registry.Render();
  EXPECT_TRUE(absl::StrContains(text, "# TYPE travio_http_requests_total counter\n"));
  EXPECT_TRUE(absl::StrContains(
      text, "travio_http_requests_total{route=\"/v1/orgs/{org_id}\",code=\"200\"} 3\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "route=\"say \\\"hi\\\"\\n\",code=\"500\"} 1\n")) << text;
}

TEST(Registry, RendersCumulativeHistogramBuckets) {
  Registry registry;
  auto& latency = registry.AddHistogram("latency_seconds", "Latency.", {"route"}, {0.1, 1});
  auto& child = latency.WithLabels({"/x"});
  child.Observe(0.05);
  child.Observe(0.5);
  child.Observe(0.1);  // on a bound: counted in that bucket (le is inclusive)
  child.Observe(7);
  const std::string text = registry.Render();
  EXPECT_TRUE(absl::StrContains(
                  text, "latency_seconds_bucket{route=\"/x\",le=\"0.10000000000000001\"} 2\n") ||
              absl::StrContains(text, "latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "latency_seconds_bucket{route=\"/x\",le=\"1\"} 3\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"));
  EXPECT_TRUE(absl::StrContains(text, "latency_seconds_count{route=\"/x\"} 4\n"));
  EXPECT_TRUE(absl::StrContains(text, "latency_seconds_sum{route=\"/x\"} 7.6500000000000004\n") ||
              absl::StrContains(text, "latency_seconds_sum{route=\"/x\"} 7.65\n"))
      << text;
}

TEST(Registry, GaugesAndProcessMetrics) {
  Registry registry;
  registry.AddGauge("holds_active", "Active holds.").WithLabels({}).Set(4);
  registry.AddCallbackGauge("queue_depth", "Waiting.", [] { return 12.0; });
  const std::string text = registry.Render();
  EXPECT_TRUE(absl::StrContains(text, "holds_active 4\n"));
  EXPECT_TRUE(absl::StrContains(text, "queue_depth 12\n"));
  EXPECT_TRUE(absl::StrContains(text, "process_resident_memory_bytes "));
  EXPECT_TRUE(absl::StrContains(text, "process_open_fds "));
  EXPECT_TRUE(absl::StrContains(text, "process_cpu_seconds_total "));
}

TEST(Registry, ConcurrentIncrementsAreNotLost) {
  Registry registry;
  auto& counter = registry.AddCounter("c", "C.", {"k"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) counter.WithLabels({"same"}).Increment();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.WithLabels({"same"}).value(), 80000);
}

}  // namespace
}  // namespace travio::metrics
