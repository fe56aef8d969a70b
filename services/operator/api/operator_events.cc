#include "services/operator/api/operator_events.h"

#include <nlohmann/json.hpp>

#include "platform/events/json_payload.h"

namespace travio::fleet {

using nlohmann::json;

BusSummary SummaryOf(const Bus& bus) {
  return BusSummary{.bus_id = bus.id,
                    .plate = bus.plate,
                    .bus_class = bus.bus_class,
                    .capacity = bus.layout.Capacity(),
                    .version = bus.version};
}

std::string EncodeBusSummary(const BusSummary& bus) {
  return json{{"bus_id", bus.bus_id},
              {"plate", bus.plate},
              {"class", BusClassName(bus.bus_class)},
              {"capacity", bus.capacity},
              {"version", bus.version}}
      .dump();
}

absl::StatusOr<BusSummary> DecodeBusSummary(std::string_view payload) {
  return events::ReadJsonPayload<BusSummary>(
      "bus", payload, [](const json& in) -> absl::StatusOr<BusSummary> {
        const auto bus_class = ParseBusClass(in.at("class").get<std::string>());
        if (!bus_class) return events::InvalidPayload("bus", "unknown class");
        return BusSummary{.bus_id = in.at("bus_id").get<std::string>(),
                          .plate = in.at("plate").get<std::string>(),
                          .bus_class = *bus_class,
                          .capacity = in.at("capacity").get<int>(),
                          .version = in.at("version").get<int64_t>()};
      });
}

std::string EncodeStaffAdded(const StaffAdded& staff) {
  return json{{"staff_id", staff.staff_id}, {"role", StaffRoleName(staff.role)}}.dump();
}

absl::StatusOr<StaffAdded> DecodeStaffAdded(std::string_view payload) {
  return events::ReadJsonPayload<StaffAdded>(
      "staff", payload, [](const json& in) -> absl::StatusOr<StaffAdded> {
        const auto role = ParseStaffRole(in.at("role").get<std::string>());
        if (!role) return events::InvalidPayload("staff", "unknown role");
        return StaffAdded{.staff_id = in.at("staff_id").get<std::string>(), .role = *role};
      });
}

}  // namespace travio::fleet
