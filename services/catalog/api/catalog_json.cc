#include "services/catalog/api/catalog_json.h"

#include "services/catalog/api/catalog_events.h"
#include "services/catalog/domain/rules.h"
#include "services/operator/api/layout_json.h"

namespace travio::catalog {
namespace {

using nlohmann::json;

absl::Status Corrupt(const char* what) {
  return absl::DataLossError(std::string("stored ") + what + " do not parse");
}

}  // namespace

json FaresJson(const std::vector<Fare>& fares) {
  json out = json::array();
  for (const Fare& fare : fares) {
    json item = {
        {"from", fare.from}, {"to", fare.to}, {"amount", fare.amount}, {"currency", fare.currency}};
    if (!fare.category.empty()) item["category"] = fare.category;
    out.push_back(std::move(item));
  }
  return out;
}

absl::StatusOr<std::vector<Fare>> FaresFromJson(const json& in) {
  try {
    if (!in.is_array()) return Corrupt("fares");
    std::vector<Fare> fares;
    for (const json& item : in) {
      if (!item.is_object()) return Corrupt("fares");
      fares.push_back(Fare{.from = item.value("from", ""),
                           .to = item.value("to", ""),
                           .amount = item.value("amount", int64_t{0}),
                           .currency = item.value("currency", ""),
                           .category = item.value("category", "")});
    }
    return fares;
  } catch (const nlohmann::json::exception&) {
    // Stored documents are ours, but a damaged row must fail one request, not the process.
    return absl::DataLossError("stored fares do not parse");
  }
}

json StoredStopsJson(const std::vector<TripStop>& stops) {
  json out = json::array();
  for (const TripStop& stop : stops) {
    out.push_back({{"station", stop.station},
                   {"timezone", stop.timezone},
                   {"arrive_at", absl::ToUnixMicros(stop.arrive_at)},
                   {"depart_at", absl::ToUnixMicros(stop.depart_at)},
                   {"boarding", stop.boarding},
                   {"dropping", stop.dropping}});
  }
  return out;
}

absl::StatusOr<std::vector<TripStop>> StoredStopsFromJson(const json& in) {
  try {
    if (!in.is_array() || in.size() < 2) return Corrupt("stops");
    std::vector<TripStop> stops;
    for (const json& item : in) {
      if (!item.is_object()) return Corrupt("stops");
      stops.push_back(
          TripStop{.station = item.value("station", ""),
                   .timezone = item.value("timezone", "UTC"),
                   .arrive_at = absl::FromUnixMicros(item.value("arrive_at", int64_t{0})),
                   .depart_at = absl::FromUnixMicros(item.value("depart_at", int64_t{0})),
                   .boarding = item.value("boarding", true),
                   .dropping = item.value("dropping", true)});
    }
    return stops;
  } catch (const nlohmann::json::exception&) {
    // Stored documents are ours, but a damaged row must fail one request, not the process.
    return absl::DataLossError("stored stops do not parse");
  }
}

json StoredBusJson(const BusSnapshot& bus) {
  json out = {{"bus_id", bus.bus_id}, {"bus_version", bus.bus_version},
              {"plate", bus.plate},   {"class", bus.bus_class},
              {"ac", bus.ac},         {"amenities", bus.amenities}};
  out["layout"] = json::parse(bus.layout_document, nullptr, /*allow_exceptions=*/false);
  return out;
}

absl::StatusOr<BusSnapshot> StoredBusFromJson(const json& in) {
  try {
    if (!in.is_object() || !in.contains("layout")) return Corrupt("bus snapshots");
    auto layout = fleet::LayoutFromStoredJson(in["layout"]);
    if (!layout.ok()) return Corrupt("bus snapshots");
    BusSnapshot bus{.bus_id = in.value("bus_id", ""),
                    .bus_version = in.value("bus_version", int64_t{0}),
                    .plate = in.value("plate", ""),
                    .bus_class = in.value("class", "seater"),
                    .ac = in.value("ac", false),
                    .amenities = {},
                    .layout_document = in["layout"].dump(),
                    .capacity = layout->Capacity(),
                    .seats_for_sale = layout->SellableCapacity()};
    if (in.contains("amenities") && in["amenities"].is_array()) {
      for (const json& amenity : in["amenities"])
        bus.amenities.push_back(amenity.get<std::string>());
    }
    return bus;
  } catch (const nlohmann::json::exception&) {
    // Stored documents are ours, but a damaged row must fail one request, not the process.
    return absl::DataLossError("stored bus snapshots do not parse");
  }
}

json StationJson(const Station& station) {
  return {{"code", station.code}, {"name", station.name}, {"city", station.city},
          {"lat", station.lat},   {"lon", station.lon},   {"timezone", station.timezone}};
}

json RouteJson(const Route& route) {
  json stops = json::array();
  for (const RouteStop& stop : route.stops) {
    stops.push_back({{"station", stop.station},
                     {"arrive_offset_min", stop.arrive_offset_min},
                     {"depart_offset_min", stop.depart_offset_min},
                     {"boarding", stop.boarding},
                     {"dropping", stop.dropping}});
  }
  return {{"id", route.id}, {"name", route.name}, {"stops", std::move(stops)}};
}

json PublishedTripJson(const PublishedTrip& trip) {
  json stops = json::array();
  for (const PublishedTrip::Stop& stop : trip.stops) {
    stops.push_back({{"station", stop.station},
                     {"arrive_at", stop.arrive_at},
                     {"depart_at", stop.depart_at},
                     {"boarding", stop.boarding},
                     {"dropping", stop.dropping},
                     {"zone", stop.zone}});
  }
  json out = {
      {"id", trip.id},
      {"org_id", trip.org_id},
      {"route_id", trip.route_id},
      {"route_name", trip.route_name},
      {"bus_id", trip.bus.id},
      {"bus_version", trip.bus.version},
      {"bus",
       {{"id", trip.bus.id},
        {"plate", trip.bus.plate},
        {"class", trip.bus.bus_class},
        {"ac", trip.bus.ac},
        {"amenities", trip.bus.amenities},
        {"capacity", trip.bus.capacity},
        {"seats_for_sale", trip.bus.seats_for_sale}}},
      {"departure", trip.departure},
      {"arrival", trip.arrival},
      {"scheduled_departure", trip.scheduled_departure},
      {"local_date", trip.local_date},
      {"duration_min", trip.duration_min},
      {"delay_minutes", trip.delay_minutes},
      {"stops", std::move(stops)},
      {"fares", FaresJson(trip.fares)},
      {"status", TripStatusName(trip.status)},
      {"version", trip.version},
  };
  out["layout"] = json::parse(trip.bus.layout_document, nullptr, /*allow_exceptions=*/false);
  out["schedule_id"] = trip.schedule_id.empty() ? json(nullptr) : json(trip.schedule_id);
  if (!trip.cancel_reason.empty()) out["cancel_reason"] = trip.cancel_reason;
  return out;
}

json TripJson(const Trip& trip) {
  json out = PublishedTripJson(Publish(trip));
  // What events carry for inventory and search, and the API leaves out.
  out.erase("org_id");
  out.erase("layout");
  out.erase("bus_version");
  return out;
}

json ScheduleJson(const Schedule& schedule) {
  std::vector<std::string> except;
  for (const LocalDate& date : schedule.except_dates) except.push_back(FormatLocalDate(date));
  return {{"id", schedule.id},
          {"route_id", schedule.route_id},
          {"bus_id", schedule.bus_id},
          {"departure_time", FormatClockTime(schedule.departure_minutes)},
          {"days", WeekdayNames(schedule.weekdays)},
          {"start_date", FormatLocalDate(schedule.start_date)},
          {"end_date", FormatLocalDate(schedule.end_date)},
          {"except_dates", except},
          {"fares", FaresJson(schedule.fares)},
          {"publish", schedule.publish}};
}

json CrewJson(const CrewAssignment& assignment) {
  return {{"id", assignment.id},
          {"trip_id", assignment.trip_id},
          {"staff_id", assignment.staff_id},
          {"duty", DutyName(assignment.duty)}};
}

}  // namespace travio::catalog
