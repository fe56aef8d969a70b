#pragma once

// The stored form of frozen seat prices, shared by holds (memory journal, Redis) and bookings.

#include <nlohmann/json.hpp>
#include <vector>

#include "services/inventory/domain/offer.h"

namespace travio::inventory {

/// [{"seat","amount","currency","base","rules":[{"rule_id","version"}]}]
nlohmann::json SeatPricesJson(const std::vector<SeatPrice>& prices);
/// Throws nlohmann::json::exception for what is not such a list. Prices stored before rules
/// existed have no base or rules: their base is their amount.
std::vector<SeatPrice> SeatPricesFromJson(const nlohmann::json& prices);

}  // namespace travio::inventory
