#include "services/catalog/app/catalog_service.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/catalog/api/bus_snapshot.h"
#include "services/catalog/api/catalog_events.h"
#include "services/catalog/domain/gtfs.h"
#include "services/catalog/domain/rules.h"
#include "services/operator/api/layout_document.h"

namespace travio::catalog {
namespace {

absl::Status TripNotFound() {
  return Error(absl::StatusCode::kNotFound, "trip_not_found", "No such trip in this organization.");
}
absl::Status RouteNotFound() {
  return Error(absl::StatusCode::kNotFound, "route_not_found",
               "No such route in this organization.");
}
absl::Status Invalid(std::string_view reason, const std::vector<FieldError>& errors) {
  return WithFieldErrors(
      Error(absl::StatusCode::kInvalidArgument, reason, "Some fields are not valid."), errors);
}
absl::Status Concurrent() {
  return Error(absl::StatusCode::kAborted, "concurrent_update",
               "The trip changed while this request ran; try again.");
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

}  // namespace

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
    return Error(absl::StatusCode::kPermissionDenied, "station_registry_closed",
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
    return WithFieldErrors(Error(absl::StatusCode::kInvalidArgument, "invalid_limit",
                                 "limit must be between 1 and 200."),
                           {{"limit", "must be between 1 and 200"}});
  }
  if (query.size() > 64) return Invalid("validation_failed", {{"q", "at most 64 bytes"}});
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
  if (!errors.empty()) return Invalid("unknown_station", errors);
  return zones;
}

absl::StatusOr<Route> CatalogService::CreateRoute(const std::string& org_id, const Route& input) {
  Route route = input;
  TRAVIO_RETURN_IF_ERROR(ValidateRoute(route));
  TRAVIO_RETURN_IF_ERROR(ZonesOf(ports_.store.Reads(), route).status());
  route.id = ports_.ids.NewId();
  route.org_id = org_id;
  route.created_at = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(unit.InsertRoute(route));
    return unit.Append(kRouteCreated.Make(route, {.id = ports_.ids.NewId(),
                                                  .aggregate_id = route.id,
                                                  .org_id = org_id,
                                                  .occurred_at = route.created_at,
                                                  .trace_id = ""}));
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

absl::StatusOr<Trip> CatalogService::NewTrip(const std::string& org_id, const Route& route,
                                             const std::map<std::string, std::string>& zones,
                                             const fleet::Bus& bus, absl::Time departure,
                                             std::vector<Fare> fares, TripStatus status) {
  TRAVIO_ASSIGN_OR_RETURN(auto stops, TripStops(route, departure, zones));
  const absl::Time now = ports_.clock.Now();
  return Trip{.id = ports_.ids.NewId(),
              .org_id = org_id,
              .route_id = route.id,
              .route_name = route.name,
              .bus = SnapshotOf(bus),
              .stops = std::move(stops),
              .fares = std::move(fares),
              .status = status,
              .delay_minutes = 0,
              .cancel_reason = "",
              .schedule_id = "",
              .service_date = std::nullopt,
              .created_at = now,
              .updated_at = now,
              .version = 1};
}

absl::StatusOr<Trip> CatalogService::CreateTrip(const std::string& org_id, const TripDraft& draft) {
  TripStatus status = TripStatus::kDraft;
  if (!draft.status.empty()) {
    auto parsed = ParseTripStatus(draft.status);
    if (!parsed || (*parsed != TripStatus::kDraft && *parsed != TripStatus::kPublished)) {
      return Invalid("validation_failed", {{"status", "must be draft or published"}});
    }
    status = *parsed;
  }
  TRAVIO_ASSIGN_OR_RETURN(Route route, GetRoute(org_id, draft.route_id));
  TRAVIO_ASSIGN_OR_RETURN(auto zones, ZonesOf(ports_.store.Reads(), route));
  auto departure = ParseInstant(draft.departure, zones.at(route.stops.front().station));
  if (!departure.ok()) {
    return Invalid("validation_failed",
                   {{"departure", "must be an RFC 3339 date-time (2026-12-20T22:30:00+06:00)"}});
  }
  if (*departure < ports_.clock.Now()) {
    return Invalid("departure_in_past", {{"departure", "must be in the future"}});
  }
  TRAVIO_ASSIGN_OR_RETURN(fleet::Bus bus, ports_.fleet->GetBus(org_id, draft.bus_id));
  std::vector<Fare> fares = draft.fares;
  TRAVIO_RETURN_IF_ERROR(ValidateFares(route, SoldCategories(bus.layout), fares));
  TRAVIO_ASSIGN_OR_RETURN(Trip trip,
                          NewTrip(org_id, route, zones, bus, *departure, std::move(fares), status));
  // Asked before the transaction, so no database connection or writer lock waits on a remote
  // call; racing creations may overshoot the plan by a trip each, which a plan tolerates.
  TRAVIO_ASSIGN_OR_RETURN(const int64_t upcoming,
                          ports_.store.Reads().CountUpcomingTrips(org_id, trip.created_at));
  TRAVIO_RETURN_IF_ERROR(ports_.quota->CheckQuota({.org_id = org_id,
                                                   .resource = subscription::kUpcomingTrips,
                                                   .in_use = upcoming,
                                                   .adding = 1}));
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(unit.InsertTrip(trip).status());
    if (trip.status == TripStatus::kPublished) {
      TRAVIO_RETURN_IF_ERROR(unit.Append(TripEvent(kTripPublished, trip)));
    }
    return absl::OkStatus();
  }));
  return trip;
}

