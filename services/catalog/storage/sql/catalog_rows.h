#pragma once

// How the catalog's records sit in SQL rows (catalog_schema.cc has the tables): the column
// lists and a reader per record.

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "platform/db/database.h"
#include "services/catalog/app/ports.h"

namespace travio::catalog {

inline constexpr char kStationColumns[] =
    "code, name, city, lat, lon, timezone, created_by_org, created_at";
inline constexpr char kRouteColumns[] = "id, org_id, name, stops, created_at";
inline constexpr char kTripColumns[] =
    "t.id, t.org_id, t.route_id, t.route_name, t.bus, t.stops, t.fares, t.status, "
    "t.delay_minutes, t.cancel_reason, t.schedule_id, t.service_date, t.created_at, "
    "t.updated_at, t.version";
inline constexpr char kScheduleColumns[] =
    "id, org_id, route_id, bus_id, departure_minutes, weekdays, start_date, end_date, "
    "except_dates, fares, publish, created_at, version";
inline constexpr char kCrewColumns[] =
    "c.id, c.org_id, c.trip_id, c.staff_id, c.duty, c.created_at";

nlohmann::json ParseJson(const std::string& text);

// LIKE pattern for "starts with `prefix`", with the wildcards of `prefix` escaped.
std::string PrefixPattern(const std::string& prefix);

Station ReadStation(const db::Row& row);

absl::StatusOr<Route> ReadRoute(const db::Row& row);

absl::StatusOr<Trip> ReadTrip(const db::Row& row, size_t at = 0);

absl::StatusOr<Schedule> ReadSchedule(const db::Row& row);

CrewAssignment ReadCrew(const db::Row& row);

db::Value OptionalText(const std::string& text);

}  // namespace travio::catalog
