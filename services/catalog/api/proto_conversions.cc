#include "services/catalog/api/proto_conversions.h"

#include <nlohmann/json.hpp>

#include "platform/base/errors.h"
#include "services/operator/api/layout_document.h"

namespace travio::catalog {
namespace {

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }
absl::Time Instant(int64_t micros) { return absl::FromUnixMicros(micros); }

}  // namespace

void ToProto(const Station& in, v1::Station& out) {
  out.set_code(in.code);
  out.set_name(in.name);
  out.set_city(in.city);
  out.set_lat(in.lat);
  out.set_lon(in.lon);
  out.set_timezone(in.timezone);
  out.set_created_by_org(in.created_by_org);
  out.set_created_at_micros(Micros(in.created_at));
}

Station FromProto(const v1::Station& in) {
  return Station{.code = in.code(),
                 .name = in.name(),
                 .city = in.city(),
                 .lat = in.lat(),
                 .lon = in.lon(),
                 .timezone = in.timezone(),
                 .created_by_org = in.created_by_org(),
                 .created_at = Instant(in.created_at_micros())};
}

void ToProto(const Route& in, v1::Route& out) {
  out.set_id(in.id);
  out.set_org_id(in.org_id);
  out.set_name(in.name);
  for (const RouteStop& stop : in.stops) {
    v1::RouteStop& item = *out.add_stops();
    item.set_station(stop.station);
    item.set_arrive_offset_min(stop.arrive_offset_min);
    item.set_depart_offset_min(stop.depart_offset_min);
    item.set_boarding(stop.boarding);
    item.set_dropping(stop.dropping);
  }
  out.set_created_at_micros(Micros(in.created_at));
}

Route FromProto(const v1::Route& in) {
  Route out{.id = in.id(),
            .org_id = in.org_id(),
            .name = in.name(),
            .stops = {},
            .created_at = Instant(in.created_at_micros())};
  for (const v1::RouteStop& stop : in.stops()) {
    out.stops.push_back(RouteStop{.station = stop.station(),
                                  .arrive_offset_min = stop.arrive_offset_min(),
                                  .depart_offset_min = stop.depart_offset_min(),
                                  .boarding = stop.boarding(),
                                  .dropping = stop.dropping()});
  }
  return out;
}

void ToProto(const Fare& in, v1::Fare& out) {
  out.set_from(in.from);
  out.set_to(in.to);
  out.set_amount(in.amount);
  out.set_currency(in.currency);
  out.set_category(in.category);
}

Fare FromProto(const v1::Fare& in) {
  return Fare{.from = in.from(),
              .to = in.to(),
              .amount = in.amount(),
              .currency = in.currency(),
              .category = in.category()};
}

std::vector<Fare> FaresFromProto(const google::protobuf::RepeatedPtrField<v1::Fare>& in) {
  std::vector<Fare> out;
  for (const v1::Fare& fare : in) out.push_back(FromProto(fare));
  return out;
}

void FaresToProto(const std::vector<Fare>& in, google::protobuf::RepeatedPtrField<v1::Fare>& out) {
  for (const Fare& fare : in) ToProto(fare, *out.Add());
}

void ToProto(const Trip& in, v1::Trip& out) {
  out.set_id(in.id);
  out.set_org_id(in.org_id);
  out.set_route_id(in.route_id);
  out.set_route_name(in.route_name);
  v1::BusSnapshot& bus = *out.mutable_bus();
  bus.set_bus_id(in.bus.bus_id);
  bus.set_bus_version(in.bus.bus_version);
  bus.set_plate(in.bus.plate);
  bus.set_bus_class(in.bus.bus_class);
  bus.set_ac(in.bus.ac);
  for (const std::string& amenity : in.bus.amenities) bus.add_amenities(amenity);
  bus.set_layout_json(in.bus.layout_document);
  for (const TripStop& stop : in.stops) {
    v1::TripStop& item = *out.add_stops();
    item.set_station(stop.station);
    item.set_timezone(stop.timezone);
    item.set_arrive_at_micros(Micros(stop.arrive_at));
    item.set_depart_at_micros(Micros(stop.depart_at));
    item.set_boarding(stop.boarding);
    item.set_dropping(stop.dropping);
  }
  FaresToProto(in.fares, *out.mutable_fares());
  out.set_status(std::string(TripStatusName(in.status)));
  out.set_delay_minutes(in.delay_minutes);
  out.set_cancel_reason(in.cancel_reason);
  out.set_schedule_id(in.schedule_id);
  out.set_service_date(in.service_date ? FormatLocalDate(*in.service_date) : "");
  out.set_created_at_micros(Micros(in.created_at));
  out.set_updated_at_micros(Micros(in.updated_at));
  out.set_version(in.version);
}

