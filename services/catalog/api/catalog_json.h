#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "absl/status/statusor.h"
#include "services/catalog/domain/model.h"

namespace travio::catalog {

struct PublishedTrip;

/// The JSON forms of the catalog's documents: the API's, the events' and the stored ones.
/// Instants in API and event documents are RFC 3339 in the stop's own time zone; stored ones
/// are unix microseconds.

nlohmann::json FaresJson(const std::vector<Fare>& fares);
absl::StatusOr<std::vector<Fare>> FaresFromJson(const nlohmann::json& json);

nlohmann::json StoredStopsJson(const std::vector<TripStop>& stops);
absl::StatusOr<std::vector<TripStop>> StoredStopsFromJson(const nlohmann::json& json);

nlohmann::json StoredBusJson(const BusSnapshot& bus);
absl::StatusOr<BusSnapshot> StoredBusFromJson(const nlohmann::json& json);

nlohmann::json StationJson(const Station& station);
nlohmann::json RouteJson(const Route& route);

/// api.md's trip: {id, route_id, bus_id, departure, arrival, stops:[{station, arrive_at,
/// depart_at}], status, ...}; times include the delay, `scheduled_departure` does not. The
/// payload of trip.*.v1 (PublishedTripJson) without org_id, layout and bus_version.
nlohmann::json TripJson(const Trip& trip);
/// The payload of trip.*.v1 events (services/catalog/api/catalog_events.h).
nlohmann::json PublishedTripJson(const PublishedTrip& trip);

nlohmann::json ScheduleJson(const Schedule& schedule);
nlohmann::json CrewJson(const CrewAssignment& assignment);

}  // namespace travio::catalog