absl::StatusOr<Trip> CatalogService::GetTrip(const std::string& org_id,
                                             const std::string& trip_id) {
  TRAVIO_ASSIGN_OR_RETURN(auto trip, ports_.store.Reads().FindTrip(org_id, trip_id));
  if (!trip) return TripNotFound();
  return *std::move(trip);
}

absl::StatusOr<Page<Trip>> CatalogService::ListTrips(const std::string& org_id,
                                                     const TripFilter& filter,
                                                     const PageRequest& page) {
  TRAVIO_ASSIGN_OR_RETURN(auto start, PageStart(page));
  TRAVIO_ASSIGN_OR_RETURN(auto rows,
                          ports_.store.Reads().ListTrips(org_id, filter, start, page.limit + 1));
  return MakePage(std::move(rows), page.limit, [](const Trip& trip) {
    return ListPosition{trip.departure(), trip.id};
  });
}

absl::StatusOr<Trip> CatalogService::ChangeTrip(const std::string& org_id,
                                                const std::string& trip_id,
                                                const events::Contract<PublishedTrip>& event,
                                                const std::function<absl::Status(Trip&)>& change) {
  Trip changed;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(auto found, unit.FindTrip(org_id, trip_id));
    if (!found) return TripNotFound();
    Trip trip = *std::move(found);
    const int64_t version = trip.version;
    TRAVIO_RETURN_IF_ERROR(change(trip));
    trip.version = version + 1;
    trip.updated_at = ports_.clock.Now();
    TRAVIO_ASSIGN_OR_RETURN(const bool stored, unit.UpdateTrip(trip, version));
    if (!stored) return Concurrent();
    changed = trip;
    return unit.Append(TripEvent(event, trip));
  }));
  ports_.logger.Info("trip changed",
                     {{"org_id", org_id}, {"trip_id", trip_id}, {"event", event.type}});
  return changed;
}

absl::StatusOr<Trip> CatalogService::PublishTrip(const std::string& org_id,
                                                 const std::string& trip_id) {
  return ChangeTrip(org_id, trip_id, kTripPublished, [&](Trip& trip) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(trip.status, NextStatus(trip.status, TripAction::kPublish));
    if (trip.departure() + trip.delay() <= ports_.clock.Now()) {
      return Error(absl::StatusCode::kFailedPrecondition, "trip_departed",
                   "The trip's departure has passed; it cannot go on sale.");
    }
    return absl::OkStatus();
  });
}

// Trips nobody marked completed still ran: once the (delayed) arrival has passed, a
// cancellation would refund journeys that happened, and a delay would announce nothing.
absl::Status CatalogService::NotArrivedYet(const Trip& trip) const {
  if (trip.arrival() + trip.delay() > ports_.clock.Now()) return absl::OkStatus();
  return Error(absl::StatusCode::kFailedPrecondition, "trip_already_arrived",
               "The trip's arrival time has passed.");
}

