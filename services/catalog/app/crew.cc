// Crew duties, buses in use, and the GTFS export of the network.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/catalog/api/bus_snapshot.h"
#include "services/catalog/api/catalog_events.h"
#include "services/catalog/app/catalog_refusals.h"
#include "services/catalog/app/catalog_service.h"
#include "services/catalog/domain/gtfs.h"
#include "services/catalog/domain/rules.h"
#include "services/operator/api/layout_document.h"

namespace travio::catalog {

absl::StatusOr<CrewAssignment> CatalogService::AssignCrew(const std::string& org_id,
                                                          const std::string& trip_id,
                                                          const std::string& staff_id,
                                                          const std::string& duty_name) {
  auto duty = ParseDuty(duty_name);
  if (!duty) {
    return Invalid(reasons::kValidationFailed,
                   {{"duty", "must be driver, co_driver, conductor or helper"}});
  }
  TRAVIO_ASSIGN_OR_RETURN(fleet::StaffMember member, ports_.fleet->GetStaff(org_id, staff_id));
  if (!RoleCanTake(fleet::StaffRoleName(member.role), *duty)) {
    return WithFieldErrors(
        Error(reasons::kDutyNotAllowed,
              absl::StrCat("A ", ToAbsl(fleet::StaffRoleName(member.role)), " cannot take the ",
                           ToAbsl(DutyName(*duty)), " duty.")),
        {{"duty", "does not match the staff member's role"}});
  }
  CrewAssignment assignment{.id = ports_.ids.NewId(),
                            .org_id = org_id,
                            .trip_id = trip_id,
                            .staff_id = staff_id,
                            .duty = *duty,
                            .created_at = ports_.clock.Now()};
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(unit.LockStaff(staff_id));
    TRAVIO_ASSIGN_OR_RETURN(auto trip, unit.FindTrip(org_id, trip_id));
    if (!trip) return TripNotFound();
    if (trip->status == TripStatus::kCancelled || trip->status == TripStatus::kCompleted) {
      return Error(reasons::kInvalidTransition, "A cancelled or completed trip takes no crew.");
    }
    const DutyWindow wanted = DutyWindowOf(*trip, settings_.crew_rest);
    TRAVIO_ASSIGN_OR_RETURN(auto duties, unit.DutiesOf(org_id, staff_id));
    for (const auto& [existing, other] : duties) {
      if (other.id == trip->id) {
        return Error(reasons::kAlreadyAssigned, "The staff member is already on this trip's crew.");
      }
      if (Overlaps(wanted, DutyWindowOf(other, settings_.crew_rest))) {
        return WithFieldErrors(Error(reasons::kStaffConflict,
                                     absl::StrCat("The staff member is on trip ", other.id, " (",
                                                  FormatInZone(other.departure() + other.delay(),
                                                               other.stops.front().timezone),
                                                  "), too close to this one.")),
                               {{"staff_id", absl::StrCat("busy with trip ", other.id)}});
      }
    }
    TRAVIO_RETURN_IF_ERROR(unit.InsertCrew(assignment));
    return unit.Append(kCrewAssigned.Make(assignment, {.id = ports_.ids.NewId(),
                                                       .aggregate_id = trip_id,
                                                       .org_id = org_id,
                                                       .occurred_at = assignment.created_at,
                                                       .trace_id = ""}));
  }));
  return assignment;
}

absl::StatusOr<std::vector<CrewAssignment>> CatalogService::ListCrew(const std::string& org_id,
                                                                     const std::string& trip_id) {
  TRAVIO_RETURN_IF_ERROR(GetTrip(org_id, trip_id).status());
  return ports_.store.Reads().CrewOf(org_id, trip_id);
}

absl::StatusOr<bool> CatalogService::BusInUse(const std::string& org_id,
                                              const std::string& bus_id) {
  TRAVIO_ASSIGN_OR_RETURN(const int64_t trips, ports_.store.Reads().CountActiveTripsOnBus(
                                                   org_id, bus_id, ports_.clock.Now()));
  return trips > 0;
}

absl::StatusOr<std::map<std::string, std::string>> CatalogService::ExportGtfs(
    const std::string& org_id, const std::string& agency_name, const std::string& agency_url) {
  CatalogUnit& reads = ports_.store.Reads();
  GtfsNetwork network{.agency_id = org_id,
                      .agency_name = agency_name,
                      .agency_url = agency_url,
                      .agency_timezone = "UTC",
                      .stations = {},
                      .routes = {},
                      .trips = {}};
  TRAVIO_ASSIGN_OR_RETURN(network.trips, reads.TripsOnSale(org_id, ports_.clock.Now()));
  // GTFS wants one agency zone: the one the organization's first trip leaves in.
  if (!network.trips.empty())
    network.agency_timezone = network.trips.front().stops.front().timezone;
  std::vector<std::string> codes;
  std::set<std::string> route_ids;
  for (const Trip& trip : network.trips) {
    route_ids.insert(trip.route_id);
    for (const TripStop& stop : trip.stops) codes.push_back(stop.station);
  }
  TRAVIO_ASSIGN_OR_RETURN(auto stations, reads.FindStations(codes));
  for (auto& [code, station] : stations) network.stations.push_back(std::move(station));
  for (const std::string& route_id : route_ids) {
    TRAVIO_ASSIGN_OR_RETURN(auto route, reads.FindRoute(org_id, route_id));
    if (route) network.routes.push_back(*std::move(route));
  }
  return GtfsFiles(network);
}

}  // namespace travio::catalog
