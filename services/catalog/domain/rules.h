#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/catalog/domain/model.h"

namespace travio::catalog {

/// Trims and checks a station: code of 3 to 5 of [A-Z0-9] (upper-cased), name and city of 1
/// to 120 bytes, latitude and longitude in range, a known IANA zone. kInvalidArgument
/// `validation_failed` with every field error.
absl::Status ValidateStation(Station& station);

/// Checks a route: a name, 2 to 30 stops at distinct stations, the first departing at offset 0,
/// each stop's departure not before its arrival, each arrival after the previous departure,
/// at most 7 days end to end, boarding at the first stop and dropping at the last. kInvalidArgument
/// `invalid_route` with every field error (422 in the API).
absl::Status ValidateRoute(Route& route);

/// Checks fares against the route and the seat categories the bus sells: every fare from a boarding
/// stop to a later dropping stop, a positive amount below 10^10 minor units, one ISO 4217-shaped
/// currency for all, no two fares for one pair and category, categories that the bus sells. Then
/// every pair with a fare must price every sellable seat category (by its own fare or a fare
/// without category), and the whole route (first to last stop) must be priced: kInvalidArgument
/// `missing_fare` naming the pair otherwise. Codes are upper-cased in place.
absl::Status ValidateFares(const Route& route, const std::set<std::string>& categories,
                           std::vector<Fare>& fares);

/// The fare of one seat category for one journey: its own category's fare, else the pair's
/// fare without category; nullopt when the pair is not sold.
std::optional<Fare> FareFor(const std::vector<Fare>& fares, std::string_view from,
                            std::string_view to, std::string_view category);

/// The stops of a trip leaving at `departure` on `route`, each with its station's zone.
/// kInvalidArgument when a station's zone is missing from `zones`.
absl::StatusOr<std::vector<TripStop>> TripStops(const Route& route, absl::Time departure,
                                                const std::map<std::string, std::string>& zones);

/// What changes a trip's status. kFailedPrecondition `invalid_transition` (409) when the
/// trip's status does not allow it.
enum class TripAction { kPublish, kDelay, kBoard, kDepart, kComplete, kCancel };
absl::StatusOr<TripStatus> NextStatus(TripStatus current, TripAction action);

/// The dates a schedule runs on, from `from` up to and including `until` (both clipped to the
/// schedule's own range), in order.
std::vector<LocalDate> ServiceDates(const Schedule& schedule, const LocalDate& from,
                                    const LocalDate& until);

/// "daily" or ["mon", "tue", ...] to a weekday mask; kInvalidArgument otherwise.
absl::StatusOr<uint8_t> WeekdayMask(const std::vector<std::string>& days);
std::vector<std::string> WeekdayNames(uint8_t mask);

/// The time a crew member is busy with a trip: from departure to arrival, both moved by the
/// delay, then `rest` after arrival. Two duties overlap when one starts less than `rest`
/// after the other arrives.
struct DutyWindow {
  absl::Time start;
  absl::Time end;
};
DutyWindow DutyWindowOf(const Trip& trip, absl::Duration rest);
bool Overlaps(const DutyWindow& a, const DutyWindow& b);

}  // namespace travio::catalog
