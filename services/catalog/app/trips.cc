// Trips: created one by one, published, changed, delayed, cancelled, advanced, moved.
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
      return Invalid(reasons::kValidationFailed, {{"status", "must be draft or published"}});
    }
    status = *parsed;
  }
  TRAVIO_ASSIGN_OR_RETURN(Route route, GetRoute(org_id, draft.route_id));
  TRAVIO_ASSIGN_OR_RETURN(auto zones, ZonesOf(ports_.store.Reads(), route));
  auto departure = ParseInstant(draft.departure, zones.at(route.stops.front().station));
  if (!departure.ok()) {
    return Invalid(reasons::kValidationFailed,
                   {{"departure", "must be an RFC 3339 date-time (2026-12-20T22:30:00+06:00)"}});
  }
  if (*departure < ports_.clock.Now()) {
    return Invalid(reasons::kDepartureInPast, {{"departure", "must be in the future"}});
  }
  TRAVIO_ASSIGN_OR_RETURN(fleet::Bus bus, ports_.fleet->GetBus(org_id, draft.bus_id));
  std::vector<Fare> fares = draft.fares;
  TRAVIO_RETURN_IF_ERROR(ValidateFares(route, SoldCategories(bus.layout), fares));
  TRAVIO_ASSIGN_OR_RETURN(Trip trip,
                          NewTrip(org_id, route, zones, bus, *departure, std::move(fares), status));
  auto insert = [&] {
    return ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(unit.InsertTrip(trip).status());
      if (trip.status == TripStatus::kPublished) {
        TRAVIO_RETURN_IF_ERROR(unit.Append(TripEvent(kTripPublished, trip)));
      }
      return absl::OkStatus();
    });
  };
  // A draft counts against nothing until it is published. The reservation comes before the
  // transaction, so no database connection or writer lock waits on a remote call.
  if (trip.status != TripStatus::kPublished) {
    TRAVIO_RETURN_IF_ERROR(insert());
  } else {
    TRAVIO_RETURN_IF_ERROR(
        subscription::CreateWithinQuota(*ports_.quota, PublishingOf(trip), insert));
  }
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
  auto publish = [&] {
    return ChangeTrip(org_id, trip_id, kTripPublished, [&](Trip& trip) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(trip.status, NextStatus(trip.status, TripAction::kPublish));
      if (trip.departure() + trip.delay() <= ports_.clock.Now()) {
        return Error(reasons::kTripDeparted,
                     "The trip's departure has passed; it cannot go on sale.");
      }
      return absl::OkStatus();
    });
  };
  // Only a draft of this organization's is reserved against the plan: anything else is refused
  // as it would be without a plan (and reserves nothing).
  TRAVIO_ASSIGN_OR_RETURN(const Trip current, GetTrip(org_id, trip_id));
  if (current.status != TripStatus::kDraft) return publish();
  Trip published;
  TRAVIO_RETURN_IF_ERROR(
      subscription::CreateWithinQuota(*ports_.quota, PublishingOf(current), [&]() -> absl::Status {
        TRAVIO_ASSIGN_OR_RETURN(published, publish());
        return absl::OkStatus();
      }));
  return published;
}

// Trips nobody marked completed still ran: once the (delayed) arrival has passed, a
// cancellation would refund journeys that happened, and a delay would announce nothing.
absl::Status CatalogService::NotArrivedYet(const Trip& trip) const {
  if (trip.arrival() + trip.delay() > ports_.clock.Now()) return absl::OkStatus();
  return Error(reasons::kTripAlreadyArrived, "The trip's arrival time has passed.");
}

absl::StatusOr<Trip> CatalogService::CancelTrip(const std::string& org_id,
                                                const std::string& trip_id,
                                                const std::string& reason) {
  if (reason.size() > 500)
    return Invalid(reasons::kValidationFailed, {{"reason", "at most 500 bytes"}});
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
    return Invalid(reasons::kValidationFailed, {{"delay_minutes", "must be 0 to 1440"}});
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
      return Invalid(reasons::kValidationFailed,
                     {{"status", "must be boarding, departed or completed"}});
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
          return Error(reasons::kInvalidTransition,
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

}  // namespace travio::catalog
