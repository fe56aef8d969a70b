#include "platform/crypto/encoding.h"

#include <gtest/gtest.h>

namespace travio::crypto {
namespace {

TEST(Encoding, Base64UrlRoundTripsWithoutPadding) {
  const std::string bytes("\x00\xff\xfe\x01 binary", 10);
  const std::string text = Base64UrlEncode(bytes);
  EXPECT_EQ(text.find('='), std::string::npos);
  EXPECT_EQ(Base64UrlDecode(text), bytes);
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");  // the URL-safe alphabet
}

TEST(Encoding, Base64UrlDecodingIsStrict) {
  EXPECT_EQ(Base64UrlDecode("-_8"), std::string("\xfb\xff"));
  for (const char* bad : {"-_8=", "+/8", "-_ 8", "-_9", "a", "!!!!"}) {
    EXPECT_FALSE(Base64UrlDecode(bad).has_value()) << bad;  // "-_9": non-zero unused bits
  }
}

TEST(Encoding, HexRoundTripsAndChecksTheLength) {
  EXPECT_EQ(HexEncode(std::string("\x01\xab", 2)), "01ab");
  EXPECT_EQ(HexDecode("01AB", 2), std::string("\x01\xab", 2));
  EXPECT_FALSE(HexDecode("01ab", 3).has_value());
  EXPECT_FALSE(HexDecode("01abcd", 2).has_value());
  EXPECT_FALSE(HexDecode("0g", 1).has_value());
  EXPECT_FALSE(HexDecode("01a", 2).has_value());
}

}  // namespace
}  // namespace travio::crypto
