#include "services/fulfillment/domain/ticket.h"

#include "absl/strings/ascii.h"

namespace travio::fulfillment {
namespace {

constexpr size_t kNumberLength = 10;

}  // namespace

std::optional<std::string> TicketNumberFrom(std::string_view random) {
  const size_t alphabet = kTicketNumberAlphabet.size();
  const size_t unbiased = 256 - 256 % alphabet;  // bytes below this map evenly
  std::string number;
  for (unsigned char byte : random) {
    if (byte >= unbiased) continue;
    if (number.size() == 5) number.push_back('-');
    number.push_back(kTicketNumberAlphabet[byte % alphabet]);
    if (number.size() == kNumberLength + 1) return number;
  }
  return std::nullopt;
}

std::optional<std::string> CanonicalTicketNumber(std::string_view text) {
  std::string characters;
  for (char c : text) {
    if (c == '-') continue;
    const char upper = absl::ascii_toupper(static_cast<unsigned char>(c));
    if (kTicketNumberAlphabet.find(upper) == std::string_view::npos) return std::nullopt;
    characters.push_back(upper);
  }
  if (characters.size() != kNumberLength) return std::nullopt;
  return characters.substr(0, 5) + "-" + characters.substr(5);
}

}  // namespace travio::fulfillment
