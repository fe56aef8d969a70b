#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace travio::payment {

/// A card as a payment request carries it. Never stored or logged whole: only the last four
/// digits and the brand leave the request.
struct Card {
  std::string number;  // digits only, after NormalizeCardNumber
  int exp_month = 0;
  int exp_year = 0;  // four digits
  std::string cvc;
};

/// The digits of a card number as typed ("4242 4242-4242 4242"); empty when anything but
/// digits, spaces and dashes appears.
std::string NormalizeCardNumber(std::string_view typed);

/// The Luhn checksum every card number carries.
bool LuhnValid(std::string_view digits);

/// kInvalidArgument `invalid_card` with a field error per problem (`method.number`,
/// `method.exp_month`, `method.exp_year`, `method.cvc`): 12 to 19 digits passing Luhn, a month
/// 1 to 12, not expired at `now` (valid through the end of its month, UTC), a CVC of 3 or 4
/// digits.
absl::Status ValidateCard(const Card& card, absl::Time now);

/// "visa", "mastercard", "amex" or "card", from the number's prefix.
std::string CardBrand(std::string_view digits);
/// The last four digits.
std::string LastFour(std::string_view digits);

/// How the sandbox provider answers a card (api.md's test cards): 4242424242424242 approved,
/// 4000000000000002 declined, 4000000000009995 insufficient funds; any other valid card
/// approved.
enum class SandboxOutcome { kApproved, kDeclined, kInsufficientFunds };
SandboxOutcome SandboxDecision(std::string_view digits);

}  // namespace travio::payment
