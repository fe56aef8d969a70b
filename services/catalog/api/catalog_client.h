#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/paging/paging.h"
#include "services/catalog/domain/model.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::catalog {

/// The organization id under which platform tooling (travio seed) adds stations; never the id
/// of a real organization (those are UUIDs, and the gateway passes only those).
inline constexpr char kPlatformOrg[] = "platform";

/// POST /v1/catalog/trips. `departure` is RFC 3339, or a local date-time read in the first
/// stop's zone; `status` is "draft" (default) or "published".
struct TripDraft {
  std::string route_id;
  std::string bus_id;
  std::string departure;
  std::vector<Fare> fares;
  std::string status;
};

/// GET /v1/catalog/trips filters; dates are local dates at the first stop.
struct TripFilter {
  std::optional<LocalDate> from_date;
  std::optional<LocalDate> to_date;
  std::string route_id;
  std::optional<TripStatus> status;
  std::string schedule_id;  // the trips it generated
};

/// POST /v1/catalog/schedules.
struct ScheduleDraft {
  std::string route_id;
  std::string bus_id;
  std::string departure_time;     // "22:30" at the first stop
  std::vector<std::string> days;  // {"daily"} or weekday names
  std::string start_date;
  std::string end_date;
  std::vector<std::string> except_dates;
  std::vector<Fare> fares;
  bool publish = true;
};

/// PATCH /v1/catalog/schedules/{id}: the fields named in `fields` replace the schedule's
/// ("bus_id", "departure_time", "days", "start_date", "end_date", "except_dates", "fares",
/// "publish"); the route never changes. Trips already generated keep what they were made with.
struct SchedulePatch {
  std::set<std::string> fields;
  ScheduleDraft values;  // route_id unused
};

/// POST /v1/catalog/schedules/{id}/end: the schedule makes no trip after `last_date` (never
/// before its first day); with `cancel_later_trips`, the trips it already made after that date
/// are cancelled (their travellers refunded as for any cancelled trip), at most
/// kMostTripsCancelledAtOnce a call and for at most catalog.longest_call (the next call goes
/// on), else they stay as they are. A `dry_run` changes nothing and counts every trip the
/// calls would cancel.
struct ScheduleEnd {
  std::string last_date;
  bool cancel_later_trips = false;
  std::string reason;
  bool dry_run = false;
};

inline constexpr int kMostTripsCancelledAtOnce = 100;

struct ScheduleEnding {
  Schedule schedule;
  int cancelled = 0;  // trips after the last date cancelled now (would be, in a dry run)
  int kept = 0;       // trips after the last date left running (not asked, boarding, arrived)
  int remaining = 0;  // trips still to cancel by calling again
};

struct GenerationResult {
  int created = 0;
  int existing = 0;   // dates up to `until` that had a trip (earlier calls, a racing run)
  int remaining = 0;  // dates still without a trip: the call ran out of time; call again
};

/// A trip moved to another bus, and the seat labels of the old layout that the new one lacks.
struct BusMove {
  Trip trip;
  std::vector<std::string> missing_seats;
};

