#include "services/inventory/storage/hold_json.h"

#include <nlohmann/json.hpp>

#include "platform/base/errors.h"
#include "services/inventory/storage/price_json.h"

namespace travio::inventory {

using nlohmann::json;

std::string StoredHoldJson(const HoldRecord& record) {
  const Hold& hold = record.hold;
  return json{{"trip_id", record.trip_id},
              {"org_id", record.org_id},
              {"id", hold.id},
              {"holder", hold.holder},
              {"seats", hold.seats},
              {"from", hold.journey.from},
              {"to", hold.journey.to},
              {"expires_at", absl::ToUnixMillis(hold.expires_at)},
              {"version", hold.version},
              {"prices", SeatPricesJson(record.prices)}}
      .dump();
}

absl::StatusOr<HoldRecord> StoredHoldFromJson(const std::string& text) {
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  try {
    HoldRecord record;
    record.trip_id = document.at("trip_id").get<std::string>();
    record.org_id = document.at("org_id").get<std::string>();
    record.hold.id = document.at("id").get<std::string>();
    record.hold.holder = document.at("holder").get<std::string>();
    record.hold.seats = document.at("seats").get<std::vector<std::string>>();
    record.hold.journey = {document.at("from").get<int>(), document.at("to").get<int>()};
    record.hold.expires_at = absl::FromUnixMillis(document.at("expires_at").get<int64_t>());
    record.hold.version = document.at("version").get<int64_t>();
    record.prices = SeatPricesFromJson(document.at("prices"));
    return record;
  } catch (const json::exception&) {
    return absl::DataLossError("a stored hold does not parse");
  }
}

absl::Status TripNotLoaded(const std::string& trip_id) {
  return Error(reasons::kTripNotLoaded, "The hold store does not hold trip " + trip_id + ".");
}

}  // namespace travio::inventory
