#include "platform/http/client_address.h"

#include <gtest/gtest.h>

#include "platform/testing/status_matchers.h"

namespace travio::http {
namespace {

TEST(CanonicalAddress, MapsIpv4InIpv6ToIpv4AndRefusesNames) {
  EXPECT_EQ(CanonicalAddress("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(CanonicalAddress("::FFFF:cb00:7107"), "203.0.113.7");
  EXPECT_EQ(CanonicalAddress("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(CanonicalAddress("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(CanonicalAddress("[2001:db8::1]"), "2001:db8::1");
  EXPECT_EQ(CanonicalAddress("example.com"), std::nullopt);
  EXPECT_EQ(CanonicalAddress("1.2.3.4:80"), std::nullopt);
  EXPECT_EQ(CanonicalAddress(""), std::nullopt);
  EXPECT_EQ(CanonicalAddress("01.2.3.4"), std::nullopt);
}

TEST(AddressBlock, IsTheIpv4AddressOrTheIpv6Slash64) {
  EXPECT_EQ(AddressBlock("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(AddressBlock("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(AddressBlock("2001:db8:1:2::9"), AddressBlock("2001:db8:1:2:ffff::1"));
  EXPECT_NE(AddressBlock("2001:db8:1:2::9"), AddressBlock("2001:db8:1:3::9"));
  EXPECT_EQ(AddressBlock("::ffff:203.0.113.7"), "203.0.113.7");
}

TEST(TrustedProxies, MatchesAddressesAndNetworksOfBothFamilies) {
  ASSERT_OK_AND_ASSIGN(auto proxies, TrustedProxies::Parse(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8"));
  EXPECT_TRUE(proxies.Contains("10.200.3.4"));
  EXPECT_TRUE(proxies.Contains("::ffff:10.1.1.1"));
  EXPECT_FALSE(proxies.Contains("11.0.0.1"));
  EXPECT_TRUE(proxies.Contains("192.168.1.7"));
  EXPECT_FALSE(proxies.Contains("192.168.1.8"));
  EXPECT_TRUE(proxies.Contains("fd12::1"));
  EXPECT_FALSE(proxies.Contains("fe80::1"));
  EXPECT_FALSE(proxies.Contains("not an address"));
  ASSERT_OK_AND_ASSIGN(auto odd, TrustedProxies::Parse("172.16.0.0/12"));
  EXPECT_TRUE(odd.Contains("172.31.255.255"));
  EXPECT_FALSE(odd.Contains("172.32.0.0"));
}

TEST(TrustedProxies, RefusesWhatIsNotANetwork) {
  EXPECT_THAT(TrustedProxies::Parse("10.0.0.0/33"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TrustedProxies::Parse("proxy.internal"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TrustedProxies::Parse("::1/129"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(auto none, TrustedProxies::Parse(""));
  EXPECT_TRUE(none.empty());
}

TEST(ClientAddress, IgnoresForwardedForFromAnUntrustedPeer) {
  ASSERT_OK_AND_ASSIGN(auto proxies, TrustedProxies::Parse("10.0.0.0/8"));
  EXPECT_EQ(ClientAddress("198.51.100.9", {"1.1.1.1"}, proxies), "198.51.100.9");
  EXPECT_EQ(ClientAddress("::ffff:198.51.100.9", {}, proxies), "198.51.100.9");
  ASSERT_OK_AND_ASSIGN(auto none, TrustedProxies::Parse(""));
  EXPECT_EQ(ClientAddress("10.0.0.1", {"1.1.1.1"}, none), "10.0.0.1");
}

TEST(ClientAddress, WalksTrustedHopsFromTheRight) {
  ASSERT_OK_AND_ASSIGN(auto proxies, TrustedProxies::Parse("10.0.0.0/8"));
  // The client forged "6.6.6.6"; the first proxy appended what it saw, the second likewise.
  EXPECT_EQ(ClientAddress("10.0.0.2", {"6.6.6.6, 203.0.113.7", "10.0.0.1"}, proxies),
            "203.0.113.7");
  EXPECT_EQ(ClientAddress("10.0.0.2", {"::ffff:203.0.113.7"}, proxies), "203.0.113.7");
  // Only proxies in the chain: the leftmost one is all there is.
  EXPECT_EQ(ClientAddress("10.0.0.2", {"10.0.0.9"}, proxies), "10.0.0.9");
  // Garbage stops the walk at the last trusted hop.
  EXPECT_EQ(ClientAddress("10.0.0.2", {"203.0.113.7, garbage"}, proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", {}, proxies), "10.0.0.2");
}

}  // namespace
}  // namespace travio::http