absl::StatusOr<Trip> CatalogService::CancelTrip(const std::string& org_id,
                                                const std::string& trip_id,
                                                const std::string& reason) {
  if (reason.size() > 500) return Invalid("validation_failed", {{"reason", "at most 500 bytes"}});
  return ChangeTrip(org_id, trip_id, kTripCancelled, [&](Trip& trip) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(trip.status, NextStatus(trip.status, TripAction::kCancel));
    TRAVIO_RETURN_IF_ERROR(NotArrivedYet(trip));
    trip.cancel_reason = reason.empty() ? "cancelled by the operator" : reason;
    return absl::OkStatus();
  });
}

absl::StatusOr<Trip> CatalogService::DelayTrip(const std::string& org_id,
                                               const std::string& trip_id, int delay_minutes) {
  if (delay_minutes < 0 || delay_minutes > 1440) {
    return Invalid("validation_failed", {{"delay_minutes", "must be 0 to 1440"}});
  }
  return ChangeTrip(org_id, trip_id, kTripDelayed, [&](Trip& trip) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(trip.status, NextStatus(trip.status, TripAction::kDelay));
    TRAVIO_RETURN_IF_ERROR(NotArrivedYet(trip));
    // A delay taken back returns the trip to plain "published".
    if (delay_minutes == 0 && trip.status == TripStatus::kDelayed) {
      trip.status = TripStatus::kPublished;
    }
    trip.delay_minutes = delay_minutes;
    return absl::OkStatus();
  });
}

absl::StatusOr<Trip> CatalogService::AdvanceTrip(const std::string& org_id,
                                                 const std::string& trip_id, TripStatus to) {
  TripAction action;
  const events::Contract<PublishedTrip>* event = nullptr;
  switch (to) {
    case TripStatus::kBoarding:
      action = TripAction::kBoard;
      event = &kTripBoarding;
      break;
    case TripStatus::kDeparted:
      action = TripAction::kDepart;
      event = &kTripDeparted;
      break;
    case TripStatus::kCompleted:
      action = TripAction::kComplete;
      event = &kTripCompleted;
      break;
    default:
      return Invalid("validation_failed", {{"status", "must be boarding, departed or completed"}});
  }
  return ChangeTrip(org_id, trip_id, *event, [&](Trip& trip) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(trip.status, NextStatus(trip.status, action));
    return absl::OkStatus();
  });
}

absl::StatusOr<BusMove> CatalogService::MoveTrip(const std::string& org_id,
                                                 const std::string& trip_id,
                                                 const std::string& bus_id) {
  TRAVIO_ASSIGN_OR_RETURN(fleet::Bus bus, ports_.fleet->GetBus(org_id, bus_id));
  TRAVIO_ASSIGN_OR_RETURN(Route route, [&]() -> absl::StatusOr<Route> {
    TRAVIO_ASSIGN_OR_RETURN(Trip trip, GetTrip(org_id, trip_id));
    return GetRoute(org_id, trip.route_id);
  }());
  BusMove move;
  TRAVIO_ASSIGN_OR_RETURN(
      move.trip, ChangeTrip(org_id, trip_id, kTripUpdated, [&](Trip& trip) -> absl::Status {
        if (trip.status == TripStatus::kCancelled || trip.status == TripStatus::kDeparted ||
            trip.status == TripStatus::kCompleted) {
          return Error(absl::StatusCode::kFailedPrecondition, "invalid_transition",
                       "A trip that left or was cancelled keeps its bus.");
        }
        // Fares name seat categories; the new bus must still be priced.
        std::vector<Fare> fares = trip.fares;
        TRAVIO_RETURN_IF_ERROR(ValidateFares(route, SoldCategories(bus.layout), fares));
        TRAVIO_ASSIGN_OR_RETURN(const fleet::SeatLayout kept,
                                fleet::LayoutFromDocument(trip.bus.layout_document));
        const std::vector<std::string> before = Labels(kept);
        std::vector<std::string> after = Labels(bus.layout);
        std::sort(after.begin(), after.end());
        move.missing_seats.clear();
        for (const std::string& label : before) {
          if (!std::binary_search(after.begin(), after.end(), label)) {
            move.missing_seats.push_back(label);
          }
        }
        trip.bus = SnapshotOf(bus);
        return absl::OkStatus();
      }));
  return move;
}

