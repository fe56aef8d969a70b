#include "services/order/domain/refund_policy.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::order {
namespace {

const absl::Time kDeparture = absl::FromUnixSeconds(1'800'000'000);

RefundQuote Quote(absl::Duration before, int64_t paid = 150000) {
  auto quote = QuoteRefund(DefaultRefundPolicy(), paid, kDeparture, kDeparture - before);
  EXPECT_OK(quote);
  return quote.value_or(RefundQuote{});
}

TEST(RefundPolicyTest, TheDefaultTiersApplyAtTheirBoundaries) {
  EXPECT_EQ(Quote(absl::Hours(72)).refund, 135000);  // 90%
  EXPECT_EQ(Quote(absl::Hours(48)).percent, 90);     // exactly 48 h: still the first tier
  EXPECT_EQ(Quote(absl::Hours(48) - absl::Seconds(1)).percent, 75);
  EXPECT_EQ(Quote(absl::Hours(24)).tier, "24h");
  EXPECT_EQ(Quote(absl::Hours(6)).percent, 50);
  const RefundQuote late = Quote(absl::Hours(6) - absl::Seconds(1));
  EXPECT_EQ(late.refund, 0);
  EXPECT_EQ(late.fee, 150000);
  EXPECT_EQ(late.tier, "none");
}

TEST(RefundPolicyTest, AQuoteIsValidUntilItsTierEnds) {
  EXPECT_EQ(Quote(absl::Hours(72)).valid_until, kDeparture - absl::Hours(48));
  EXPECT_EQ(Quote(absl::Hours(30)).valid_until, kDeparture - absl::Hours(24));
  EXPECT_EQ(Quote(absl::Hours(7)).valid_until, kDeparture - absl::Hours(6));
  EXPECT_EQ(Quote(absl::Hours(1)).valid_until, kDeparture);  // nothing back, until departure
}

TEST(RefundPolicyTest, RefundsRoundDownAndTheFeeTakesTheRest) {
  const RefundQuote quote = Quote(absl::Hours(30), 99999);  // 75% of 999.99
  EXPECT_EQ(quote.refund, 74999);
  EXPECT_EQ(quote.fee, 25000);
  EXPECT_EQ(quote.refund + quote.fee, 99999);
}

TEST(RefundPolicyTest, DepartedTripsAndBadAmountsAreRefused) {
  EXPECT_EQ(ReasonOf(QuoteRefund(DefaultRefundPolicy(), 100, kDeparture, kDeparture).status()),
            "not_cancellable");
  EXPECT_EQ(
      ReasonOf(
          QuoteRefund(DefaultRefundPolicy(), -1, kDeparture, kDeparture - absl::Hours(1)).status()),
      "invalid_amount");
}

TEST(RefundPolicyTest, PoliciesMustShrinkInNoticeAndNeverGrowInPercent) {
  EXPECT_OK(ValidateRefundPolicy(DefaultRefundPolicy()));
  const RefundPolicy bad{{{absl::Hours(24), 50}, {absl::Hours(48), 90}, {absl::Hours(1), 120}}};
  const absl::Status status = ValidateRefundPolicy(bad);
  EXPECT_EQ(ReasonOf(status), "invalid_refund_policy");
  // tiers[1]: a longer notice, a higher percent; tiers[2]: above 100, higher than tiers[1].
  EXPECT_EQ(FieldErrorsOf(status).size(), 4u);
  EXPECT_FALSE(ValidateRefundPolicy(RefundPolicy{}).ok());
  EXPECT_FALSE(ValidateRefundPolicy(RefundPolicy{{{absl::ZeroDuration(), 10}}}).ok());
  // Policies are kept to the minute.
  EXPECT_EQ(FieldErrorsOf(ValidateRefundPolicy(RefundPolicy{{{absl::Seconds(90), 10}}})).size(),
            1u);
  EXPECT_OK(ValidateRefundPolicy(RefundPolicy{{{absl::Minutes(90), 10}}}));
}

}  // namespace
}  // namespace travio::order
