#include "services/payment/domain/card.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::payment {
namespace {

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 29, 12, 0, 0), absl::UTCTimeZone());

Card Valid(std::string number = "4242424242424242") {
  return Card{.number = std::move(number), .exp_month = 12, .exp_year = 2030, .cvc = "123"};
}

TEST(CardTest, TheSandboxTestCardsAreValidAndDecideAsApiMdSays) {
  for (const char* number : {"4242424242424242", "4000000000000002", "4000000000009995"}) {
    EXPECT_OK(ValidateCard(Valid(number), kNow)) << number;
  }
  EXPECT_EQ(SandboxDecision("4242424242424242"), SandboxOutcome::kApproved);
  EXPECT_EQ(SandboxDecision("4000000000000002"), SandboxOutcome::kDeclined);
  EXPECT_EQ(SandboxDecision("4000000000009995"), SandboxOutcome::kInsufficientFunds);
  EXPECT_EQ(SandboxDecision("5555555555554444"), SandboxOutcome::kApproved);
}

TEST(CardTest, NumbersAreNormalisedAndChecked) {
  EXPECT_EQ(NormalizeCardNumber("4242 4242-4242 4242"), "4242424242424242");
  EXPECT_EQ(NormalizeCardNumber("4242x4242"), "");
  EXPECT_TRUE(LuhnValid("79927398713"));  // the classic example
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_FALSE(LuhnValid(""));
  EXPECT_EQ(CardBrand("4242424242424242"), "visa");
  EXPECT_EQ(CardBrand("5555555555554444"), "mastercard");
  EXPECT_EQ(CardBrand("378282246310005"), "amex");
  EXPECT_EQ(LastFour("4242424242424242"), "4242");
}

TEST(CardTest, EveryProblemIsNamed) {
  Card bad{.number = "4242424242424241", .exp_month = 13, .exp_year = 26, .cvc = "12a"};
  const absl::Status status = ValidateCard(bad, kNow);
  EXPECT_EQ(ReasonOf(status), "invalid_card");
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(status)) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"method.number", "method.exp_month",
                                              "method.exp_year", "method.cvc"}));
}

TEST(CardTest, ACardIsValidThroughTheEndOfItsMonth) {
  Card card = Valid();
  card.exp_year = 2026;
  card.exp_month = 11;
  EXPECT_OK(ValidateCard(card, kNow));
  card.exp_month = 10;
  EXPECT_EQ(FieldErrorsOf(ValidateCard(card, kNow)).at(0).message, "the card has expired");
}

}  // namespace
}  // namespace travio::payment
