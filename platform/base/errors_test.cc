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

TEST(Errors, ProblemListsRoundTripAndAreAbsentByDefault) {
  EXPECT_FALSE(travio::ProblemListOf(absl::AbortedError("x")).has_value());
  const absl::Status status =
      travio::WithProblemList(absl::AlreadyExistsError("taken"), {"unavailable", {"A2", "B\n1"}});
  EXPECT_EQ(travio::ProblemListOf(status), (travio::ProblemList{"unavailable", {"A2", "B 1"}}));
  const absl::Status empty =
      travio::WithProblemList(absl::AlreadyExistsError("taken"), {"unavailable", {}});
  EXPECT_EQ(travio::ProblemListOf(empty), (travio::ProblemList{"unavailable", {}}));
}
