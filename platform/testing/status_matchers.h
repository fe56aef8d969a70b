#pragma once

// Assertions on absl::Status and absl::StatusOr that print the status when they fail (a bare
// ASSERT_TRUE(x.ok()) prints only "false"):
//
//   ASSERT_OK(store.Save(order));                  // a Status or a StatusOr
//   ASSERT_OK_AND_ASSIGN(Order order, store.Find(id));
//   EXPECT_THAT(service.Pay(command), StatusIs(absl::StatusCode::kFailedPrecondition,
//                                              "order_expired"));

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/base/errors.h"

namespace travio::testing {

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& value) {
  return value.status();
}

/// Success, or a failure that says which status it was.
template <typename T>
::testing::AssertionResult IsOkResult(const T& value) {
  const absl::Status& status = StatusOf(value);
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "status: " << status;
}

/// Matches an OK Status or StatusOr; a mismatch is explained with the status.
MATCHER(IsOk, "is OK") {
  const absl::Status& status = ::travio::testing::StatusOf(arg);
  if (!status.ok()) *result_listener << "whose status is " << status;
  return status.ok();
}

/// Matches a failed Status or StatusOr with `code` (and, when given, the reason of
/// platform/base/errors.h); a mismatch is explained with the status.
MATCHER_P(StatusIs, code, "has status code " + ::testing::PrintToString(code)) {
  const absl::Status& status = ::travio::testing::StatusOf(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, reason,
           "has status code " + ::testing::PrintToString(code) + " and reason " +
               ::testing::PrintToString(std::string(reason))) {
  const absl::Status& status = ::travio::testing::StatusOf(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code && ::travio::ReasonOf(status) == std::string(reason);
}

/// Matches a failed Status or StatusOr whose reason is `reason`, whatever its code.
MATCHER_P(HasReason, reason, "has reason " + ::testing::PrintToString(std::string(reason))) {
  const absl::Status& status = ::travio::testing::StatusOf(arg);
  *result_listener << "whose status is " << status;
  return ::travio::ReasonOf(status) == std::string(reason);
}

}  // namespace travio::testing

#define TRAVIO_STATUS_CONCAT_INNER(a, b) a##b
#define TRAVIO_STATUS_CONCAT(a, b) TRAVIO_STATUS_CONCAT_INNER(a, b)

/// Fails the test (fatally, or not) unless `expression` (a Status or a StatusOr) is OK, printing
/// the status. More can be streamed in: ASSERT_OK(x) << "while ...".
#define ASSERT_OK(expression) ASSERT_TRUE(::travio::testing::IsOkResult(expression))
#define EXPECT_OK(expression) EXPECT_TRUE(::travio::testing::IsOkResult(expression))

/// Evaluates `expression` (a StatusOr) once, fails the test fatally with its status unless it is
/// OK, and moves its value into `declaration` ("auto order", "Order order" or an existing name).
#define ASSERT_OK_AND_ASSIGN(declaration, expression)                                       \
  ASSERT_OK_AND_ASSIGN_IMPL(TRAVIO_STATUS_CONCAT(travio_status_or_, __LINE__), declaration, \
                            expression)
#define ASSERT_OK_AND_ASSIGN_IMPL(holder, declaration, expression) \
  auto holder = (expression);                                      \
  ASSERT_OK(holder);                                               \
  declaration = std::move(holder).value()
