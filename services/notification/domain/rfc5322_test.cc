#include "services/notification/domain/rfc5322.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace travio::notification {
namespace {

Email Invite() {
  return {.from = {"Travio", "no-reply@travio.localhost"},
          .to = "ana@example.com",
          .subject = "Join Acme Buses",
          .text_body = "Hello Ana,\n\nYour invite token: tok_123\n",
          .message_id = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234@travio.localhost",
          .date = absl::FromUnixSeconds(1'767'225'600)};  // 2026-01-01 00:00:00 UTC, a Thursday
}

// Decodes the encoded-words of an unfolded header value.
std::string DecodeWords(absl::string_view value) {
  std::string out;
  for (absl::string_view word : absl::StrSplit(value, ' ', absl::SkipEmpty())) {
    EXPECT_TRUE(absl::ConsumePrefix(&word, "=?UTF-8?B?")) << word;
    EXPECT_TRUE(absl::ConsumeSuffix(&word, "?=")) << word;
    std::string decoded;
    EXPECT_TRUE(absl::Base64Unescape(word, &decoded)) << word;
    out += decoded;
  }
  return out;
}

TEST(RenderMessage, WritesTheHeadersThenTheBodyWithCrlf) {
  const std::string text = RenderMessage(Invite());
  EXPECT_EQ(text,
            "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"
            "From: Travio <no-reply@travio.localhost>\r\n"
            "To: ana@example.com\r\n"
            "Subject: Join Acme Buses\r\n"
            "Message-ID: <0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234@travio.localhost>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n"
            "\r\n"
            "Hello Ana,\r\n\r\nYour invite token: tok_123\r\n");
}

TEST(RenderMessage, EveryLineEndsInCrlfWhateverTheBodyUsed) {
  Email email = Invite();
  email.text_body = "unix\nmac\rwindows\r\nno final break";
  const std::string text = RenderMessage(email);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      EXPECT_TRUE(i > 0 && text[i - 1] == '\r') << i;
    }
    if (text[i] == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << i;
    }
  }
  EXPECT_TRUE(absl::EndsWith(text, "\r\n\r\nunix\r\nmac\r\nwindows\r\nno final break\r\n"));
}

TEST(RenderMessage, KeepsUtf8BodiesReadable) {
  Email email = Invite();
  email.text_body =
      "Gr\xc3\xbc\xc3\x9f"
      "e, token tok_\xc3\xa9\n";
  EXPECT_TRUE(absl::StrContains(RenderMessage(email),
                                "Gr\xc3\xbc\xc3\x9f"
                                "e, token tok_\xc3\xa9\r\n"));
}

TEST(RenderMessage, EncodesNonAsciiSubjectsAndNames) {
  Email email = Invite();
  // 30 two-octet characters: more than one encoded-word.
  std::string subject = "Bienvenue ";
  for (int i = 0; i < 30; ++i) subject += "\xc3\xa9";
  email.subject = subject;
  email.from.display_name = "Trav\xc3\xaco";
  const std::string text = RenderMessage(email);

  const size_t start = text.find("Subject: ") + 9;
  const size_t end = text.find("\r\nMessage-ID:");
  std::string folded = text.substr(start, end - start);
  for (absl::string_view line : absl::StrSplit(folded, "\r\n")) {
    EXPECT_LE(line.size() + 9, 76u) << line;  // encoded-word lines stay within 76
  }
  EXPECT_TRUE(absl::StrContains(folded, "\r\n "));  // folded
  std::string unfolded = absl::StrReplaceAll(folded, {{"\r\n ", " "}});
  EXPECT_EQ(DecodeWords(unfolded), subject);
  EXPECT_TRUE(
      absl::StrContains(text, "From: =?UTF-8?B?VHJhdsOsbw==?= <no-reply@travio.localhost>\r\n"))
      << text;
}

TEST(EncodeHeaderText, NeverSplitsACharacter) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "\xf0\x9f\x9a\x8c";  // four-octet bus emoji
  for (absl::string_view word : absl::StrSplit(EncodeHeaderText(text), "\r\n ")) {
    std::string decoded;
    ASSERT_TRUE(absl::ConsumePrefix(&word, "=?UTF-8?B?"));
    ASSERT_TRUE(absl::ConsumeSuffix(&word, "?="));
    ASSERT_TRUE(absl::Base64Unescape(word, &decoded));
    EXPECT_EQ(decoded.size() % 4, 0u);
    EXPECT_LE(decoded.size(), 39u);
  }
}

TEST(EncodeHeaderText, EncodesAsciiThatLooksLikeAnEncodedWord) {
  EXPECT_EQ(EncodeHeaderText("plain subject"), "plain subject");
  EXPECT_EQ(EncodeHeaderText("=?x?="), "=?UTF-8?B?PT94Pz0=?=");
}

TEST(FormatMailbox, QuotesNamesWithSpecials) {
  EXPECT_EQ(FormatMailbox({"", "a@example.com"}), "a@example.com");
  EXPECT_EQ(FormatMailbox({"Acme, Inc.", "a@example.com"}), "\"Acme, Inc.\" <a@example.com>");
}

TEST(FormatDate, UsesEnglishNamesAndUtc) {
  EXPECT_EQ(FormatDate(absl::FromUnixSeconds(951782400)), "Tue, 29 Feb 2000 00:00:00 +0000");
  EXPECT_EQ(FormatDate(absl::FromUnixSeconds(1'767'225'600 - 1)),
            "Wed, 31 Dec 2025 23:59:59 +0000");
}

}  // namespace
}  // namespace travio::notification
