#include "platform/cel/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/cel/cel_test_support.h"
#include "platform/testing/status_matchers.h"

namespace travio::cel {
namespace {

using ::testing::HasSubstr;

std::string ParseError(const std::string& text, ParseOptions options = {}) {
  Source source(text);
  ParseResult result = Parse(source, options);
  return result.issues.empty() ? "" : FormatIssue(result.issues.front());
}

Value Literal(const std::string& text) {
  Source source(text);
  ParseResult result = Parse(source);
  EXPECT_TRUE(result.issues.empty()) << FormatIssue(result.issues.front());
  EXPECT_EQ(result.expr->kind, Expr::Kind::kConstant);
  return result.expr->constant;
}

TEST(CelParser, ReadsNumberLiteralsOfEachKind) {
  EXPECT_EQ(Literal("42").int_value(), 42);
  EXPECT_EQ(Literal("0x2A").int_value(), 42);
  EXPECT_EQ(Literal("42u").uint_value(), 42u);
  EXPECT_EQ(Literal("0x2aU").uint_value(), 42u);
  EXPECT_EQ(Literal("4.5e1").double_value(), 45.0);
  EXPECT_EQ(Literal(".5").double_value(), 0.5);
  EXPECT_EQ(Literal("-9223372036854775808").int_value(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Literal("18446744073709551615u").uint_value(), std::numeric_limits<uint64_t>::max());
}

TEST(CelParser, RefusesIntegerLiteralsOutOfRange) {
  EXPECT_EQ(ParseError("9223372036854775808"), "1:1: integer literal out of range");
  EXPECT_EQ(ParseError("-9223372036854775809"), "1:1: integer literal out of range");
  EXPECT_EQ(ParseError("18446744073709551616u"), "1:1: integer literal out of range");
}

TEST(CelParser, DecodesStringEscapesRawStringsAndBytes) {
  EXPECT_EQ(Literal(R"('a\tb\n\x41\101\u00e9\U0001F68C\'')").string_value(),
            "a\tb\nAA\xC3\xA9\xF0\x9F\x9A\x8C'");
  EXPECT_EQ(Literal(R"(r'a\tb')").string_value(), "a\\tb");
  EXPECT_EQ(Literal("'''two\nlines'''").string_value(), "two\nlines");
  EXPECT_EQ(Literal(R"(b'\xff\x00')").bytes_value(), std::string("\xff\x00", 2));
  EXPECT_EQ(Literal(R"(b'é')").bytes_value(), "\xC3\xA9");
}

TEST(CelParser, NamesTheLineAndColumnOfBadStrings) {
  EXPECT_EQ(ParseError("'open"), "1:1: unterminated string literal");
  EXPECT_EQ(ParseError("1 +\n  'a\\qb'"), "2:5: invalid escape sequence '\\q'");
  EXPECT_EQ(ParseError(R"('\ud800')"), "1:2: invalid escape: not a Unicode scalar value");
  EXPECT_EQ(ParseError("'line\nbreak'"),
            "1:1: unterminated string literal: a line break inside quotes");
}

TEST(CelParser, ColumnsCountCharactersNotBytes) {
  // "ঢাকা" is four code points of three bytes each.
  EXPECT_EQ(ParseError("'ঢাকা' + )"), "1:10: unexpected ')'");
}

TEST(CelParser, ExplainsCommonMistakes) {
  EXPECT_EQ(ParseError("price = 10"), "1:7: unexpected '=': compare with '=='");
  EXPECT_EQ(ParseError("(1 + 2"), "1:7: expected ')', found end of expression");
  EXPECT_EQ(ParseError("if + 1"), "1:1: reserved identifier 'if'");
  EXPECT_EQ(ParseError("1 + # 2"), "1:5: unexpected character '#'");
  EXPECT_EQ(ParseError("Trip{x: 1}"), "1:5: message construction is not supported");
  EXPECT_EQ(ParseError("google.protobuf.Int32Value{value: 1}"),
            "1:27: message construction is not supported");
  EXPECT_EQ(ParseError("m.`unclosed"), "1:3: unterminated or empty quoted identifier");
  EXPECT_EQ(ParseError(""), "1:1: unexpected end of expression");
}

TEST(CelParser, ReservedWordsAndQuotedNamesMayNameFields) {
  EXPECT_EQ(ParseError("m.if + m.`content-type`"), "");
  Source source("m.`content-type`");
  ParseResult result = Parse(source);
  ASSERT_TRUE(result.issues.empty());
  EXPECT_EQ(result.expr->kind, Expr::Kind::kSelect);
  EXPECT_EQ(result.expr->name, "content-type");
}

TEST(CelParser, SkipsComments) { EXPECT_EQ(ParseError("1 + // a comment\n 2"), ""); }

TEST(CelParser, GivesOperatorsCelsPrecedence) {
  Source source("a || b && c == d + e * -f");
  ParseResult result = Parse(source);
  ASSERT_TRUE(result.issues.empty());
  const Expr& root = *result.expr;
  EXPECT_EQ(root.name, "_||_");
  EXPECT_EQ(root.args[1]->name, "_&&_");
  EXPECT_EQ(root.args[1]->args[1]->name, "_==_");
  EXPECT_EQ(root.args[1]->args[1]->args[1]->name, "_+_");
  EXPECT_EQ(root.args[1]->args[1]->args[1]->args[1]->name, "_*_");
  EXPECT_EQ(root.args[1]->args[1]->args[1]->args[1]->args[1]->name, "-_");
}

TEST(CelParser, ExpandsMacrosIntoComprehensions) {
  Source source("[1, 2].all(x, x > 0)");
  ParseResult result = Parse(source);
  ASSERT_TRUE(result.issues.empty());
  EXPECT_EQ(result.expr->kind, Expr::Kind::kComprehension);
  EXPECT_EQ(result.expr->iter_var, "x");

  EXPECT_EQ(ParseError("[1].all(x + 1, true)"),
            "1:11: all() macro: argument must be a simple name");
  EXPECT_EQ(ParseError("has(a)"),
            "1:5: invalid argument to has() macro: it takes a field selection");
  // Without macros they are plain calls.
  Source plain("[1].all(x, true)");
  EXPECT_EQ(Parse(plain, {.macros = false}).expr->kind, Expr::Kind::kCall);
}

TEST(CelParser, AcceptsTheNestingTheSpecificationRequires) {
  // 32 terms of || in a row, 24 chained ?:, 12 nested calls, selects and lists.
  std::string ors = "a";
  for (int i = 1; i < 32; ++i) ors += " || a";
  EXPECT_EQ(ParseError(ors), "");
  std::string conditional = "1";
  for (int i = 0; i < 24; ++i) conditional = "a ? 2 : " + conditional;
  EXPECT_EQ(ParseError(conditional), "");
  std::string calls = "x";
  for (int i = 0; i < 12; ++i) calls = "f(" + calls + ").g[0]";
  EXPECT_EQ(ParseError(calls), "");
  std::string lists = "1";
  for (int i = 0; i < 12; ++i) lists = "[" + lists + "]";
  EXPECT_EQ(ParseError(lists), "");
}

TEST(CelParser, RefusesNestingBeyondTheLimitInsteadOfOverflowingTheStack) {
  std::string deep(100000, '(');
  EXPECT_THAT(
      ParseError(deep + "1" + std::string(100000, ')'), {.max_length = 1000000, .max_depth = 100}),
      HasSubstr("expression nests too deeply: the limit is 100 levels"));
  std::string chain = "a";
  for (int i = 0; i < 200; ++i) chain += " + a";
  EXPECT_THAT(ParseError(chain), HasSubstr("nests too deeply"));
  std::string selects = "a";
  for (int i = 0; i < 200; ++i) selects += ".b";
  EXPECT_THAT(ParseError(selects), HasSubstr("nests too deeply"));
}

TEST(CelParser, RefusesExpressionsLongerThanTheLimit) {
  EXPECT_EQ(ParseError(std::string(101, '1'), {.max_length = 100}),
            "1:1: expression is too long: 101 bytes, the limit is 100");
}

}  // namespace
}  // namespace travio::cel
