#include "services/operator/api/proto_conversions.h"

#include <nlohmann/json.hpp>

#include "platform/base/errors.h"
#include "services/operator/api/layout_json.h"

namespace travio::fleet {

absl::StatusOr<SeatLayout> LayoutFromText(const std::string& text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return Error(reasons::kInvalidLayout, "The layout document is not JSON.");
  }
  return LayoutFromJson(json);
}

void ToProto(const Bus& bus, v1::Bus& out) {
  out.set_id(bus.id);
  out.set_org_id(bus.org_id);
  out.set_plate(bus.plate);
  out.set_name(bus.name);
  out.set_bus_class(std::string(BusClassName(bus.bus_class)));
  out.set_ac(bus.ac);
  for (const std::string& amenity : bus.amenities) out.add_amenities(amenity);
  out.set_layout_json(LayoutToJson(bus.layout).dump());
  out.set_created_at_micros(absl::ToUnixMicros(bus.created_at));
  out.set_updated_at_micros(absl::ToUnixMicros(bus.updated_at));
  out.set_version(bus.version);
}

absl::StatusOr<Bus> FromProto(const v1::Bus& in) {
  auto layout = LayoutFromText(in.layout_json());
  if (!layout.ok()) return layout.status();
  return Bus{.id = in.id(),
             .org_id = in.org_id(),
             .plate = in.plate(),
             .name = in.name(),
             .bus_class = ParseBusClass(in.bus_class()).value_or(BusClass::kSeater),
             .ac = in.ac(),
             .amenities = {in.amenities().begin(), in.amenities().end()},
             .layout = *std::move(layout),
             .created_at = absl::FromUnixMicros(in.created_at_micros()),
             .updated_at = absl::FromUnixMicros(in.updated_at_micros()),
             .version = in.version()};
}

void ToProto(const StaffMember& member, v1::StaffMember& out) {
  out.set_id(member.id);
  out.set_org_id(member.org_id);
  out.set_name(member.name);
  out.set_role(std::string(StaffRoleName(member.role)));
  out.set_phone(member.phone);
  out.set_license_no(member.license_no);
  out.set_created_at_micros(absl::ToUnixMicros(member.created_at));
  out.set_user_id(member.user_id);
}

StaffMember FromProto(const v1::StaffMember& in) {
  return StaffMember{.id = in.id(),
                     .org_id = in.org_id(),
                     .name = in.name(),
                     .role = ParseStaffRole(in.role()).value_or(StaffRole::kHelper),
                     .phone = in.phone(),
                     .license_no = in.license_no(),
                     .created_at = absl::FromUnixMicros(in.created_at_micros()),
                     .user_id = in.user_id()};
}

}  // namespace travio::fleet