absl::StatusOr<Trip> FromProto(const v1::Trip& in) {
  auto layout = fleet::LayoutFromDocument(in.bus().layout_json());
  if (!layout.ok()) return absl::DataLossError("a trip's layout snapshot does not read");
  if (in.stops_size() < 2) return absl::DataLossError("a trip has fewer than two stops");
  Trip out;
  out.id = in.id();
  out.org_id = in.org_id();
  out.route_id = in.route_id();
  out.route_name = in.route_name();
  out.bus = BusSnapshot{
      .bus_id = in.bus().bus_id(),
      .bus_version = in.bus().bus_version(),
      .plate = in.bus().plate(),
      .bus_class = in.bus().bus_class(),
      .ac = in.bus().ac(),
      .amenities = {in.bus().amenities().begin(), in.bus().amenities().end()},
      .layout_document = in.bus().layout_json(),
      .capacity = layout->Capacity(),
      .seats_for_sale = layout->SellableCapacity()};
  for (const v1::TripStop& stop : in.stops()) {
    out.stops.push_back(TripStop{.station = stop.station(),
                                 .timezone = stop.timezone(),
                                 .arrive_at = Instant(stop.arrive_at_micros()),
                                 .depart_at = Instant(stop.depart_at_micros()),
                                 .boarding = stop.boarding(),
                                 .dropping = stop.dropping()});
  }
  out.fares = FaresFromProto(in.fares());
  out.status = ParseTripStatus(in.status()).value_or(TripStatus::kDraft);
  out.delay_minutes = in.delay_minutes();
  out.cancel_reason = in.cancel_reason();
  out.schedule_id = in.schedule_id();
  if (!in.service_date().empty()) {
    auto date = ParseLocalDate(in.service_date());
    if (date.ok()) out.service_date = *date;
  }
  out.created_at = Instant(in.created_at_micros());
  out.updated_at = Instant(in.updated_at_micros());
  out.version = in.version();
  return out;
}

void ToProto(const Schedule& in, v1::Schedule& out) {
  out.set_id(in.id);
  out.set_org_id(in.org_id);
  out.set_route_id(in.route_id);
  out.set_bus_id(in.bus_id);
  out.set_departure_minutes(in.departure_minutes);
  out.set_weekdays(in.weekdays);
  out.set_start_date(FormatLocalDate(in.start_date));
  out.set_end_date(FormatLocalDate(in.end_date));
  for (const LocalDate& date : in.except_dates) out.add_except_dates(FormatLocalDate(date));
  FaresToProto(in.fares, *out.mutable_fares());
  out.set_publish(in.publish);
  out.set_created_at_micros(Micros(in.created_at));
}

absl::StatusOr<Schedule> FromProto(const v1::Schedule& in) {
  Schedule out;
  out.id = in.id();
  out.org_id = in.org_id();
  out.route_id = in.route_id();
  out.bus_id = in.bus_id();
  out.departure_minutes = in.departure_minutes();
  out.weekdays = static_cast<uint8_t>(in.weekdays());
  auto start = ParseLocalDate(in.start_date());
  auto end = ParseLocalDate(in.end_date());
  if (!start.ok() || !end.ok()) return absl::DataLossError("a schedule's dates do not parse");
  out.start_date = *start;
  out.end_date = *end;
  for (const std::string& text : in.except_dates()) {
    auto date = ParseLocalDate(text);
    if (!date.ok()) return absl::DataLossError("a schedule's dates do not parse");
    out.except_dates.push_back(*date);
  }
  out.fares = FaresFromProto(in.fares());
  out.publish = in.publish();
  out.created_at = Instant(in.created_at_micros());
  return out;
}

void ToProto(const CrewAssignment& in, v1::CrewAssignment& out) {
  out.set_id(in.id);
  out.set_org_id(in.org_id);
  out.set_trip_id(in.trip_id);
  out.set_staff_id(in.staff_id);
  out.set_duty(std::string(DutyName(in.duty)));
  out.set_created_at_micros(Micros(in.created_at));
}

CrewAssignment FromProto(const v1::CrewAssignment& in) {
  return CrewAssignment{.id = in.id(),
                        .org_id = in.org_id(),
                        .trip_id = in.trip_id(),
                        .staff_id = in.staff_id(),
                        .duty = ParseDuty(in.duty()).value_or(Duty::kHelper),
                        .created_at = Instant(in.created_at_micros())};
}

}  // namespace travio::catalog
