#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
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

TEST(CelLimits, LongStringsAndBigMapsCostWhatTheyTake) {
  // A substring search compares every position with the whole needle; comparing maps looks up
  // every key: neither is one step.
  CompileOptions options;
  options.limits.max_cost = 10000;
  Activation strings{{"s", std::string(20000, 'a')}, {"t", std::string(10000, 'a') + "b"}};
  EXPECT_THAT(RunCel("s.contains(t)", strings, Env(), options),
              StatusIs(absl::StatusCode::kResourceExhausted));
  std::vector<std::pair<Value, Value>> entries;
  for (int i = 0; i < 3000; ++i) entries.emplace_back(Value(int64_t{i}), Value(true));
  Activation maps{{"m", testing::Map(entries)}};
  EXPECT_THAT(RunCel("m == m", maps, Env(), options),
              StatusIs(absl::StatusCode::kResourceExhausted));
  // Small ones stay cheap.
  EXPECT_TRUE(RunCel("'abc'.contains('b') && {1: 2} == {1: 2}", {}, Env(), options)->bool_value());
}

TEST(CelLimits, APatternMadeWhileEvaluatingIsChargedForItsCompilation) {
  CompileOptions options;
  options.limits.max_cost = 1000;
  auto value = RunCel(
      "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]"
      ".all(i, !'x'.matches(string(i) + 'a'))",
      {}, Env(), options);
  EXPECT_THAT(value, StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(CelLimits, LiteralPatternsOnlyRefusesPatternsAndZonesMadeAtRunTime) {
  CompileOptions options;
  options.limits.literal_patterns_only = true;
  Env env;
  env.Declare("s", Type::String());
  env.Declare("now", Type::Timestamp());
  EXPECT_EQ(testing::CompileError("'x'.matches(s)", env, options),
            "1:13: matches() takes a literal pattern here ('^A[0-9]+$')");
  EXPECT_EQ(testing::CompileError("now.getHours(s)", env, options),
            "1:14: a time zone must be written as a literal ('Asia/Dhaka')");
  EXPECT_EQ(testing::CompileError("now.getHours('Mars/Olympus')", env, options),
            "1:14: unknown time zone \"Mars/Olympus\"");
  // Literals, and what folds into one, are fine.
  EXPECT_EQ(testing::CompileError("'x'.matches('^[a-z]' + '+$') && now.getHours('Asia/' + "
                                  "'Dhaka') >= 0",
                                  env, options),
            "");
  // Without the option the same expressions compile (the conformance suite's setting).
  EXPECT_EQ(testing::CompileError("'x'.matches(s) && now.getHours(s) > 0", env), "");
}

TEST(CelLimits, EvaluationsReportTheStepsTheyTook) {
  Env env;
  env.Declare("n", Type::List(Type::Int()));
  Compilation compiled = env.Compile("n.all(x, x > 0)");
  ASSERT_TRUE(compiled.ok());
  int64_t spent = 0;
  EvaluationOptions options;
  options.cost = &spent;
  ASSERT_TRUE(compiled.program->Evaluate({{"n", List(10, Value(int64_t{1}))}}, options).ok());
  EXPECT_GT(spent, 10);
  const int64_t once = spent;
  ASSERT_TRUE(compiled.program->Evaluate({{"n", List(10, Value(int64_t{1}))}}, options).ok());
  EXPECT_EQ(spent, 2 * once);
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

// `[[a, a]]` doubles a value's expanded size in a few steps, since lists are shared: `levels`
// nested macros, each binding a list of the previous level's value twice, then `innermost` on
// the last one's variable (`v59 == v59`).
std::string DoublingLists(int levels, const std::string& innermost) {
  std::string expression = "[[1]]";
  std::string closing;
  for (int i = 0; i < levels; ++i) {
    const std::string name = absl::StrCat("v", i);
    const std::string next = i + 1 < levels ? absl::StrCat("[[v", i, ", v", i, "]]") : "";
    absl::StrAppend(&expression, ".exists(", name, ", ", next);
    closing += ")";
  }
  const std::string last = absl::StrCat("v", levels - 1);
  return absl::StrCat(expression, absl::StrReplaceAll(innermost, {{"x", last}}), closing);
}

TEST(CelLimits, ComparingSharedListsIsChargedBeforeTheWalk) {
  // 60 levels: a value of 2^60 elements, built in 60 iterations. Comparing it must fail on its
  // cost at once, not walk it (which would never end).
  CompileOptions options;
  options.limits.max_depth = 1000;
  for (const std::string innermost : {"x == x", "x != x", "x in [x]"}) {
    auto value = RunCel(DoublingLists(60, innermost), {}, Env(), options);
    EXPECT_THAT(value, StatusIs(absl::StatusCode::kResourceExhausted)) << innermost;
    EXPECT_THAT(value.status().message(), HasSubstr("cost exceeded")) << innermost;
  }
  // A few levels stay within the budget and compare as they should.
  EXPECT_TRUE(RunCel(DoublingLists(4, "x == x"), {}, Env(), options)->bool_value());
  EXPECT_FALSE(RunCel(DoublingLists(4, "x != x"), {}, Env(), options)->bool_value());
  EXPECT_TRUE(RunCel(DoublingLists(4, "x in [x]"), {}, Env(), options)->bool_value());
}

TEST(CelLimits, WalkCostStopsPastItsLimit) {
  Value value = Value(List{Value(int64_t{1})});
  for (int i = 0; i < 60; ++i) value = Value(List{value, value});
  EXPECT_GT(WalkCost(value, 1000), 1000);
  EXPECT_LE(WalkCost(value, 1000), 1002);
  EXPECT_EQ(WalkCost(Value(List{Value(int64_t{1}), Value(List{Value(int64_t{2})})}), 1000), 3);
}

TEST(CelLimits, TypesThatDoubleAtEveryLevelAreRefusedWhenCompiled) {
  // `{v0: v0}` over `{v1: v1}` ...: each level's type holds the previous one twice, so 40
  // levels would make a type of 2^40 parts while the expression is checked.
  std::string expression = "[1]";
  std::string closing;
  for (int i = 0; i < 40; ++i) {
    absl::StrAppend(&expression, ".exists(v", i, ", ", i + 1 < 40 ? "[{" : "true");
    if (i + 1 < 40) absl::StrAppend(&expression, "v", i, ": v", i, "}]");
    closing += ")";
  }
  CompileOptions options;
  options.limits.max_depth = 1000;
  Compilation compiled = Env().Compile(expression + closing, options);
  ASSERT_FALSE(compiled.ok());
  EXPECT_THAT(compiled.ErrorText(), HasSubstr("the expression's type is too complex"));
  EXPECT_LT(compiled.ErrorText().size(), 20000u);
}

}  // namespace
}  // namespace travio::cel
