#include "services/catalog/storage/sql/catalog_rows.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/catalog/api/catalog_json.h"

namespace travio::catalog {

using nlohmann::json;

json ParseJson(const std::string& text) {
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// LIKE pattern for "starts with `prefix`", with the wildcards of `prefix` escaped.
std::string PrefixPattern(const std::string& prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

Station ReadStation(const db::Row& row) {
  return Station{.code = row.Text(0),
                 .name = row.Text(1),
                 .city = row.Text(2),
                 .lat = row.Double(3),
                 .lon = row.Double(4),
                 .timezone = row.Text(5),
                 .created_by_org = row.Text(6),
                 .created_at = absl::FromUnixMicros(row.Int(7))};
}

absl::StatusOr<Route> ReadRoute(const db::Row& row) {
  try {
    const json stops = ParseJson(row.Text(3));
    if (!stops.is_array()) return absl::DataLossError("stored route stops do not parse");
    Route route{.id = row.Text(0),
                .org_id = row.Text(1),
                .name = row.Text(2),
                .stops = {},
                .created_at = absl::FromUnixMicros(row.Int(4))};
    for (const json& stop : stops) {
      route.stops.push_back(RouteStop{.station = stop.value("station", ""),
                                      .arrive_offset_min = stop.value("arrive_offset_min", 0),
                                      .depart_offset_min = stop.value("depart_offset_min", 0),
                                      .boarding = stop.value("boarding", true),
                                      .dropping = stop.value("dropping", true)});
    }
    return route;
  } catch (const nlohmann::json::exception&) {
    // Stored documents are ours, but a damaged row must fail one request, not the process.
    return absl::DataLossError("stored routes do not parse");
  }
}

absl::StatusOr<Trip> ReadTrip(const db::Row& row, size_t at) {
  Trip trip;
  trip.id = row.Text(at + 0);
  trip.org_id = row.Text(at + 1);
  trip.route_id = row.Text(at + 2);
  trip.route_name = row.Text(at + 3);
  TRAVIO_ASSIGN_OR_RETURN(trip.bus, StoredBusFromJson(ParseJson(row.Text(at + 4))));
  TRAVIO_ASSIGN_OR_RETURN(trip.stops, StoredStopsFromJson(ParseJson(row.Text(at + 5))));
  TRAVIO_ASSIGN_OR_RETURN(trip.fares, FaresFromJson(ParseJson(row.Text(at + 6))));
  trip.status = ParseTripStatus(row.Text(at + 7)).value_or(TripStatus::kDraft);
  trip.delay_minutes = static_cast<int>(row.Int(at + 8));
  trip.cancel_reason = row.Text(at + 9);
  trip.schedule_id = row.Text(at + 10);
  if (!row.IsNull(at + 11)) {
    auto date = ParseLocalDate(row.Text(at + 11));
    if (date.ok()) trip.service_date = *date;
  }
  trip.created_at = absl::FromUnixMicros(row.Int(at + 12));
  trip.updated_at = absl::FromUnixMicros(row.Int(at + 13));
  trip.version = row.Int(at + 14);
  return trip;
}

absl::StatusOr<Schedule> ReadSchedule(const db::Row& row) {
  try {
    Schedule schedule;
    schedule.id = row.Text(0);
    schedule.org_id = row.Text(1);
    schedule.route_id = row.Text(2);
    schedule.bus_id = row.Text(3);
    schedule.departure_minutes = static_cast<int>(row.Int(4));
    schedule.weekdays = static_cast<uint8_t>(row.Int(5));
    TRAVIO_ASSIGN_OR_RETURN(schedule.start_date, ParseLocalDate(row.Text(6)));
    TRAVIO_ASSIGN_OR_RETURN(schedule.end_date, ParseLocalDate(row.Text(7)));
    const json except = ParseJson(row.Text(8));
    if (!except.is_array()) return absl::DataLossError("stored except dates do not parse");
    for (const json& date : except) {
      TRAVIO_ASSIGN_OR_RETURN(LocalDate parsed, ParseLocalDate(date.get<std::string>()));
      schedule.except_dates.push_back(parsed);
    }
    TRAVIO_ASSIGN_OR_RETURN(schedule.fares, FaresFromJson(ParseJson(row.Text(9))));
    schedule.publish = row.Int(10) != 0;
    schedule.created_at = absl::FromUnixMicros(row.Int(11));
    schedule.version = row.Int(12);
    return schedule;
  } catch (const nlohmann::json::exception&) {
    // Stored documents are ours, but a damaged row must fail one request, not the process.
    return absl::DataLossError("stored schedules do not parse");
  }
}

CrewAssignment ReadCrew(const db::Row& row) {
  return CrewAssignment{.id = row.Text(0),
                        .org_id = row.Text(1),
                        .trip_id = row.Text(2),
                        .staff_id = row.Text(3),
                        .duty = ParseDuty(row.Text(4)).value_or(Duty::kHelper),
                        .created_at = absl::FromUnixMicros(row.Int(5))};
}

db::Value OptionalText(const std::string& text) {
  if (text.empty()) return std::monostate{};
  return text;
}

}  // namespace travio::catalog