absl::StatusOr<Schedule> CatalogService::CreateSchedule(const std::string& org_id,
                                                        const ScheduleDraft& draft) {
  std::vector<FieldError> errors;
  Schedule schedule;
  auto time = ParseClockTime(draft.departure_time);
  if (!time.ok()) errors.push_back({"departure_time", "must be HH:MM (22:30)"});
  auto mask = WeekdayMask(draft.days);
  if (!mask.ok()) errors.push_back({"days", "\"daily\" or a list of mon, tue, ... sun"});
  auto start = ParseLocalDate(draft.start_date);
  if (!start.ok()) errors.push_back({"start_date", "must be a date (2026-12-01)"});
  auto end = ParseLocalDate(draft.end_date);
  if (!end.ok()) errors.push_back({"end_date", "must be a date (2026-12-31)"});
  const bool bad_range =
      start.ok() && end.ok() && (*end < *start || DaysBetween(*start, *end) > 3 * 366);
  if (draft.except_dates.size() > 366) errors.push_back({"except_dates", "at most 366 dates"});
  for (size_t i = 0; i < draft.except_dates.size() && i < 366; ++i) {
    auto date = ParseLocalDate(draft.except_dates[i]);
    if (!date.ok()) {
      errors.push_back({absl::StrCat("except_dates[", i, "]"), "must be a date"});
    } else {
      schedule.except_dates.push_back(*date);
    }
  }
  if (!errors.empty()) return Invalid("validation_failed", errors);
  if (bad_range) {
    return Invalid("invalid_date_range",
                   {{"end_date", "must be on or after start_date, within three years"}});
  }
  TRAVIO_ASSIGN_OR_RETURN(Route route, GetRoute(org_id, draft.route_id));
  TRAVIO_ASSIGN_OR_RETURN(fleet::Bus bus, ports_.fleet->GetBus(org_id, draft.bus_id));
  schedule.fares = draft.fares;
  TRAVIO_RETURN_IF_ERROR(ValidateFares(route, SoldCategories(bus.layout), schedule.fares));
  schedule.id = ports_.ids.NewId();
  schedule.org_id = org_id;
  schedule.route_id = route.id;
  schedule.bus_id = bus.id;
  schedule.departure_minutes = *time;
  schedule.weekdays = *mask;
  schedule.start_date = *start;
  schedule.end_date = *end;
  schedule.publish = draft.publish;
  schedule.created_at = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction(
      [&](CatalogUnit& unit) -> absl::Status { return unit.InsertSchedule(schedule); }));
  return schedule;
}

