#include "platform/base/errors.h"

#include <gtest/gtest.h>

namespace travio {
namespace {

TEST(Errors, ReasonSurvivesCopies) {
  absl::Status status = Error(absl::StatusCode::kAlreadyExists, "slug_taken", "slug in use");
  absl::Status copy = status;
  EXPECT_EQ(ReasonOf(copy), "slug_taken");
  EXPECT_EQ(copy.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ReasonOf(absl::InternalError("x")), "");
}

TEST(Errors, FieldErrorsRoundTripAndAreSanitised) {
  std::vector<FieldError> errors = {{"email", "must contain @"}, {"pass\tword", "too\nshort"}};
  absl::Status status = WithFieldErrors(absl::InvalidArgumentError("bad input"), errors);
  std::vector<FieldError> expected = {{"email", "must contain @"}, {"pass word", "too short"}};
  EXPECT_EQ(FieldErrorsOf(status), expected);
  EXPECT_TRUE(FieldErrorsOf(absl::InvalidArgumentError("x")).empty());
  // An expression's field error keeps its place.
  std::vector<FieldError> placed = {{"when", "undeclared reference to 'trp'", 2, 7}};
  EXPECT_EQ(FieldErrorsOf(WithFieldErrors(absl::InvalidArgumentError("x"), placed)), placed);
}

}  // namespace
}  // namespace travio

TEST(Errors, RetryAfterRoundTripsAndIsAbsentByDefault) {
  const absl::Status plain = absl::ResourceExhaustedError("slow down");
  EXPECT_FALSE(travio::RetryAfterOf(plain).has_value());
  const absl::Status throttled = travio::WithRetryAfter(plain, absl::Milliseconds(1500));
  ASSERT_TRUE(travio::RetryAfterOf(throttled).has_value());
  EXPECT_EQ(*travio::RetryAfterOf(throttled), absl::Milliseconds(1500));
}

TEST(Errors, ProblemFieldsRoundTripWhateverTheyHold) {
  const std::vector<travio::ProblemField> fields = {{"quota", std::string("buses")},
                                            {"limit", int64_t{3}},
                                            {"used", int64_t{-1}},
                                            {"odd:name\n", std::string("12:x\ns")},
                                            {"empty", std::string()}};
  const absl::Status status = travio::WithProblemFields(absl::ResourceExhaustedError("full"), fields);
  EXPECT_EQ(travio::ProblemFieldsOf(status), fields);
  EXPECT_TRUE(travio::ProblemFieldsOf(absl::ResourceExhaustedError("full")).empty());
  absl::Status garbled = absl::ResourceExhaustedError("full");
  garbled.SetPayload("type.travio.dev/problem_fields", absl::Cord("9:quota"));
  EXPECT_TRUE(travio::ProblemFieldsOf(garbled).empty());
}

TEST(Errors, ProblemListsRoundTripAndAreAbsentByDefault) {
  EXPECT_FALSE(travio::ProblemListOf(absl::AbortedError("x")).has_value());
  const absl::Status status =
      travio::WithProblemList(absl::AlreadyExistsError("taken"), {"unavailable", {"A2", "B\n1"}});
  EXPECT_EQ(travio::ProblemListOf(status), (travio::ProblemList{"unavailable", {"A2", "B 1"}}));
  const absl::Status empty =
      travio::WithProblemList(absl::AlreadyExistsError("taken"), {"unavailable", {}});
  EXPECT_EQ(travio::ProblemListOf(empty), (travio::ProblemList{"unavailable", {}}));
}
