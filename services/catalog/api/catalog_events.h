#pragma once

// The events the catalog publishes (platform/events/contract.h): trips as they change, and the
// stations, routes and crews it adds. Inventory and search build their state from trip events;
// search keeps its station list from station events.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/events/contract.h"
#include "services/catalog/domain/model.h"

namespace travio::catalog {

/// A trip as the catalog publishes it in trip.*.v1: api.md's trip, plus its organization and
/// what inventory and search build their state from (the bus's layout document and version).
/// Times are RFC 3339 in each stop's own zone, with the delay included; `scheduled_departure`
/// leaves the delay out.
struct PublishedTrip {
  struct Stop {
    std::string station;
    std::string arrive_at;
    std::string depart_at;
    bool boarding = true;
    bool dropping = true;
    std::string zone;  // the station's IANA time zone ("Asia/Dhaka"); empty in older events
    bool operator==(const Stop&) const = default;
  };
  struct Bus {
    std::string id;
    int64_t version = 0;
    std::string plate;
    std::string bus_class;
    bool ac = false;
    std::vector<std::string> amenities;
    int capacity = 0;
    int seats_for_sale = 0;
    std::string layout_document;  // services/operator/api/layout_document.h reads it
    bool operator==(const Bus&) const = default;
  };

  std::string id;
  std::string org_id;
  std::string route_id;
  std::string route_name;
  std::string schedule_id;  // empty for a one-off trip
  int64_t version = 0;      // grows with every change: consumers keep the newest
  TripStatus status = TripStatus::kDraft;
  int delay_minutes = 0;
  std::string cancel_reason;
  std::string departure;
  std::string arrival;
  std::string scheduled_departure;
  std::string local_date;  // the first departure's date in its zone
  int64_t duration_min = 0;
  std::vector<Stop> stops;
  std::vector<Fare> fares;
  Bus bus;

  bool operator==(const PublishedTrip&) const = default;
};

/// The published form of `trip`.
PublishedTrip Publish(const Trip& trip);

/// What a consumer answers for a trip event it cannot build its own view from (too few stops, a
/// layout that does not read): kInvalidArgument `invalid_event` naming the trip and version.
absl::Status InvalidTrip(const PublishedTrip& trip, std::string_view why);

std::string EncodePublishedTrip(const PublishedTrip& trip);
absl::StatusOr<PublishedTrip> DecodePublishedTrip(std::string_view payload);

inline constexpr events::Contract<PublishedTrip> kTripPublished{
    "trip.published.v1", &EncodePublishedTrip, &DecodePublishedTrip};
inline constexpr events::Contract<PublishedTrip> kTripUpdated{
    "trip.updated.v1", &EncodePublishedTrip, &DecodePublishedTrip};
inline constexpr events::Contract<PublishedTrip> kTripDelayed{
    "trip.delayed.v1", &EncodePublishedTrip, &DecodePublishedTrip};
inline constexpr events::Contract<PublishedTrip> kTripCancelled{
    "trip.cancelled.v1", &EncodePublishedTrip, &DecodePublishedTrip};
inline constexpr events::Contract<PublishedTrip> kTripBoarding{
    "trip.boarding.v1", &EncodePublishedTrip, &DecodePublishedTrip};
inline constexpr events::Contract<PublishedTrip> kTripDeparted{
    "trip.departed.v1", &EncodePublishedTrip, &DecodePublishedTrip};
inline constexpr events::Contract<PublishedTrip> kTripCompleted{
    "trip.completed.v1", &EncodePublishedTrip, &DecodePublishedTrip};

/// Every trip.*.v1 contract, for consumers that follow a trip through its whole life.
inline constexpr const events::Contract<PublishedTrip>* kTripEvents[] = {
    &kTripPublished, &kTripUpdated,  &kTripDelayed,  &kTripCancelled,
    &kTripBoarding,  &kTripDeparted, &kTripCompleted};

/// station.added.v1: the station (without who added it and when).
std::string EncodeStation(const Station& station);
absl::StatusOr<Station> DecodeStation(std::string_view payload);
inline constexpr events::Contract<Station> kStationAdded{"station.added.v1", &EncodeStation,
                                                         &DecodeStation};

/// route.created.v1: the route's id, name and stops.
std::string EncodeRoute(const Route& route);
absl::StatusOr<Route> DecodeRoute(std::string_view payload);
inline constexpr events::Contract<Route> kRouteCreated{"route.created.v1", &EncodeRoute,
                                                       &DecodeRoute};

/// trip.crew_assigned.v1: who takes which duty on which trip.
std::string EncodeCrewAssignment(const CrewAssignment& assignment);
absl::StatusOr<CrewAssignment> DecodeCrewAssignment(std::string_view payload);
inline constexpr events::Contract<CrewAssignment> kCrewAssigned{
    "trip.crew_assigned.v1", &EncodeCrewAssignment, &DecodeCrewAssignment};

}  // namespace travio::catalog
