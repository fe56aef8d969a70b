#include "platform/cel/checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/cel/cel_test_support.h"

namespace travio::cel {
namespace {

using testing::CompileError;

Env PricingLikeEnv() {
  Env env;
  env.Declare("price", Type::Int());
  env.Declare("trip", Type::Object("trip", {{"departure", Type::Timestamp()},
                                            {"bus_class", Type::String()},
                                            {"ac", Type::Bool()}}));
  env.Declare("tags", Type::List(Type::String()));
  env.Declare("extra", Type::Map(Type::String(), Type::Dyn()));
  return env;
}

Type TypeOf(const std::string& expression) {
  Compilation compiled = PricingLikeEnv().Compile(expression);
  EXPECT_TRUE(compiled.ok()) << compiled.ErrorText();
  return compiled.ok() ? compiled.program->type() : Type::Error();
}

TEST(CelChecker, NamesAnUndeclaredReferenceWhereItIs) {
  EXPECT_EQ(CompileError("price + trp.x", PricingLikeEnv()), "1:9: undeclared reference to 'trp'");
  EXPECT_EQ(CompileError("nosuch(1)", PricingLikeEnv()), "1:1: undeclared reference to 'nosuch'");
}

TEST(CelChecker, RefusesMixedNumericArithmeticAtCheckTime) {
  EXPECT_EQ(CompileError("1 + 1.0"),
            "1:3: no matching overload for '_+_' applied to (int, double)");
  EXPECT_EQ(CompileError("price * 1.1", PricingLikeEnv()),
            "1:7: no matching overload for '_*_' applied to (int, double)");
  EXPECT_EQ(CompileError("1 + 1u"), "1:3: no matching overload for '_+_' applied to (int, uint)");
  EXPECT_EQ(CompileError("price * 11 / 10", PricingLikeEnv()), "");
  EXPECT_EQ(CompileError("int(double(price) * 1.1)", PricingLikeEnv()), "");
}

TEST(CelChecker, KnowsTheFieldsOfObjects) {
  EXPECT_EQ(CompileError("trip.departur", PricingLikeEnv()),
            "1:5: undefined field 'departur' of trip (it has ac, bus_class, departure)");
  EXPECT_EQ(CompileError("has(trip.bogus)", PricingLikeEnv()),
            "1:1: undefined field 'bogus' of trip (it has ac, bus_class, departure)");
  EXPECT_EQ(TypeOf("trip.departure").kind(), Type::Kind::kTimestamp);
  EXPECT_EQ(TypeOf("trip.departure.getDayOfWeek('Asia/Dhaka')").kind(), Type::Kind::kInt);
  EXPECT_EQ(CompileError("trip.ac.getDayOfWeek()", PricingLikeEnv()),
            "1:9: no matching overload for 'getDayOfWeek' applied to bool.()");
}

TEST(CelChecker, InfersTypesThroughListsMapsAndMacros) {
  EXPECT_EQ(TypeOf("tags").DebugString(), "list(string)");
  EXPECT_EQ(TypeOf("tags[0]").kind(), Type::Kind::kString);
  EXPECT_EQ(TypeOf("[1, 2, 3]").DebugString(), "list(int)");
  EXPECT_EQ(TypeOf("[1, 'a']").DebugString(), "list(dyn)");
  EXPECT_EQ(TypeOf("{'a': 1}").DebugString(), "map(string, int)");
  EXPECT_EQ(TypeOf("tags.exists(t, t.startsWith('eid'))").kind(), Type::Kind::kBool);
  EXPECT_EQ(TypeOf("tags.filter(t, size(t) > 2)").kind(), Type::Kind::kList);
  EXPECT_EQ(TypeOf("extra.discount").kind(), Type::Kind::kDyn);
  EXPECT_EQ(TypeOf("extra.discount + 1").kind(), Type::Kind::kInt);
  EXPECT_EQ(TypeOf("type(1) == int").kind(), Type::Kind::kBool);
  EXPECT_EQ(TypeOf("true ? 1 : 2").kind(), Type::Kind::kInt);
}

TEST(CelChecker, RefusesCallsAndOperandsOfTheWrongType) {
  EXPECT_EQ(CompileError("tags.all(t, size(t))", PricingLikeEnv()),
            "1:6: no matching overload for '_&&_' applied to (bool, int)");
  EXPECT_EQ(CompileError("true ? 1 : 'a'"),
            "1:6: no matching overload for '_?_:_' applied to (bool, int, string)");
  EXPECT_EQ(CompileError("1.field"), "1:2: type 'int' does not support field selection");
  EXPECT_EQ(CompileError("{[1]: 2}"), "1:2: unsupported map key type: list(int)");
  EXPECT_EQ(CompileError("1.all(x, true)"),
            "1:1: expression of type 'int' cannot be the range of a comprehension (it must be a "
            "list or a map)");
  EXPECT_EQ(CompileError("'a'.matches('(')"), "1:13: invalid regular expression: missing ): (");
}

TEST(CelChecker, ChecksTheResultTypeWhenAsked) {
  CompileOptions must_be_int;
  must_be_int.result = Type::Int();
  EXPECT_EQ(CompileError("price > 10", PricingLikeEnv(), must_be_int),
            "1:1: expression must be of type int, not bool");
  EXPECT_EQ(CompileError("price + 10", PricingLikeEnv(), must_be_int), "");
  // dyn may turn out to be an int; that is checked when it runs.
  EXPECT_EQ(CompileError("extra.fee", PricingLikeEnv(), must_be_int), "");
}

TEST(CelChecker, ReportsEveryProblemNotJustTheFirst) {
  Compilation compiled = PricingLikeEnv().Compile("a + b");
  ASSERT_EQ(compiled.issues.size(), 2u);
  EXPECT_EQ(compiled.ErrorText(),
            "1:1: undeclared reference to 'a'\n1:5: undeclared reference to 'b'");
}

TEST(CelChecker, AssignabilityTreatsDynAsAnything) {
  EXPECT_TRUE(IsAssignable(Type::Int(), Type::Dyn()));
  EXPECT_TRUE(IsAssignable(Type::List(Type::Dyn()), Type::List(Type::Int())));
  EXPECT_FALSE(IsAssignable(Type::Int(), Type::Double()));
  EXPECT_FALSE(IsAssignable(Type::List(Type::Int()), Type::List(Type::String())));
}

}  // namespace
}  // namespace travio::cel
