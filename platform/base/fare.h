#pragma once

#include <cstdint>
#include <string>

namespace travio {

/// What a journey between two stops of a trip costs, in minor units, for seats of `category`
/// (empty: any seat without a fare of its own category). One value shared by the services
/// whose rules speak of fares: the catalog sets them, inventory prices holds from them, search
/// shows them.
struct Fare {
  std::string from;  // station codes
  std::string to;
  int64_t amount = 0;
  std::string currency;
  std::string category;
  bool operator==(const Fare&) const = default;
};

}  // namespace travio
