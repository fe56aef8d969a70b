#include "platform/rpc/caller_policy.h"

#include <gtest/gtest.h>

#include "platform/testing/status_matchers.h"

namespace travio::rpc {
namespace {

using testing::StatusIs;

constexpr char kPayment[] = "travio.payment.v1.PaymentService";

TEST(CallerPolicy, AllowsOnlyTheNamedCallersOfEachMethod) {
  CallerPolicy policy;
  policy.Allow(kPayment, "Refund", "order");
  policy.Allow(kPayment, "GetPayment", "order");
  policy.Allow(kPayment, "GetPayment", "gateway");

  EXPECT_OK(policy.Check("/travio.payment.v1.PaymentService/Refund", "order"));
  EXPECT_OK(policy.Check("/travio.payment.v1.PaymentService/GetPayment", "gateway"));
  const absl::Status search = policy.Check("/travio.payment.v1.PaymentService/Refund", "search");
  EXPECT_THAT(search, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(search.message(), "search may not call /travio.payment.v1.PaymentService/Refund");
  EXPECT_THAT(policy.Check("/travio.payment.v1.PaymentService/Refund", "gateway"),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(CallerPolicy, RefusesUnlistedMethodsNamelessCallersAndLookalikePaths) {
  CallerPolicy policy;
  policy.Allow(kPayment, "Refund", "order");
  // A method nobody listed is closed, even to a caller of its neighbours.
  EXPECT_THAT(policy.Check("/travio.payment.v1.PaymentService/PayOutRefund", "order"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // A certificate without a single common name names nobody.
  EXPECT_THAT(policy.Check("/travio.payment.v1.PaymentService/Refund", ""),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Paths match exactly: no prefix, case or missing-slash tricks.
  for (const char* path :
       {"/travio.payment.v1.PaymentService/Refun", "/travio.payment.v1.PaymentService/RefundX",
        "/travio.payment.v1.paymentservice/Refund", "travio.payment.v1.PaymentService/Refund",
        ""}) {
    EXPECT_THAT(policy.Check(path, "order"), StatusIs(absl::StatusCode::kPermissionDenied)) << path;
  }
  EXPECT_THAT(policy.Check("/travio.payment.v1.PaymentService/Refund", "Order"),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

}  // namespace
}  // namespace travio::rpc
