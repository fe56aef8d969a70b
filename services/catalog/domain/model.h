#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "platform/base/fare.h"
#include "platform/base/local_time.h"

namespace travio::catalog {

/// A bus station. Stations are shared by every operator (search matches trips of different
/// operators through the same codes); the organization that added one is recorded.
struct Station {
  std::string code;  // "DHK": 3 to 5 upper-case letters or digits, unique
  std::string name;
  std::string city;
  double lat = 0;
  double lon = 0;
  std::string timezone;  // IANA, "Asia/Dhaka"
  std::string created_by_org;
  absl::Time created_at;
  bool operator==(const Station&) const = default;
};

/// One stop of a route, with minutes after the route's first departure.
struct RouteStop {
  std::string station;  // code
  int arrive_offset_min = 0;
  int depart_offset_min = 0;
  bool boarding = true;  // travellers may get on here
  bool dropping = true;  // travellers may get off here
  bool operator==(const RouteStop&) const = default;
};

struct Route {
  std::string id;
  std::string org_id;
  std::string name;
  std::vector<RouteStop> stops;
  absl::Time created_at;
  bool operator==(const Route&) const = default;
};

using ::travio::Fare;

enum class TripStatus {
  kDraft,
  kPublished,
  kDelayed,
  kBoarding,
  kDeparted,
  kCompleted,
  kCancelled
};
std::string_view TripStatusName(TripStatus status);
std::optional<TripStatus> ParseTripStatus(std::string_view name);
/// Published or delayed: on sale.
bool OnSale(TripStatus status);

/// A stop of a trip with its scheduled times (delays are added on top).
struct TripStop {
  std::string station;
  std::string timezone;
  absl::Time arrive_at;
  absl::Time depart_at;
  bool boarding = true;
  bool dropping = true;
};

/// What the trip keeps of its bus: the seats it sells never change when the bus is edited. The
/// seat layout is the operator's document (its api/layout_document.h reads it); the catalog
/// keeps it as it was and counts its places.
struct BusSnapshot {
  std::string bus_id;
  int64_t bus_version = 0;
  std::string plate;
  std::string bus_class = "seater";  // the operator's class names: seater, semi_sleeper, sleeper
  bool ac = false;
  std::vector<std::string> amenities;
  std::string layout_document;
  int capacity = 0;        // seats and berths, blocked and crew ones included
  int seats_for_sale = 0;  // those that can be sold
};

struct Trip {
  std::string id;
  std::string org_id;
  std::string route_id;
  std::string route_name;
  BusSnapshot bus;
  std::vector<TripStop> stops;  // scheduled times
  std::vector<Fare> fares;
  TripStatus status = TripStatus::kDraft;
  int delay_minutes = 0;
  std::string cancel_reason;
  std::string schedule_id;                // empty for a one-off trip
  std::optional<LocalDate> service_date;  // the schedule's date that made it
  absl::Time created_at;
  absl::Time updated_at;
  int64_t version = 1;

  absl::Time departure() const { return stops.front().depart_at; }
  absl::Time arrival() const { return stops.back().arrive_at; }
  absl::Duration delay() const { return absl::Minutes(delay_minutes); }
};

/// A timetable that generates trips: a local departure time at the first stop on the chosen
/// weekdays between two dates, except some dates.
struct Schedule {
  std::string id;
  std::string org_id;
  std::string route_id;
  std::string bus_id;
  int departure_minutes = 0;  // local time at the first stop, minutes after midnight
  uint8_t weekdays = 0x7f;    // bit 0 Monday .. bit 6 Sunday
  LocalDate start_date;
  LocalDate end_date;
  std::vector<LocalDate> except_dates;
  std::vector<Fare> fares;
  bool publish = true;  // generated trips go on sale at once
  absl::Time created_at;
  int64_t version = 1;  // grows with every change: a change made on an older read is refused
};

/// What a staff member does on a trip.
enum class Duty { kDriver, kCoDriver, kConductor, kHelper };
std::string_view DutyName(Duty duty);
std::optional<Duty> ParseDuty(std::string_view name);
/// Drivers drive (and co-drive); conductors conduct; anyone may help.
/// `staff_role` is the operator's role name (driver, conductor, ...).
bool RoleCanTake(std::string_view staff_role, Duty duty);

struct CrewAssignment {
  std::string id;
  std::string org_id;
  std::string trip_id;
  std::string staff_id;
  Duty duty = Duty::kDriver;
  absl::Time created_at;
  bool operator==(const CrewAssignment&) const = default;
};

}  // namespace travio::catalog
