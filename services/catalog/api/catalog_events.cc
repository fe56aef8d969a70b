#include "services/catalog/api/catalog_events.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/local_time.h"
#include "platform/events/json_payload.h"
#include "services/catalog/api/catalog_json.h"

namespace travio::catalog {
namespace {

using events::InvalidPayload;
using events::ReadJsonPayload;
using nlohmann::json;

}  // namespace

PublishedTrip Publish(const Trip& trip) {
  const absl::Duration delay = trip.delay();
  PublishedTrip out;
  out.id = trip.id;
  out.org_id = trip.org_id;
  out.route_id = trip.route_id;
  out.route_name = trip.route_name;
  out.schedule_id = trip.schedule_id;
  out.version = trip.version;
  out.status = trip.status;
  out.delay_minutes = trip.delay_minutes;
  out.cancel_reason = trip.cancel_reason;
  for (const TripStop& stop : trip.stops) {
    out.stops.push_back({.station = stop.station,
                         .arrive_at = FormatInZone(stop.arrive_at + delay, stop.timezone),
                         .depart_at = FormatInZone(stop.depart_at + delay, stop.timezone),
                         .boarding = stop.boarding,
                         .dropping = stop.dropping,
                         .zone = stop.timezone});
  }
  if (!trip.stops.empty()) {
    const TripStop& first = trip.stops.front();
    const TripStop& last = trip.stops.back();
    out.departure = FormatInZone(first.depart_at + delay, first.timezone);
    out.arrival = FormatInZone(last.arrive_at + delay, last.timezone);
    out.scheduled_departure = FormatInZone(first.depart_at, first.timezone);
    out.local_date = FormatLocalDate(DateInZone(first.depart_at, first.timezone));
    out.duration_min = absl::ToInt64Minutes(last.arrive_at - first.depart_at);
  }
  out.fares = trip.fares;
  out.bus = {.id = trip.bus.bus_id,
             .version = trip.bus.bus_version,
             .plate = trip.bus.plate,
             .bus_class = trip.bus.bus_class,
             .ac = trip.bus.ac,
             .amenities = trip.bus.amenities,
             .capacity = trip.bus.capacity,
             .seats_for_sale = trip.bus.seats_for_sale,
             .layout_document = trip.bus.layout_document};
  return out;
}

std::string EncodePublishedTrip(const PublishedTrip& trip) {
  return PublishedTripJson(trip).dump();
}

absl::StatusOr<PublishedTrip> DecodePublishedTrip(std::string_view payload) {
  return ReadJsonPayload<PublishedTrip>(
      "trip", payload, [](const json& in) -> absl::StatusOr<PublishedTrip> {
        PublishedTrip trip;
        trip.id = in.at("id").get<std::string>();
        trip.org_id = in.at("org_id").get<std::string>();
        trip.route_id = in.at("route_id").get<std::string>();
        trip.route_name = in.value("route_name", "");
        const json& schedule = in.value("schedule_id", json(nullptr));
        trip.schedule_id = schedule.is_string() ? schedule.get<std::string>() : "";
        trip.version = in.at("version").get<int64_t>();
        const auto status = ParseTripStatus(in.at("status").get<std::string>());
        if (!status) return InvalidPayload("trip", "unknown status");
        trip.status = *status;
        trip.delay_minutes = in.value("delay_minutes", 0);
        trip.cancel_reason = in.value("cancel_reason", "");
        trip.departure = in.value("departure", "");
        trip.arrival = in.value("arrival", "");
        trip.scheduled_departure = in.value("scheduled_departure", "");
        trip.local_date = in.value("local_date", "");
        trip.duration_min = in.value("duration_min", int64_t{0});
        for (const json& stop : in.at("stops")) {
          trip.stops.push_back({.station = stop.at("station").get<std::string>(),
                                .arrive_at = stop.at("arrive_at").get<std::string>(),
                                .depart_at = stop.at("depart_at").get<std::string>(),
                                .boarding = stop.value("boarding", true),
                                .dropping = stop.value("dropping", true),
                                .zone = stop.value("zone", "")});
        }
        if (trip.stops.size() < 2) return InvalidPayload("trip", "a trip has at least two stops");
        for (const json& fare : in.at("fares")) {
          trip.fares.push_back({.from = fare.at("from").get<std::string>(),
                                .to = fare.at("to").get<std::string>(),
                                .amount = fare.at("amount").get<int64_t>(),
                                .currency = fare.at("currency").get<std::string>(),
                                .category = fare.value("category", "")});
        }
        const json& bus = in.at("bus");
        trip.bus.id = bus.value("id", in.value("bus_id", ""));
        trip.bus.version = in.value("bus_version", int64_t{0});
        trip.bus.plate = bus.value("plate", "");
        trip.bus.bus_class = bus.at("class").get<std::string>();
        trip.bus.ac = bus.at("ac").get<bool>();
        trip.bus.amenities = bus.at("amenities").get<std::vector<std::string>>();
        trip.bus.capacity = bus.value("capacity", 0);
        trip.bus.seats_for_sale = bus.value("seats_for_sale", 0);
        const json& layout = in.at("layout");
        if (!layout.is_object()) return InvalidPayload("trip", "the layout is not a document");
        trip.bus.layout_document = layout.dump();
        return trip;
      });
}

std::string EncodeStation(const Station& station) { return StationJson(station).dump(); }

absl::StatusOr<Station> DecodeStation(std::string_view payload) {
  return ReadJsonPayload<Station>("station", payload,
                                  [](const json& in) -> absl::StatusOr<Station> {
                                    Station station;
                                    station.code = in.at("code").get<std::string>();
                                    station.name = in.value("name", "");
                                    station.city = in.value("city", "");
                                    station.lat = in.value("lat", 0.0);
                                    station.lon = in.value("lon", 0.0);
                                    station.timezone = in.value("timezone", "");
                                    return station;
                                  });
}

std::string EncodeRoute(const Route& route) { return RouteJson(route).dump(); }

absl::StatusOr<Route> DecodeRoute(std::string_view payload) {
  return ReadJsonPayload<Route>("route", payload, [](const json& in) -> absl::StatusOr<Route> {
    Route route;
    route.id = in.at("id").get<std::string>();
    route.name = in.value("name", "");
    for (const json& stop : in.at("stops")) {
      route.stops.push_back({.station = stop.at("station").get<std::string>(),
                             .arrive_offset_min = stop.value("arrive_offset_min", 0),
                             .depart_offset_min = stop.value("depart_offset_min", 0),
                             .boarding = stop.value("boarding", true),
                             .dropping = stop.value("dropping", true)});
    }
    return route;
  });
}

std::string EncodeCrewAssignment(const CrewAssignment& assignment) {
  return CrewJson(assignment).dump();
}

absl::StatusOr<CrewAssignment> DecodeCrewAssignment(std::string_view payload) {
  return ReadJsonPayload<CrewAssignment>(
      "crew", payload, [](const json& in) -> absl::StatusOr<CrewAssignment> {
        CrewAssignment assignment;
        assignment.id = in.at("id").get<std::string>();
        assignment.trip_id = in.at("trip_id").get<std::string>();
        assignment.staff_id = in.at("staff_id").get<std::string>();
        const auto duty = ParseDuty(in.at("duty").get<std::string>());
        if (!duty) return InvalidPayload("crew", "unknown duty");
        assignment.duty = *duty;
        return assignment;
      });
}

absl::Status InvalidTrip(const PublishedTrip& trip, std::string_view why) {
  return Error(reasons::kInvalidEvent,
               absl::StrCat("Trip ", trip.id, " (version ", trip.version, "): ", ToAbsl(why)));
}

}  // namespace travio::catalog