/// The catalog service as the gateway and other services see it. Every call except the station
/// lookups is scoped to one organization; another organization's route, trip or schedule is
/// kNotFound.
class CatalogClient {
 public:
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "catalog";
  /// The client of a remote catalog service, over a gRPC channel (mutual TLS, from the runtime),
  /// every call under `policy` (deadline, circuit breaker, retried reads) (api/grpc_*_client.cc).
  static std::shared_ptr<CatalogClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                 const rpc::CallPolicy& policy);

  virtual ~CatalogClient() = default;

  /// kAlreadyExists `code_taken`; kInvalidArgument `validation_failed`.
  virtual absl::StatusOr<Station> CreateStation(const std::string& org_id,
                                                const Station& station) = 0;
  /// Stations whose code, name or city starts with `query` (any case); all when empty.
  virtual absl::StatusOr<std::vector<Station>> ListStations(const std::string& query,
                                                            int limit) = 0;

  /// kInvalidArgument `invalid_route` (422), `unknown_station`.
  virtual absl::StatusOr<Route> CreateRoute(const std::string& org_id, const Route& route) = 0;
  /// kNotFound `route_not_found`.
  virtual absl::StatusOr<Route> GetRoute(const std::string& org_id,
                                         const std::string& route_id) = 0;
  virtual absl::StatusOr<Page<Route>> ListRoutes(const std::string& org_id,
                                                 const PageRequest& page) = 0;

  /// Snapshots the bus's layout. kInvalidArgument `invalid_fares` / `missing_fare` (422);
  /// kNotFound `route_not_found` / `bus_not_found`; kResourceExhausted `plan_limit_reached`
  /// (402) for a published trip the plan has no room for this month.
  virtual absl::StatusOr<Trip> CreateTrip(const std::string& org_id, const TripDraft& draft) = 0;
  /// kNotFound `trip_not_found`.
  virtual absl::StatusOr<Trip> GetTrip(const std::string& org_id, const std::string& trip_id) = 0;
  /// Trips by departure, then id.
  virtual absl::StatusOr<Page<Trip>> ListTrips(const std::string& org_id, const TripFilter& filter,
                                               const PageRequest& page) = 0;
  /// Lifecycle. kFailedPrecondition `invalid_transition` (409).
  virtual absl::StatusOr<Trip> PublishTrip(const std::string& org_id,
                                           const std::string& trip_id) = 0;
  virtual absl::StatusOr<Trip> CancelTrip(const std::string& org_id, const std::string& trip_id,
                                          const std::string& reason) = 0;
  /// Sets the delay (0 to 1440 minutes) of a trip on sale or boarding.
  virtual absl::StatusOr<Trip> DelayTrip(const std::string& org_id, const std::string& trip_id,
                                         int delay_minutes) = 0;
  /// Boarding, departed, completed.
  virtual absl::StatusOr<Trip> AdvanceTrip(const std::string& org_id, const std::string& trip_id,
                                           TripStatus to) = 0;
  /// Puts the trip on another bus of the organization (a new snapshot of its layout).
  virtual absl::StatusOr<BusMove> MoveTrip(const std::string& org_id, const std::string& trip_id,
                                           const std::string& bus_id) = 0;

  virtual absl::StatusOr<Schedule> CreateSchedule(const std::string& org_id,
                                                  const ScheduleDraft& draft) = 0;
  /// The organization's schedules (of one route when `route_id` is not empty), oldest first.
  virtual absl::StatusOr<Page<Schedule>> ListSchedules(const std::string& org_id,
                                                       const std::string& route_id,
                                                       const PageRequest& page) = 0;
  virtual absl::StatusOr<Schedule> GetSchedule(const std::string& org_id,
                                               const std::string& schedule_id) = 0;
  /// kInvalidArgument as CreateSchedule for the values given.
  virtual absl::StatusOr<Schedule> UpdateSchedule(const std::string& org_id,
                                                  const std::string& schedule_id,
                                                  const SchedulePatch& patch) = 0;
  virtual absl::StatusOr<ScheduleEnding> EndSchedule(const std::string& org_id,
                                                     const std::string& schedule_id,
                                                     const ScheduleEnd& end) = 0;
  /// Creates the schedule's trips up to `until` (a local date) that do not exist yet.
  virtual absl::StatusOr<GenerationResult> GenerateTrips(const std::string& org_id,
                                                         const std::string& schedule_id,
                                                         const std::string& until) = 0;

  /// kConflict-like kAlreadyExists `staff_conflict` when the staff member's duties overlap
  /// (with the configured rest); kNotFound `staff_not_found`; kInvalidArgument
  /// `duty_not_allowed` for a role that cannot take the duty.
  virtual absl::StatusOr<CrewAssignment> AssignCrew(const std::string& org_id,
                                                    const std::string& trip_id,
                                                    const std::string& staff_id,
                                                    const std::string& duty) = 0;
  virtual absl::StatusOr<std::vector<CrewAssignment>> ListCrew(const std::string& org_id,
                                                               const std::string& trip_id) = 0;

  /// Whether a trip that has not finished or been cancelled runs on the bus.
  virtual absl::StatusOr<bool> BusInUse(const std::string& org_id, const std::string& bus_id) = 0;

  /// The organization's network on sale (trips published, delayed or boarding that have not
  /// arrived) as the files of a GTFS static feed ("stops.txt" -> CSV), see GtfsFiles.
  virtual absl::StatusOr<std::map<std::string, std::string>> ExportGtfs(
      const std::string& org_id, const std::string& agency_name, const std::string& agency_url) = 0;
};

}  // namespace travio::catalog
