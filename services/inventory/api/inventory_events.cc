#include "services/inventory/api/inventory_events.h"

#include <nlohmann/json.hpp>

#include "platform/base/rfc3339.h"
#include "platform/events/json_payload.h"

namespace travio::inventory {

using nlohmann::json;

std::string EncodeSeatsChanged(const SeatsChanged& change) {
  json out = {{"seats", change.seats},
              {"from", change.from},
              {"to", change.to},
              {"journey", {{"from", change.from_leg}, {"to", change.to_leg}}}};
  if (!change.hold_id.empty()) out["hold_id"] = change.hold_id;
  if (!change.booking_id.empty()) out["booking_id"] = change.booking_id;
  if (change.expires_at != absl::InfiniteFuture()) {
    out["expires_at"] = FormatRfc3339(change.expires_at);
  }
  return out.dump();
}

absl::StatusOr<SeatsChanged> DecodeSeatsChanged(std::string_view payload) {
  return events::ReadJsonPayload<SeatsChanged>(
      "seats", payload, [](const json& in) -> absl::StatusOr<SeatsChanged> {
        SeatsChanged change;
        change.hold_id = in.value("hold_id", "");
        change.booking_id = in.value("booking_id", "");
        change.seats = in.at("seats").get<std::vector<std::string>>();
        change.from = in.value("from", "");
        change.to = in.value("to", "");
        const json& journey = in.at("journey");
        change.from_leg = journey.at("from").get<int>();
        change.to_leg = journey.at("to").get<int>();
        if (in.contains("expires_at")) {
          absl::StatusOr<absl::Time> expires = ParseRfc3339(in.at("expires_at").get<std::string>());
          if (!expires.ok()) return events::InvalidPayload("seats", "expires_at is not an instant");
          change.expires_at = *expires;
        }
        return change;
      });
}

}  // namespace travio::inventory
