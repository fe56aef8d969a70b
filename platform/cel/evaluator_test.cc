#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "platform/cel/cel_test_support.h"
#include "platform/testing/status_matchers.h"

namespace travio::cel {
namespace {

using ::testing::HasSubstr;
using testing::RunCel;
using ::travio::testing::StatusIs;

Value Eval(const std::string& expression, const Activation& bindings = {}) {
  auto value = RunCel(expression, bindings);
  EXPECT_TRUE(value.ok()) << expression << ": " << value.status();
  return value.ok() ? *value : Value();
}

std::string EvalError(const std::string& expression, const Activation& bindings = {}) {
  auto value = RunCel(expression, bindings);
  EXPECT_FALSE(value.ok()) << expression << " gave " << DebugString(*value);
  return value.ok() ? "" : std::string(value.status().message());
}

TEST(CelEvaluator, DoesIntegerArithmeticAndRefusesOverflow) {
  EXPECT_EQ(Eval("7 / 2").int_value(), 3);
  EXPECT_EQ(Eval("-7 / 2").int_value(), -3);
  EXPECT_EQ(Eval("-7 % 3").int_value(), -1);
  EXPECT_EQ(Eval("2 * 3 + 4").int_value(), 10);
  EXPECT_EQ(Eval("7u / 2u").uint_value(), 3u);
  EXPECT_EQ(EvalError("9223372036854775807 + 1"), "1:21: integer overflow");
  EXPECT_EQ(EvalError("-(-9223372036854775808)"), "1:1: integer overflow");
  EXPECT_EQ(EvalError("-9223372036854775808 / -1"), "1:22: integer overflow");
  EXPECT_EQ(EvalError("0u - 1u"), "1:4: unsigned integer overflow");
}

TEST(CelEvaluator, PriceTimesQuantityOverflowIsAnErrorNotAWrappedPrice) {
  Activation bindings{{"price", int64_t{4611686018427387904}}, {"qty", int64_t{2}}};
  EXPECT_EQ(EvalError("price * qty", bindings), "1:7: integer overflow");
  bindings["qty"] = int64_t{1};
  EXPECT_EQ(Eval("price * qty", bindings).int_value(), 4611686018427387904);
}

TEST(CelEvaluator, DivisionAndModulusByZeroAreErrors) {
  EXPECT_EQ(EvalError("price / 0", {{"price", int64_t{100}}}), "1:7: division by zero");
  EXPECT_EQ(EvalError("5 % 0"), "1:3: modulus by zero");
  EXPECT_EQ(EvalError("5u / 0u"), "1:4: division by zero");
  EXPECT_TRUE(std::isinf(Eval("1.0 / 0.0").double_value()));
}

TEST(CelEvaluator, LogicAbsorbsErrorsWhenTheOtherSideDecides) {
  // Commutative: the error may be on either side.
  EXPECT_FALSE(Eval("1 / 0 == 1 && false").bool_value());
  EXPECT_FALSE(Eval("false && 1 / 0 == 1").bool_value());
  EXPECT_TRUE(Eval("1 / 0 == 1 || true").bool_value());
  EXPECT_TRUE(Eval("true || 1 / 0 == 1").bool_value());
  // When the other side does not decide, the error stands.
  EXPECT_EQ(EvalError("1 / 0 == 1 && true"), "1:3: division by zero");
  EXPECT_EQ(EvalError("false || 1 / 0 == 1"), "1:12: division by zero");
  // The conditional is not commutative: only the chosen branch runs.
  EXPECT_EQ(Eval("true ? 1 : 1 / 0").int_value(), 1);
  EXPECT_EQ(EvalError("false ? 1 : 1 / 0"), "1:15: division by zero");
}

TEST(CelEvaluator, MacrosCombineErrorsLikeTheirOperators) {
  // all() is a chain of &&: a false element wins over an error.
  EXPECT_FALSE(Eval("[0, 5, 20].all(x, 10 / x > 1)").bool_value());
  EXPECT_EQ(EvalError("[0, 1].all(x, 10 / x > 1)"), "1:18: division by zero");
  // exists() is a chain of ||: a true element wins over an error.
  EXPECT_TRUE(Eval("[0, 1].exists(x, 10 / x > 1)").bool_value());
  EXPECT_EQ(EvalError("[0, 20].exists(x, 10 / x > 1)"), "1:22: division by zero");
  // exists_one fails on any error.
  EXPECT_EQ(EvalError("[0, 1].exists_one(x, 10 / x > 1)"), "1:25: division by zero");
  EXPECT_TRUE(Eval("[1, 2, 3].exists_one(x, x == 2)").bool_value());
  EXPECT_FALSE(Eval("[2, 2].exists_one(x, x == 2)").bool_value());
}

TEST(CelEvaluator, MapAndFilterBuildLists) {
  EXPECT_EQ(DebugString(Eval("[1, 2, 3].map(x, x * 10)")), "[10, 20, 30]");
  EXPECT_EQ(DebugString(Eval("[1, 2, 3].map(x, x > 1, x * 10)")), "[20, 30]");
  EXPECT_EQ(DebugString(Eval("[1, 2, 3, 4].filter(x, x % 2 == 0)")), "[2, 4]");
  EXPECT_EQ(DebugString(Eval("{'a': 1, 'b': 2}.map(k, k + k)")), "[\"aa\", \"bb\"]");
  EXPECT_EQ(Eval("[[1, 2], [3]].map(l, l.map(x, x + 1)).size()").int_value(), 2);
  EXPECT_TRUE(Eval("[1, 2].all(x, [3, 4].exists(y, y > x))").bool_value());
}

TEST(CelEvaluator, MissingKeyIsAnErrorButHasSaysFalse) {
  Activation bindings{{"seat", testing::Map({{"label", "A1"}, {"category", "ladies"}})}};
  EXPECT_EQ(EvalError("seat.deck == 'upper'", bindings), "1:5: no such key: 'deck'");
  EXPECT_FALSE(Eval("has(seat.deck)", bindings).bool_value());
  EXPECT_TRUE(Eval("has(seat.category)", bindings).bool_value());
  EXPECT_FALSE(Eval("has(seat.deck) && seat.deck == 'upper'", bindings).bool_value());
  EXPECT_EQ(Eval("seat['label']", bindings).string_value(), "A1");
  EXPECT_EQ(EvalError("seat['deck']", bindings), "1:5: no such key: \"deck\"");
  EXPECT_TRUE(Eval("'category' in seat", bindings).bool_value());
}

TEST(CelEvaluator, ComparesNumbersAcrossKindsByValue) {
  EXPECT_TRUE(Eval("dyn(1) == 1.0").bool_value());
  EXPECT_TRUE(Eval("1 < 1.5").bool_value());
  EXPECT_TRUE(Eval("2u > 1").bool_value());
  EXPECT_TRUE(Eval("-1 < 0u").bool_value());
  // Beyond 2^53 an int meets a double as a double, as the reference implementation compares.
  EXPECT_FALSE(Eval("dyn(9007199254740993) > 9007199254740992.0").bool_value());
  EXPECT_FALSE(Eval("0.0 / 0.0 == 0.0 / 0.0").bool_value());
  EXPECT_TRUE(Eval("[1, 2] == [1, 2]").bool_value());
  EXPECT_TRUE(Eval("{'a': 1} == {'a': 1}").bool_value());
  EXPECT_FALSE(Eval("dyn('1') == 1").bool_value());
  EXPECT_TRUE(Eval("dyn({1: 'x'})[1u] == 'x'").bool_value());
  EXPECT_TRUE(Eval("dyn(2.0) in [1, 2, 3]").bool_value());
}

TEST(CelEvaluator, StringFunctionsCountCharactersAndMatchSubstrings) {
  EXPECT_EQ(Eval("size('ঢাকা')").int_value(), 4);
  EXPECT_EQ(Eval("'ঢাকা'.size()").int_value(), 4);
  EXPECT_TRUE(Eval("'Dhaka-Cox'.startsWith('Dhaka')").bool_value());
  EXPECT_TRUE(Eval("'Dhaka-Cox'.endsWith('Cox')").bool_value());
  EXPECT_TRUE(Eval("'Dhaka-Cox'.contains('a-C')").bool_value());
  // matches() looks for the pattern anywhere unless it is anchored.
  EXPECT_TRUE(Eval("'premium-sleeper'.matches('sleep')").bool_value());
  EXPECT_FALSE(Eval("'premium-sleeper'.matches('^sleep')").bool_value());
  EXPECT_TRUE(Eval("matches('A12', '^[A-Z][0-9]+$')").bool_value());
  EXPECT_THAT(EvalError("'a'.matches(p)", {{"p", "("}}), HasSubstr("invalid regular expression"));
  EXPECT_EQ(Eval("'ab' + 'cd'").string_value(), "abcd");
}

TEST(CelEvaluator, ConvertsBetweenTypesWithinRange) {
  EXPECT_EQ(Eval("int(2.9)").int_value(), 2);
  EXPECT_EQ(Eval("int(-2.9)").int_value(), -2);
  EXPECT_EQ(Eval("int('-42')").int_value(), -42);
  EXPECT_EQ(Eval("uint(42)").uint_value(), 42u);
  EXPECT_EQ(Eval("double(3)").double_value(), 3.0);
  EXPECT_EQ(Eval("string(1.5)").string_value(), "1.5");
  EXPECT_EQ(Eval("string(-4.5e-3)").string_value(), "-0.0045");
  EXPECT_EQ(Eval("string(true)").string_value(), "true");
  EXPECT_EQ(Eval("string(b'abc')").string_value(), "abc");
  EXPECT_EQ(Eval("bool('true')").bool_value(), true);
  EXPECT_EQ(EvalError("int(9.3e18)"), "1:1: int out of range");
  EXPECT_EQ(EvalError("int(-9223372036854775808.0)"), "1:1: int out of range");
  EXPECT_EQ(EvalError("uint(-1)"), "1:1: uint out of range");
  EXPECT_EQ(EvalError("int('12a')"), "1:1: cannot convert \"12a\" to int");
  EXPECT_EQ(EvalError("string(b'\\xff')"), "1:1: bytes are not valid UTF-8");
  EXPECT_EQ(Eval("type(1)").type_value(), "int");
  EXPECT_TRUE(Eval("type([]) == list").bool_value());
  EXPECT_TRUE(Eval("type(duration('1s')) == google.protobuf.Duration").bool_value());
}

TEST(CelEvaluator, IndexesListsAndReportsOutOfRange) {
  EXPECT_EQ(Eval("[10, 20][1]").int_value(), 20);
  EXPECT_EQ(Eval("[10, 20][dyn(1u)]").int_value(), 20);
  EXPECT_EQ(EvalError("[10, 20][2]"), "1:9: index out of range: 2 of a list of 2");
  EXPECT_EQ(EvalError("[10, 20][-1]"), "1:9: index out of range: -1 of a list of 2");
  EXPECT_EQ(EvalError("[10, 20][dyn(0.5)]"), "1:9: invalid list index 0.5");
}

TEST(CelEvaluator, MapLiteralsRefuseRepeatedKeys) {
  EXPECT_EQ(EvalError("{'a': 1, 'a': 2}"), "1:10: repeated map key \"a\"");
  EXPECT_EQ(EvalError("{1: 'a', dyn(1u): 'b'}"), "1:10: repeated map key 1u");
}

TEST(CelEvaluator, UnboundVariablesAreEvaluationErrors) {
  Env env;
  env.Declare("price", Type::Int());
  Compilation compiled = env.Compile("price + 1");
  ASSERT_TRUE(compiled.ok());
  EXPECT_THAT(compiled.program->Evaluate({}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(compiled.program->Evaluate({}).status().message(), "1:1: no value for 'price'");
}

TEST(CelEvaluator, OneProgramServesManyEvaluations) {
  Env env;
  env.Declare("price", Type::Int());
  Compilation compiled = env.Compile("price > 1000 ? price * 9 / 10 : price");
  ASSERT_TRUE(compiled.ok());
  for (int64_t price : {500, 1000, 2000}) {
    auto value = compiled.program->Evaluate({{"price", price}});
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(value->int_value(), price > 1000 ? price * 9 / 10 : price);
  }
}

}  // namespace
}  // namespace travio::cel
