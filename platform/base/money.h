#pragma once

#include <cstdint>
#include <string>

namespace travio {

/// An amount of money in the currency's minor units (poisha for BDT), with its ISO 4217 code.
/// Every service counts money this way; none uses floating point.
struct Money {
  int64_t amount = 0;
  std::string currency;
  bool operator==(const Money&) const = default;
};

/// `minor_units` written with two decimals and thousands grouped by commas ("-1,500.00"): the
/// number people read on a ticket or in an email, before any currency or script is added. The
/// currencies of the markets served have two decimals (BDT, INR, USD, EUR).
std::string FormatAmount(int64_t minor_units);

}  // namespace travio
