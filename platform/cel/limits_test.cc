#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/cel/cel_test_support.h"
#include "platform/testing/status_matchers.h"

namespace travio::cel {
namespace {

using ::testing::HasSubstr;
using testing::RunCel;
using ::travio::testing::StatusIs;

TEST(CelLimits, ComprehensionIterationsAreBudgeted) {
  CompileOptions options;
  options.limits.max_iterations = 100;
  auto value = RunCel(
      "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(x, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"
      ".all(y, x * y > 0))",
      {}, Env(), options);
  EXPECT_THAT(value, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(value.status().message(), "comprehensions exceeded the budget of 100 iterations");
  options.limits.max_iterations = 110;
  EXPECT_TRUE(RunCel("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(x, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"
                     ".all(y, x * y > 0))",
                     {}, Env(), options)
                  ->bool_value());
}

TEST(CelLimits, ExhaustingTheBudgetIsNotAbsorbedByLogic) {
  // An error on one side of || is ignored when the other side is true; running out of budget
  // is not an error of the expression, and must stop it all the same.
  CompileOptions options;
  options.limits.max_iterations = 10;
  auto value =
      RunCel("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].all(x, x > 0) || true", {}, Env(), options);
  EXPECT_THAT(value, StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(CelLimits, CostIsBudgetedPerEvaluation) {
  // Doubling a string 20 times is cheap to write and expensive to run.
  std::string expression = "'ab'";
  CompileOptions options;
  options.limits.max_cost = 2000;
  Env env;
  env.Declare("s", Type::List(Type::Int()));
  List hundred(100, Value(int64_t{1}));
  auto value = RunCel("s.map(x, s.map(y, s.map(z, x + y + z)))", {{"s", hundred}}, env, options);
  EXPECT_THAT(value, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(value.status().message(), HasSubstr("cost exceeded the budget of 2000"));
}

TEST(CelLimits, EvaluationsDoNotShareBudgets) {
  Env env;
  env.Declare("n", Type::List(Type::Int()));
  CompileOptions options;
  options.limits.max_iterations = 5;
  Compilation compiled = env.Compile("n.all(x, x > 0)", options);
  ASSERT_TRUE(compiled.ok());
  List four(4, Value(int64_t{1}));
  for (int i = 0; i < 3; ++i) {
    auto value = compiled.program->Evaluate({{"n", four}});
    ASSERT_TRUE(value.ok()) << value.status();
  }
}

TEST(CelLimits, LongAndDeepExpressionsAreRefusedWhenCompiled) {
  CompileOptions options;
  options.limits.max_length = 50;
  Compilation compiled = Env().Compile(std::string(60, '1'), options);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.ErrorText(), "1:1: expression is too long: 60 bytes, the limit is 50");
  options.limits = Limits{};
  options.limits.max_depth = 12;
  compiled = Env().Compile("[[[[[[[[[[[[[1]]]]]]]]]]]]]", options);
  ASSERT_FALSE(compiled.ok());
  EXPECT_THAT(compiled.ErrorText(), HasSubstr("the limit is 12 levels"));
}

}  // namespace
}  // namespace travio::cel
