#include "services/pricing/domain/rule_program.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::pricing {
namespace {

PricingRule Rule(std::string when, std::string adjust) {
  return PricingRule{
      .id = "r1",
      .org_id = "o1",
      .spec = RuleDraft{
          .name = "test", .priority = 0, .when = std::move(when), .adjust = std::move(adjust)}};
}

std::vector<FieldError> Errors(const std::string& when, const std::string& adjust) {
  absl::StatusOr<CompiledRule> compiled = CompileRule(RuleEnv(), Rule(when, adjust), {});
  EXPECT_FALSE(compiled.ok());
  EXPECT_TRUE(IsReason(compiled.status(), reasons::kInvalidExpression)) << compiled.status();
  return FieldErrorsOf(compiled.status());
}

TEST(RuleProgram, CompilesTheApisVariables) {
  ASSERT_OK(CompileRule(RuleEnv(),
                        Rule("trip.departure.getDayOfWeek('Asia/Dhaka') in [5, 6] && "
                             "trip.hours_to_departure > 0 && trip.ac && "
                             "journey.legs >= 1 && seat.category == 'ladies' && "
                             "seat.deck == 1 && occupancy > 80 && passengers < 4 && "
                             "now < trip.departure && trip.bus_class != '' && "
                             "journey.from != journey.to && trip.route_id != trip.id && "
                             "seat.label.startsWith('A')",
                             "price + price / 10"),
                        {}));
}

TEST(RuleProgram, NamesTheFieldLineAndColumnOfEachProblem) {
  std::vector<FieldError> errors = Errors("trp.departure.getDayOfWeek() == 5", "price\n + 1.0");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], (FieldError{"when", "undeclared reference to 'trp'", 1, 1}));
  EXPECT_EQ(
      errors[1],
      (FieldError{"adjust", "no matching overload for '_+_' applied to (int, double)", 2, 2}));
}

TEST(RuleProgram, CatchesMisspeltFieldsWhenSaved) {
  std::vector<FieldError> errors = Errors("trip.departur > now", "price");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "when");
  EXPECT_EQ(errors[0].message,
            "undefined field 'departur' of trip (it has ac, bus_class, departure, "
            "hours_to_departure, id, route_id)");
}

TEST(RuleProgram, WhenIsABoolAndAdjustAnInt) {
  EXPECT_EQ(Errors("price", "price")[0].message, "expression must be of type bool, not int");
  EXPECT_EQ(Errors("true", "price > 10")[0].message, "expression must be of type int, not bool");
  EXPECT_EQ(Errors("true", "double(price) * 1.1")[0].message,
            "expression must be of type int, not double");
  ASSERT_OK(CompileRule(RuleEnv(), Rule("true", "int(double(price) * 1.1)"), {}));
}

TEST(RuleProgram, PatternsAndZonesMustBeWrittenOut) {
  // Rules run on every hold and search: a pattern or zone name built from a seat or a trip would
  // be compiled or looked up (and cached) at run time.
  EXPECT_EQ(Errors("seat.label.matches(seat.category)", "price")[0].message,
            "matches() takes a literal pattern here ('^A[0-9]+$')");
  EXPECT_EQ(Errors("trip.departure.getHours(trip.bus_class) > 20", "price")[0].message,
            "a time zone must be written as a literal ('Asia/Dhaka')");
  EXPECT_EQ(Errors("trip.departure.getHours('Asia/Dhakka') > 20", "price")[0].message,
            "unknown time zone \"Asia/Dhakka\"");
  ASSERT_OK(CompileRule(RuleEnv(),
                        Rule("seat.label.matches('^[A-C][0-9]+$') && "
                             "trip.departure.getHours('+06:00') > 20",
                             "price"),
                        {}));
}

TEST(RuleProgram, KnowsWhetherARuleTellsSeatsOfAKindApart) {
  auto reads = [](const std::string& when, const std::string& adjust) {
    auto compiled = CompileRule(RuleEnv(), Rule(when, adjust), {});
    EXPECT_OK(compiled);
    return compiled.ok() && compiled->reads_seat_label;
  };
  EXPECT_FALSE(reads("seat.category == 'ladies' && seat.deck == 2", "price"));
  EXPECT_TRUE(reads("seat.label in ['A1', 'A2']", "price"));
  EXPECT_TRUE(reads("has(seat.label)", "price"));
  EXPECT_TRUE(reads("true", "size(seat) * price"));
}

TEST(RuleProgram, ANamesLengthIsCountedInCharactersNotBytes) {
  // Forty Bangla letters are 120 bytes: well within a hundred characters.
  std::string bangla;
  for (int i = 0; i < 40; ++i) bangla += "\u0988";  // ঈ
  RuleDraft draft{.name = bangla, .priority = 0, .when = "true", .adjust = "price"};
  EXPECT_OK(ValidateDraft(draft));
  draft.name = std::string(101, 'a');
  EXPECT_EQ(FieldErrorsOf(ValidateDraft(draft)),
            (std::vector<FieldError>{{"name", "at most 100 characters"}}));
}

}  // namespace
}  // namespace travio::pricing
