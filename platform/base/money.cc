#include "platform/base/money.h"

#include <cstdlib>

namespace travio {

std::string FormatAmount(int64_t minor_units) {
  const int64_t magnitude = std::llabs(minor_units);
  const int64_t cents = magnitude % 100;
  // Built forward: GCC 12 at -O3 misreads std::string::insert here (-Wrestrict).
  const std::string digits = std::to_string(magnitude / 100);
  std::string text = minor_units < 0 ? "-" : "";
  text.reserve(text.size() + digits.size() + digits.size() / 3 + 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text.push_back(',');
    text.push_back(digits[i]);
  }
  text.push_back('.');
  text.push_back(static_cast<char>('0' + cents / 10));
  text.push_back(static_cast<char>('0' + cents % 10));
  return text;
}

}  // namespace travio
