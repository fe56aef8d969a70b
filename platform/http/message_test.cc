#include "platform/http/message.h"

#include <gtest/gtest.h>

namespace travio::http {
namespace {

TEST(Message, HeadersAreCaseInsensitive) {
  Request request;
  request.headers.emplace("Content-Type", "application/json");
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(request.Header("Accept").has_value());
}

TEST(Message, QueryParametersAreDecoded) {
  Request request;
  request.query = "q=cox%27s+bazar&limit=20&flag&bad=%zz";
  EXPECT_EQ(request.Query("q"), "cox's bazar");
  EXPECT_EQ(request.Query("limit"), "20");
  EXPECT_EQ(request.Query("flag"), "");
  EXPECT_FALSE(request.Query("missing").has_value());
  EXPECT_FALSE(request.Query("bad").has_value());
}

TEST(Message, PercentDecodeRejectsTruncatedEscapes) {
  EXPECT_EQ(PercentDecode("a%20b", false), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_FALSE(PercentDecode("abc%2", false).has_value());
  EXPECT_FALSE(PercentDecode("abc%", false).has_value());
}

}  // namespace
}  // namespace travio::http
