#include "services/inventory/storage/price_json.h"

namespace travio::inventory {

using nlohmann::json;

json SeatPricesJson(const std::vector<SeatPrice>& prices) {
  json out = json::array();
  for (const SeatPrice& price : prices) {
    json rules = json::array();
    for (const RuleVersion& rule : price.rules) {
      rules.push_back({{"rule_id", rule.rule_id}, {"version", rule.version}});
    }
    out.push_back({{"seat", price.seat},
                   {"amount", price.amount},
                   {"currency", price.currency},
                   {"base", price.base},
                   {"rules", std::move(rules)}});
  }
  return out;
}

std::vector<SeatPrice> SeatPricesFromJson(const json& prices) {
  std::vector<SeatPrice> out;
  for (const json& price : prices) {
    SeatPrice read{.seat = price.at("seat").get<std::string>(),
                   .amount = price.at("amount").get<int64_t>(),
                   .currency = price.at("currency").get<std::string>(),
                   .base = 0,
                   .rules = {}};
    read.base = price.value("base", read.amount);
    for (const json& rule : price.value("rules", json::array())) {
      read.rules.push_back(
          {rule.at("rule_id").get<std::string>(), rule.at("version").get<int64_t>()});
    }
    out.push_back(std::move(read));
  }
  return out;
}

}  // namespace travio::inventory
