#include "platform/http/response_head.h"

#include <gtest/gtest.h>

namespace travio::http {
namespace {

TEST(ResponseHead, WritesTheStatusLineHandlerFieldsAndTheServersOwn) {
  Headers headers{
      {"Content-Type", "application/json"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
  EXPECT_EQ(SerializeResponseHead(201, headers, {.request_id = "r-1", .content_length = 12}),
            "HTTP/1.1 201 Created\r\n"
            "Content-Type: application/json\r\n"
            "Set-Cookie: a=1\r\n"
            "Set-Cookie: b=2\r\n"
            "Server: travio\r\n"
            "X-Request-Id: r-1\r\n"
            "Content-Length: 12\r\n"
            "\r\n");
}

TEST(ResponseHead, AClosingOrStreamedResponseSaysSoAndHasNoLength) {
  EXPECT_EQ(SerializeResponseHead(200, {{"Cache-Control", "max-age=60"}},
                                  {.request_id = "", .close = true, .no_cache = true}),
            "HTTP/1.1 200 OK\r\n"
            "Server: travio\r\n"
            "Cache-Control: no-cache\r\n"
            "Connection: close\r\n"
            "\r\n");
}

TEST(ResponseHead, LeavesOutFramingFieldsAHandlerSet) {
  Headers headers{{"content-length", "999"},
                  {"Transfer-Encoding", "chunked"},
                  {"CONNECTION", "keep-alive"},
                  {"Server", "other"},
                  {"X-Request-Id", "forged"}};
  EXPECT_EQ(SerializeResponseHead(204, headers, {.request_id = "r-2", .content_length = 0}),
            "HTTP/1.1 204 No Content\r\n"
            "Server: travio\r\n"
            "X-Request-Id: r-2\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(ResponseHead, AFieldThatWouldSplitTheResponseIsLeftOut) {
  Headers headers{{"Location", "/ok\r\nSet-Cookie: session=stolen"},
                  {"X-Bare-Newline", "a\nb"},
                  {"X-Nul", std::string("a\0b", 3)},
                  {"X-Control", "a\x01b"},
                  {"X-Delete", "a\x7f"},
                  {"X-Tab", "a\tb"},
                  {"Bad Name", "v"},
                  {"Bad:Name", "v"},
                  {"", "v"},
                  {"X-Fine", "ok"}};
  const std::string head = SerializeResponseHead(200, headers, {.content_length = 0});
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\n"
            "X-Fine: ok\r\n"
            "X-Tab: a\tb\r\n"
            "Server: travio\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(ResponseHead, NamesTheFirstFieldThatCannotBeSent) {
  EXPECT_EQ(FirstUnsendableField({{"Content-Type", "text/html"}, {"X-Tab", "a\tb"}}), std::nullopt);
  EXPECT_EQ(FirstUnsendableField({{"Content-Type", "text/html\r\nX: y"}}), "Content-Type");
  EXPECT_EQ(FirstUnsendableField({{"Bad Name", "v"}}), "Bad Name");
}

}  // namespace
}  // namespace travio::http
