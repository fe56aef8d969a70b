#include "services/payment/domain/card.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::payment {

std::string NormalizeCardNumber(std::string_view typed) {
  std::string digits;
  for (char c : typed) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != ' ' && c != '-') {
      return "";
    }
  }
  return digits;
}

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool double_it = false;
  for (size_t i = digits.size(); i-- > 0;) {
    if (digits[i] < '0' || digits[i] > '9') return false;
    int digit = digits[i] - '0';
    if (double_it) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

absl::Status ValidateCard(const Card& card, absl::Time now) {
  std::vector<FieldError> errors;
  if (card.number.size() < 12 || card.number.size() > 19 || !LuhnValid(card.number)) {
    errors.push_back({"method.number", "is not a card number"});
  }
  const bool month_ok = card.exp_month >= 1 && card.exp_month <= 12;
  if (!month_ok) errors.push_back({"method.exp_month", "must be 1 to 12"});
  if (card.exp_year < 2000 || card.exp_year > 2100) {
    errors.push_back({"method.exp_year", "must be a four-digit year"});
  } else if (month_ok) {
    const absl::CivilMonth today = absl::ToCivilMonth(now, absl::UTCTimeZone());
    if (absl::CivilMonth(card.exp_year, card.exp_month) < today) {
      errors.push_back({"method.exp_year", "the card has expired"});
    }
  }
  const bool cvc_digits = card.cvc.find_first_not_of("0123456789") == std::string::npos;
  if (card.cvc.size() < 3 || card.cvc.size() > 4 || !cvc_digits) {
    errors.push_back({"method.cvc", "must be 3 or 4 digits"});
  }
  if (errors.empty()) return absl::OkStatus();
  return WithFieldErrors(Error(reasons::kInvalidCard, "The card is not valid."), errors);
}

std::string CardBrand(std::string_view digits) {
  if (digits.starts_with("4")) return "visa";
  if (digits.size() >= 2 && digits[0] == '5' && digits[1] >= '1' && digits[1] <= '5') {
    return "mastercard";
  }
  if (digits.starts_with("34") || digits.starts_with("37")) return "amex";
  return "card";
}

std::string LastFour(std::string_view digits) {
  return std::string(digits.size() <= 4 ? digits : digits.substr(digits.size() - 4));
}

SandboxOutcome SandboxDecision(std::string_view digits) {
  if (digits == "4000000000000002") return SandboxOutcome::kDeclined;
  if (digits == "4000000000009995") return SandboxOutcome::kInsufficientFunds;
  return SandboxOutcome::kApproved;
}

}  // namespace travio::payment
