#include "services/gateway/security/traffic.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/kv/memory_store.h"
#include "platform/testing/status_matchers.h"

namespace travio::gateway {
namespace {

class TrafficTest : public ::testing::Test {
 protected:
  TrafficControl Control(TrafficSettings settings) {
    return TrafficControl(*store_, clock_, std::move(settings),
                          log::Logger::ToStderr(log::Level::kError), &metrics_);
  }
  static TrafficSettings Settings() {
    TrafficSettings settings;
    settings.limits = {{TrafficClass::kSignIn, {.per_address = 3, .per_subject = 0}},
                       {TrafficClass::kHolds, {.per_address = 10, .per_subject = 2}}};
    settings.sign_in_concurrency = 2;
    settings.hold_seats_per_address = 8;
    settings.hold_seats_per_subject = 4;
    return settings;
  }

  ManualClock clock_;
  std::unique_ptr<kv::KeyValueStore> store_ = kv::MakeMemoryStore(clock_);
  metrics::Registry metrics_;
};

TEST_F(TrafficTest, AnAddressBeyondItsLimitIsRefused429WithTheDraftHeaders) {
  TrafficControl traffic = Control(Settings());
  for (int i = 0; i < 3; ++i) {
    const auto verdict = traffic.ByAddress(TrafficClass::kSignIn, "203.0.113.7");
    ASSERT_FALSE(verdict.refusal) << i;
    EXPECT_EQ(verdict.policy, "\"sign_in-address\";q=3;w=60");
    EXPECT_EQ(verdict.remaining, 2 - i);
  }
  const auto refused = traffic.ByAddress(TrafficClass::kSignIn, "203.0.113.7");
  ASSERT_TRUE(refused.refusal);
  const http::Response& response = *refused.refusal;
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(nlohmann::json::parse(response.body)["code"], "rate_limited");
  EXPECT_EQ(response.headers.find("Retry-After")->second, "20");  // one in 60/3 s
  EXPECT_EQ(response.headers.find("RateLimit-Policy")->second, "\"sign_in-address\";q=3;w=60");
  EXPECT_EQ(response.headers.find("RateLimit")->second, "\"sign_in-address\";r=0;t=60");
  // Another address, and the same one once its interval has passed, go through.
  EXPECT_FALSE(traffic.ByAddress(TrafficClass::kSignIn, "203.0.113.8").refusal);
  clock_.Advance(absl::Seconds(20));
  EXPECT_FALSE(traffic.ByAddress(TrafficClass::kSignIn, "203.0.113.7").refusal);
  EXPECT_NE(metrics_.Render().find(
                "travio_gateway_rate_limited_total{class=\"sign_in\",by=\"address\"} 1"),
            std::string::npos);
}

TEST_F(TrafficTest, OneIpv6Slash64IsOneAddressAndMappedIpv4IsIpv4) {
  TrafficControl traffic = Control(Settings());
  for (const char* address : {"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9"}) {
    EXPECT_FALSE(traffic.ByAddress(TrafficClass::kSignIn, address).refusal);
  }
  EXPECT_TRUE(traffic.ByAddress(TrafficClass::kSignIn, "2001:db8:1:2::abcd").refusal);
  EXPECT_FALSE(traffic.ByAddress(TrafficClass::kSignIn, "2001:db8:1:3::1").refusal);
}

TEST_F(TrafficTest, TheSubjectLimitIsTheTighterAndNamesItself) {
  TrafficControl traffic = Control(Settings());
  auto both = [&] {
    return traffic.BySubject(TrafficClass::kHolds, "guest-1",
                             traffic.ByAddress(TrafficClass::kHolds, "198.51.100.1"));
  };
  const auto first = both();
  ASSERT_FALSE(first.refusal);
  EXPECT_EQ(first.policy, "\"holds-address\";q=10;w=60, \"holds-subject\";q=2;w=60");
  EXPECT_EQ(first.state, "\"holds-subject\";r=1;t=30");
  EXPECT_FALSE(both().refusal);
  const auto third = both();
  ASSERT_TRUE(third.refusal);
  EXPECT_EQ(third.refusal->headers.find("RateLimit")->second, "\"holds-subject\";r=0;t=60");
  // Another guest from the same address is not this guest.
  EXPECT_FALSE(traffic.BySubject(TrafficClass::kHolds, "guest-2", {}).refusal);
}

TEST_F(TrafficTest, ClientLimitsOffLetsEverythingThrough) {
  TrafficSettings settings = Settings();
  settings.client_limits = false;
  TrafficControl traffic = Control(settings);
  for (int i = 0; i < 50; ++i) {
    const auto verdict = traffic.ByAddress(TrafficClass::kSignIn, "203.0.113.7");
    EXPECT_FALSE(verdict.refusal);
    EXPECT_TRUE(verdict.policy.empty());
  }
  EXPECT_OK(
      traffic.TakeSeats("trip", "203.0.113.7", "guest", "h", 100, clock_.Now() + absl::Minutes(5)));
}

TEST_F(TrafficTest, SignInSlotsAreBoundedAndGivenBack) {
  TrafficControl traffic = Control(Settings());
  auto first = traffic.EnterSignIn();
  auto second = traffic.EnterSignIn();
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(traffic.EnterSignIn());
  second.reset();
  EXPECT_TRUE(traffic.EnterSignIn());
}

TEST_F(TrafficTest, SeatsHeldAtOncePerTripAreCappedPerAddressAndPerTraveller) {
  TrafficControl traffic = Control(Settings());
  const absl::Time until = clock_.Now() + absl::Minutes(5);
  // One traveller: four seats, then no more.
  EXPECT_OK(traffic.TakeSeats("trip-1", "203.0.113.7", "guest-1", "h1", 4, until));
  EXPECT_THAT(traffic.TakeSeats("trip-1", "203.0.113.7", "guest-1", "h2", 1, until),
              testing::HasReason("hold_limit"));
  // New guests from the same address: the address stops at eight.
  EXPECT_OK(traffic.TakeSeats("trip-1", "203.0.113.7", "guest-2", "h3", 4, until));
  const absl::Status third = traffic.TakeSeats("trip-1", "203.0.113.7", "guest-3", "h4", 1, until);
  EXPECT_THAT(third, testing::HasReason("hold_limit"));
  EXPECT_EQ(RetryAfterOf(third), absl::Minutes(5));  // when the first of them ends
  // Another trip, another address: their own seats.
  EXPECT_OK(traffic.TakeSeats("trip-2", "203.0.113.7", "guest-3", "h5", 4, until));
  EXPECT_OK(traffic.TakeSeats("trip-1", "198.51.100.1", "guest-4", "h6", 4, until));
  // A released hold frees its seats at once.
  traffic.DropSeats("trip-1", "203.0.113.7", "guest-2", "h3");
  EXPECT_OK(traffic.TakeSeats("trip-1", "203.0.113.7", "guest-5", "h7", 4, until));
  // A refusal by the traveller's cap records nothing for the address.
  EXPECT_THAT(traffic.TakeSeats("trip-2", "198.51.100.9", "guest-3", "h8", 1, until),
              testing::HasReason("hold_limit"));
  EXPECT_OK(traffic.TakeSeats("trip-2", "198.51.100.9", "guest-6", "h9", 4, until));
  EXPECT_OK(traffic.TakeSeats("trip-2", "198.51.100.9", "guest-7", "h10", 4, until));
}

TEST_F(TrafficTest, AStreamOfHoldsNeverHoldsMoreThanTheCapAtOnce) {
  // Review finding: a budget refilled over the holds' lifetime let an address hold twice its
  // cap by holding again every few seconds. Live holds are what count.
  TrafficSettings settings = Settings();
  settings.hold_seats_per_subject = 100;
  TrafficControl traffic = Control(settings);
  int held = 0;
  for (int i = 0; i < 40; ++i) {
    const absl::Time until = clock_.Now() + absl::Minutes(5);
    if (traffic.TakeSeats("trip-1", "203.0.113.7", "guest", "h" + std::to_string(i), 1, until)
            .ok()) {
      ++held;
    }
    clock_.Advance(absl::Seconds(7));  // 40 holds within the first hold's five minutes
  }
  EXPECT_EQ(held, 8);
  // Once the first holds end, their seats may be held again.
  clock_.Advance(absl::Minutes(1));
  EXPECT_OK(traffic.TakeSeats("trip-1", "203.0.113.7", "guest", "later", 1,
                              clock_.Now() + absl::Minutes(5)));
}

}  // namespace
}  // namespace travio::gateway
