#pragma once

#include <memory>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/log/logger.h"
#include "services/catalog/api/catalog_client.h"
#include "services/catalog/api/catalog_events.h"
#include "services/catalog/app/ports.h"
#include "services/operator/api/operator_client.h"
#include "services/subscription/api/subscription_client.h"

namespace travio::catalog {

struct CatalogSettings {
  /// Rest a crew member needs between two duties.
  absl::Duration crew_rest = absl::Hours(1);
  /// How far ahead schedules may generate trips.
  int generation_horizon_days = 366;
  /// How long one call may go on making (or, ending a schedule, cancelling) trips before it
  /// answers with what remains (at least one trip a call), however slow the storage; a call
  /// with a deadline (CallerDeadline) also answers at half of what is left of it.
  absl::Duration longest_call = absl::Seconds(2);
  /// Organizations that may add stations (shared by every operator) through the API; "*" in
  /// the list lets every organization. kPlatformOrg (seeds, tooling) always may.
  std::vector<std::string> station_registrars;
};

/// The catalog's use cases; also its in-process CatalogClient.
class CatalogService final : public CatalogClient {
 public:
  struct Ports {
    CatalogStore& store;
    std::shared_ptr<fleet::OperatorClient> fleet;
    std::shared_ptr<subscription::QuotaGate> quota;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
  };
  CatalogService(Ports ports, CatalogSettings settings)
      : ports_(std::move(ports)), settings_(settings) {}

  absl::StatusOr<Station> CreateStation(const std::string& org_id, const Station& station) override;
  absl::StatusOr<std::vector<Station>> ListStations(const std::string& query, int limit) override;
  absl::StatusOr<Route> CreateRoute(const std::string& org_id, const Route& route) override;
  absl::StatusOr<Route> GetRoute(const std::string& org_id, const std::string& route_id) override;
  absl::StatusOr<Page<Route>> ListRoutes(const std::string& org_id,
                                         const PageRequest& page) override;
  absl::StatusOr<Trip> CreateTrip(const std::string& org_id, const TripDraft& draft) override;
  absl::StatusOr<Trip> GetTrip(const std::string& org_id, const std::string& trip_id) override;
  absl::StatusOr<Page<Trip>> ListTrips(const std::string& org_id, const TripFilter& filter,
                                       const PageRequest& page) override;
  absl::StatusOr<Trip> PublishTrip(const std::string& org_id, const std::string& trip_id) override;
  absl::StatusOr<Trip> CancelTrip(const std::string& org_id, const std::string& trip_id,
                                  const std::string& reason) override;
  absl::StatusOr<Trip> DelayTrip(const std::string& org_id, const std::string& trip_id,
                                 int delay_minutes) override;
  absl::StatusOr<Trip> AdvanceTrip(const std::string& org_id, const std::string& trip_id,
                                   TripStatus to) override;
  absl::StatusOr<BusMove> MoveTrip(const std::string& org_id, const std::string& trip_id,
                                   const std::string& bus_id) override;
  absl::StatusOr<Schedule> CreateSchedule(const std::string& org_id,
                                          const ScheduleDraft& draft) override;
  absl::StatusOr<Page<Schedule>> ListSchedules(const std::string& org_id,
                                               const std::string& route_id,
                                               const PageRequest& page) override;
  absl::StatusOr<Schedule> GetSchedule(const std::string& org_id,
                                       const std::string& schedule_id) override;
  absl::StatusOr<Schedule> UpdateSchedule(const std::string& org_id, const std::string& schedule_id,
                                          const SchedulePatch& patch) override;
  absl::StatusOr<ScheduleEnding> EndSchedule(const std::string& org_id,
                                             const std::string& schedule_id,
                                             const ScheduleEnd& end) override;
  absl::StatusOr<GenerationResult> GenerateTrips(const std::string& org_id,
                                                 const std::string& schedule_id,
                                                 const std::string& until) override;
  absl::StatusOr<CrewAssignment> AssignCrew(const std::string& org_id, const std::string& trip_id,
                                            const std::string& staff_id,
                                            const std::string& duty) override;
  absl::StatusOr<std::vector<CrewAssignment>> ListCrew(const std::string& org_id,
                                                       const std::string& trip_id) override;
  absl::StatusOr<bool> BusInUse(const std::string& org_id, const std::string& bus_id) override;
  absl::StatusOr<std::map<std::string, std::string>> ExportGtfs(
      const std::string& org_id, const std::string& agency_name,
      const std::string& agency_url) override;

 private:
  // When a call that makes or cancels trips one by one answers with what remains: after
  // longest_call, and at half of what is left of its caller's deadline, whichever comes first.
  absl::Time AnswerBy() const;
  // A trip of `route` on `bus` leaving at `departure`, fares validated, not stored.
  absl::StatusOr<Trip> NewTrip(const std::string& org_id, const Route& route,
                               const std::map<std::string, std::string>& zones,
                               const fleet::Bus& bus, absl::Time departure, std::vector<Fare> fares,
                               TripStatus status);
  // The schedule `draft` describes, for `org_id`, on its route and bus, fares checked: what
  // creating and changing a schedule share. Leaves id, org_id and created_at to the caller.
  absl::StatusOr<Schedule> ScheduleFrom(const std::string& org_id, const ScheduleDraft& draft);
  // Loads, applies `change` (which may refuse), stores with a version check, emits `event`.
  absl::StatusOr<Trip> ChangeTrip(const std::string& org_id, const std::string& trip_id,
                                  const events::Contract<PublishedTrip>& event,
                                  const std::function<absl::Status(Trip&)>& change);
  absl::StatusOr<std::map<std::string, std::string>> ZonesOf(CatalogUnit& unit, const Route& route);
  absl::Status NotArrivedYet(const Trip& trip) const;
  events::Event TripEvent(const events::Contract<PublishedTrip>& contract, const Trip& trip) const;
  /// The trip's use of the plan's published trips a month.
  static subscription::QuotaUse PublishingOf(const Trip& trip);

  Ports ports_;
  CatalogSettings settings_;
};

}  // namespace travio::catalog
