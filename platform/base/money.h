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

}  // namespace travio
