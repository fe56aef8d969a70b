// Stations and routes, and what every part of the service shares.
#include "services/catalog/app/catalog_service.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/catalog/api/bus_snapshot.h"
#include "services/catalog/api/catalog_events.h"
#include "services/catalog/app/catalog_refusals.h"
#include "services/catalog/domain/gtfs.h"
#include "services/catalog/domain/rules.h"
#include "services/operator/api/layout_document.h"

namespace travio::catalog {

absl::Status TripNotFound() {
  return Error(reasons::kTripNotFound, "No such trip in this organization.");
}
absl::Status RouteNotFound() {
  return Error(reasons::kRouteNotFound, "No such route in this organization.");
}
absl::Status Invalid(const Reason& reason, const std::vector<FieldError>& errors) {
  return WithFieldErrors(Error(reason, "Some fields are not valid."), errors);
}
absl::Status Concurrent() {
  return Error(reasons::kConcurrentUpdate, "The trip changed while this request ran; try again.");
}

std::vector<std::string> Labels(const fleet::SeatLayout& layout) {
  std::vector<std::string> labels;
  for (const fleet::Cell* place : layout.Places()) labels.push_back(place->label);
  return labels;
}

// The seat categories a bus sells, which its fares must price.
std::set<std::string> SoldCategories(const fleet::SeatLayout& layout) {
  std::set<std::string> categories;
  for (const fleet::Cell* place : layout.Places()) {
    if (place->sellable()) categories.insert(place->category);
  }
  return categories;
}

subscription::QuotaUse CatalogService::PublishingOf(const Trip& trip) {
  return {.org_id = trip.org_id, .quota = subscription::Quota::kTripsPerMonth, .key = trip.id};
}

events::Event CatalogService::TripEvent(const events::Contract<PublishedTrip>& contract,
                                        const Trip& trip) const {
  return contract.Make(Publish(trip), {.id = ports_.ids.NewId(),
                                       .aggregate_id = trip.id,
                                       .org_id = trip.org_id,
                                       .occurred_at = ports_.clock.Now(),
                                       .trace_id = ""});
}

absl::StatusOr<Station> CatalogService::CreateStation(const std::string& org_id,
                                                      const Station& input) {
  const auto& registrars = settings_.station_registrars;
  const bool may_register =
      org_id == kPlatformOrg ||
      std::find(registrars.begin(), registrars.end(), "*") != registrars.end() ||
      std::find(registrars.begin(), registrars.end(), org_id) != registrars.end();
  if (!may_register) {
    // Stations are shared by every operator and never edited: a tenant must not be able to
    // squat codes or give a town a wrong time zone for everyone.
    return Error(reasons::kStationRegistryClosed,
                 "Stations are added by the platform; ask it to add the one you need.");
  }
  Station station = input;
  TRAVIO_RETURN_IF_ERROR(ValidateStation(station));
  station.created_by_org = org_id;
  station.created_at = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(unit.InsertStation(station));
    return unit.Append(kStationAdded.Make(station, {.id = ports_.ids.NewId(),
                                                    .aggregate_id = station.code,
                                                    .org_id = org_id,
                                                    .occurred_at = station.created_at,
                                                    .trace_id = ""}));
  }));
  return station;
}

absl::StatusOr<std::vector<Station>> CatalogService::ListStations(const std::string& query,
                                                                  int limit) {
  if (limit < 1 || limit > 200) {
    return WithFieldErrors(Error(reasons::kInvalidLimit, "limit must be between 1 and 200."),
                           {{"limit", "must be between 1 and 200"}});
  }
  if (query.size() > 64) return Invalid(reasons::kValidationFailed, {{"q", "at most 64 bytes"}});
  return ports_.store.Reads().SearchStations(query, limit);
}

absl::StatusOr<std::map<std::string, std::string>> CatalogService::ZonesOf(CatalogUnit& unit,
                                                                           const Route& route) {
  std::vector<std::string> codes;
  for (const RouteStop& stop : route.stops) codes.push_back(stop.station);
  TRAVIO_ASSIGN_OR_RETURN(auto stations, unit.FindStations(codes));
  std::map<std::string, std::string> zones;
  std::vector<FieldError> errors;
  for (size_t i = 0; i < route.stops.size(); ++i) {
    auto it = stations.find(route.stops[i].station);
    if (it == stations.end()) {
      errors.push_back({absl::StrCat("stops[", i, "].station"), "no station has this code"});
    } else {
      zones[it->first] = it->second.timezone;
    }
  }
  if (!errors.empty()) return Invalid(reasons::kUnknownStation, errors);
  return zones;
}

absl::StatusOr<Route> CatalogService::CreateRoute(const std::string& org_id, const Route& input) {
  Route route = input;
  TRAVIO_RETURN_IF_ERROR(ValidateRoute(route));
  TRAVIO_RETURN_IF_ERROR(ZonesOf(ports_.store.Reads(), route).status());
  route.id = ports_.ids.NewId();
  route.org_id = org_id;
  route.created_at = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(subscription::CreateWithinQuota(
      *ports_.quota, {.org_id = org_id, .quota = subscription::Quota::kRoutes, .key = route.id},
      [&] {
        return ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
          TRAVIO_RETURN_IF_ERROR(unit.InsertRoute(route));
          return unit.Append(kRouteCreated.Make(route, {.id = ports_.ids.NewId(),
                                                        .aggregate_id = route.id,
                                                        .org_id = org_id,
                                                        .occurred_at = route.created_at,
                                                        .trace_id = ""}));
        });
      }));
  return route;
}

absl::StatusOr<Route> CatalogService::GetRoute(const std::string& org_id,
                                               const std::string& route_id) {
  TRAVIO_ASSIGN_OR_RETURN(auto route, ports_.store.Reads().FindRoute(org_id, route_id));
  if (!route) return RouteNotFound();
  return *std::move(route);
}

absl::StatusOr<Page<Route>> CatalogService::ListRoutes(const std::string& org_id,
                                                       const PageRequest& page) {
  TRAVIO_ASSIGN_OR_RETURN(auto start, PageStart(page));
  TRAVIO_ASSIGN_OR_RETURN(auto rows,
                          ports_.store.Reads().ListRoutes(org_id, start, page.limit + 1));
  return MakePage(std::move(rows), page.limit, [](const Route& route) {
    return ListPosition{route.created_at, route.id};
  });
}

}  // namespace travio::catalog
