#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/events/event.h"
#include "platform/paging/paging.h"
#include "services/catalog/api/catalog_client.h"

namespace travio::catalog {

/// The catalog's tables, read and written in one session: a transaction (CatalogStore::
/// InTransaction) or autocommit reads (CatalogStore::Reads).
class CatalogUnit {
 public:
  virtual ~CatalogUnit() = default;

  /// kAlreadyExists `code_taken`.
  virtual absl::Status InsertStation(const Station& station) = 0;
  /// The stations of `codes` that exist, by code.
  virtual absl::StatusOr<std::map<std::string, Station>> FindStations(
      const std::vector<std::string>& codes) = 0;
  virtual absl::StatusOr<std::vector<Station>> SearchStations(const std::string& prefix,
                                                              int limit) = 0;

  virtual absl::Status InsertRoute(const Route& route) = 0;
  virtual absl::StatusOr<std::optional<Route>> FindRoute(const std::string& org_id,
                                                         const std::string& route_id) = 0;
  virtual absl::StatusOr<std::vector<Route>> ListRoutes(const std::string& org_id,
                                                        const std::optional<ListPosition>& after,
                                                        int limit) = 0;

  /// False when the schedule already made a trip on that service date (nothing written).
  virtual absl::StatusOr<bool> InsertTrip(const Trip& trip) = 0;
  virtual absl::StatusOr<std::optional<Trip>> FindTrip(const std::string& org_id,
                                                       const std::string& trip_id) = 0;
  /// Replaces the trip when its stored version is `expected_version`; false otherwise.
  virtual absl::StatusOr<bool> UpdateTrip(const Trip& trip, int64_t expected_version) = 0;
  /// Trips by departure then id; `after.at` is the departure.
  virtual absl::StatusOr<std::vector<Trip>> ListTrips(const std::string& org_id,
                                                      const TripFilter& filter,
                                                      const std::optional<ListPosition>& after,
                                                      int limit) = 0;
  /// Trips published, delayed or boarding whose arrival is after `now`, by departure.
  virtual absl::StatusOr<std::vector<Trip>> TripsOnSale(const std::string& org_id,
                                                        absl::Time now) = 0;
  /// Trips on the bus that are boarding or on the road, or not yet arrived (delay included)
  /// and neither completed nor cancelled.
  virtual absl::StatusOr<int64_t> CountActiveTripsOnBus(const std::string& org_id,
                                                        const std::string& bus_id,
                                                        absl::Time now) = 0;
  /// The service dates ("2026-12-20") the schedule already made trips for.
  virtual absl::StatusOr<std::set<std::string>> ServiceDatesOf(const std::string& org_id,
                                                               const std::string& schedule_id) = 0;

  virtual absl::Status InsertSchedule(const Schedule& schedule) = 0;
  virtual absl::StatusOr<std::optional<Schedule>> FindSchedule(const std::string& org_id,
                                                               const std::string& schedule_id) = 0;
  /// Replaces the organization's schedule `schedule.id` if its stored version is still
  /// `expected_version` (the stored version becomes the next one); false otherwise.
  virtual absl::StatusOr<bool> UpdateSchedule(const Schedule& schedule,
                                              int64_t expected_version) = 0;
  /// The schedule, held until the transaction ends: a change, an ending and each generated
  /// trip take it, so a trip is never made past an end that was saved before it.
  virtual absl::StatusOr<std::optional<Schedule>> LockSchedule(const std::string& org_id,
                                                               const std::string& schedule_id) = 0;
  /// Schedules by creation then id (of one route when `route_id` is not empty).
  virtual absl::StatusOr<std::vector<Schedule>> ListSchedules(
      const std::string& org_id, const std::string& route_id,
      const std::optional<ListPosition>& after, int limit) = 0;

  /// Serialises assignments of one staff member until the transaction ends, so two racing
  /// assignments cannot both miss each other.
  virtual absl::Status LockStaff(const std::string& staff_id) = 0;
  virtual absl::Status InsertCrew(const CrewAssignment& assignment) = 0;
  /// The staff member's assignments on trips that are not cancelled, with those trips.
  virtual absl::StatusOr<std::vector<std::pair<CrewAssignment, Trip>>> DutiesOf(
      const std::string& org_id, const std::string& staff_id) = 0;
  virtual absl::StatusOr<std::vector<CrewAssignment>> CrewOf(const std::string& org_id,
                                                             const std::string& trip_id) = 0;

  virtual absl::Status Append(const events::Event& event) = 0;
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;
  virtual absl::Status InTransaction(const std::function<absl::Status(CatalogUnit&)>& work) = 0;
  /// Reads outside a transaction (Append and writes are not for this one).
  virtual CatalogUnit& Reads() = 0;
};

}  // namespace travio::catalog