absl::StatusOr<GenerationResult> CatalogService::GenerateTrips(const std::string& org_id,
                                                               const std::string& schedule_id,
                                                               const std::string& until_text) {
  auto until = ParseLocalDate(until_text);
  if (!until.ok()) return Invalid("validation_failed", {{"until", "must be a date (2026-12-31)"}});
  TRAVIO_ASSIGN_OR_RETURN(auto found, ports_.store.Reads().FindSchedule(org_id, schedule_id));
  if (!found) {
    return Error(absl::StatusCode::kNotFound, "schedule_not_found",
                 "No such schedule in this organization.");
  }
  const Schedule schedule = *std::move(found);
  TRAVIO_ASSIGN_OR_RETURN(Route route, GetRoute(org_id, schedule.route_id));
  TRAVIO_ASSIGN_OR_RETURN(auto zones, ZonesOf(ports_.store.Reads(), route));
  const std::string& origin_zone = zones.at(route.stops.front().station);
  const absl::Time now = ports_.clock.Now();
  const LocalDate today = DateInZone(now, origin_zone);
  if (DaysBetween(today, *until) > settings_.generation_horizon_days) {
    return Invalid(
        "beyond_horizon",
        {{"until", absl::StrCat("at most ", settings_.generation_horizon_days, " days ahead")}});
  }
  TRAVIO_ASSIGN_OR_RETURN(fleet::Bus bus, ports_.fleet->GetBus(org_id, schedule.bus_id));
  // The bus may have changed since the schedule was made: its seats must still be priced.
  std::vector<Fare> fares = schedule.fares;
  TRAVIO_RETURN_IF_ERROR(ValidateFares(route, SoldCategories(bus.layout), fares));
  TRAVIO_ASSIGN_OR_RETURN(const std::set<std::string> made,
                          ports_.store.Reads().ServiceDatesOf(org_id, schedule.id));
  TRAVIO_ASSIGN_OR_RETURN(int64_t upcoming, ports_.store.Reads().CountUpcomingTrips(org_id, now));

  GenerationResult result;
  for (const LocalDate& date : ServiceDates(schedule, today, *until)) {
    if (made.count(FormatLocalDate(date))) {
      ++result.existing;
      continue;
    }
    TRAVIO_ASSIGN_OR_RETURN(absl::Time departure,
                            LocalToInstant(date, schedule.departure_minutes, origin_zone));
    if (departure <= now) continue;  // today's run already left
    TRAVIO_ASSIGN_OR_RETURN(
        Trip trip, NewTrip(org_id, route, zones, bus, departure, fares,
                           schedule.publish ? TripStatus::kPublished : TripStatus::kDraft));
    trip.schedule_id = schedule.id;
    trip.service_date = date;
    TRAVIO_RETURN_IF_ERROR(ports_.quota->CheckQuota({.org_id = org_id,
                                                     .resource = subscription::kUpcomingTrips,
                                                     .in_use = upcoming,
                                                     .adding = 1}));
    // One transaction per trip: a long horizon never holds the writer for long, and a failure
    // half-way leaves whole trips that the next run counts as existing. A racing run that made
    // the date first leaves the insert without effect.
    bool inserted = false;
    TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(inserted, unit.InsertTrip(trip));
      if (inserted && trip.status == TripStatus::kPublished) {
        TRAVIO_RETURN_IF_ERROR(unit.Append(TripEvent(kTripPublished, trip)));
      }
      return absl::OkStatus();
    }));
    if (inserted) {
      ++result.created;
      ++upcoming;
    } else {
      ++result.existing;
    }
  }
  ports_.logger.Info("schedule generated", {{"org_id", org_id},
                                            {"schedule_id", schedule_id},
                                            {"created", result.created},
                                            {"existing", result.existing}});
  return result;
}

absl::StatusOr<CrewAssignment> CatalogService::AssignCrew(const std::string& org_id,
                                                          const std::string& trip_id,
                                                          const std::string& staff_id,
                                                          const std::string& duty_name) {
  auto duty = ParseDuty(duty_name);
  if (!duty) {
    return Invalid("validation_failed",
                   {{"duty", "must be driver, co_driver, conductor or helper"}});
  }
  TRAVIO_ASSIGN_OR_RETURN(fleet::StaffMember member, ports_.fleet->GetStaff(org_id, staff_id));
  if (!RoleCanTake(fleet::StaffRoleName(member.role), *duty)) {
    return WithFieldErrors(
        Error(absl::StatusCode::kInvalidArgument, "duty_not_allowed",
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
      return Error(absl::StatusCode::kFailedPrecondition, "invalid_transition",
                   "A cancelled or completed trip takes no crew.");
    }
    const DutyWindow wanted = DutyWindowOf(*trip, settings_.crew_rest);
    TRAVIO_ASSIGN_OR_RETURN(auto duties, unit.DutiesOf(org_id, staff_id));
    for (const auto& [existing, other] : duties) {
      if (other.id == trip->id) {
        return Error(absl::StatusCode::kAlreadyExists, "already_assigned",
                     "The staff member is already on this trip's crew.");
      }
      if (Overlaps(wanted, DutyWindowOf(other, settings_.crew_rest))) {
        return WithFieldErrors(Error(absl::StatusCode::kAlreadyExists, "staff_conflict",
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
