#include "services/catalog/domain/rules.h"

#include <algorithm>
#include <array>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::catalog {
namespace {

constexpr int kMaxRouteMinutes = 7 * 24 * 60;
constexpr int64_t kMaxFare = 10'000'000'000;

constexpr std::array<std::pair<TripStatus, std::string_view>, 7> kStatuses = {{
    {TripStatus::kDraft, "draft"},
    {TripStatus::kPublished, "published"},
    {TripStatus::kDelayed, "delayed"},
    {TripStatus::kBoarding, "boarding"},
    {TripStatus::kDeparted, "departed"},
    {TripStatus::kCompleted, "completed"},
    {TripStatus::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<Duty, std::string_view>, 4> kDuties = {{
    {Duty::kDriver, "driver"},
    {Duty::kCoDriver, "co_driver"},
    {Duty::kConductor, "conductor"},
    {Duty::kHelper, "helper"},
}};
constexpr std::array<std::string_view, 7> kWeekdays = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};

std::string Trimmed(const std::string& text) {
  return std::string(ToStd(absl::StripAsciiWhitespace(text)));
}

bool PrintableText(const std::string& text, size_t max_bytes) {
  if (text.empty() || text.size() > max_bytes) return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool ValidCode(const std::string& code) {
  return code.size() >= 3 && code.size() <= 5 && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
         });
}

absl::Status Failed(const Reason& reason, std::string_view message,
                    const std::vector<FieldError>& errors) {
  return WithFieldErrors(Error(reason, message), errors);
}

}  // namespace

std::string_view TripStatusName(TripStatus status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<TripStatus> ParseTripStatus(std::string_view name) {
  for (const auto& [value, candidate] : kStatuses) {
    if (candidate == name) return value;
  }
  return std::nullopt;
}

bool OnSale(TripStatus status) {
  return status == TripStatus::kPublished || status == TripStatus::kDelayed;
}

std::string_view DutyName(Duty duty) {
  for (const auto& [value, name] : kDuties) {
    if (value == duty) return name;
  }
  return "unknown";
}

std::optional<Duty> ParseDuty(std::string_view name) {
  for (const auto& [value, candidate] : kDuties) {
    if (candidate == name) return value;
  }
  return std::nullopt;
}

bool RoleCanTake(std::string_view staff_role, Duty duty) {
  switch (duty) {
    case Duty::kDriver:
    case Duty::kCoDriver:
      return staff_role == "driver";
    case Duty::kConductor:
      return staff_role == "conductor";
    case Duty::kHelper:
      return true;
  }
  return false;
}

absl::Status ValidateStation(Station& station) {
  std::vector<FieldError> errors;
  station.code = absl::AsciiStrToUpper(Trimmed(station.code));
  station.name = Trimmed(station.name);
  station.city = Trimmed(station.city);
  if (!ValidCode(station.code)) {
    errors.push_back({"code", "must be 3 to 5 letters or digits (\"DHK\")"});
  }
  if (!PrintableText(station.name, 120)) errors.push_back({"name", "must be 1 to 120 bytes"});
  if (!PrintableText(station.city, 120)) errors.push_back({"city", "must be 1 to 120 bytes"});
  if (!(station.lat >= -90 && station.lat <= 90)) {
    errors.push_back({"lat", "must be between -90 and 90"});
  }
  if (!(station.lon >= -180 && station.lon <= 180)) {
    errors.push_back({"lon", "must be between -180 and 180"});
  }
  if (!IsTimeZone(station.timezone)) {
    errors.push_back({"timezone", "must be an IANA time zone such as Asia/Dhaka"});
  }
  if (!errors.empty())
    return Failed(reasons::kValidationFailed, "Some fields are not valid.", errors);
  return absl::OkStatus();
}

absl::Status ValidateRoute(Route& route) {
  std::vector<FieldError> errors;
  route.name = Trimmed(route.name);
  if (!PrintableText(route.name, 200)) errors.push_back({"name", "must be 1 to 200 bytes"});
  if (route.stops.size() < 2 || route.stops.size() > 30) {
    errors.push_back({"stops", "a route has 2 to 30 stops"});
    return Failed(reasons::kInvalidRoute, "The route is not valid.", errors);
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < route.stops.size(); ++i) {
    RouteStop& stop = route.stops[i];
    const std::string path = absl::StrCat("stops[", i, "]");
    stop.station = absl::AsciiStrToUpper(Trimmed(stop.station));
    if (!ValidCode(stop.station)) {
      errors.push_back({path + ".station", "must be a station code"});
    } else if (!seen.insert(stop.station).second) {
      errors.push_back({path + ".station", "appears twice on the route"});
    }
    if (i == 0 && (stop.arrive_offset_min != 0 || stop.depart_offset_min != 0)) {
      errors.push_back({path + ".depart_offset_min", "the first stop departs at offset 0"});
    }
    if (stop.depart_offset_min < stop.arrive_offset_min) {
      errors.push_back({path + ".depart_offset_min", "must not be before the arrival"});
    }
    if (i > 0 && stop.arrive_offset_min <= route.stops[i - 1].depart_offset_min) {
      errors.push_back(
          {path + ".arrive_offset_min", "must be after the previous stop's departure"});
    }
    if (stop.depart_offset_min > kMaxRouteMinutes || stop.arrive_offset_min < 0) {
      errors.push_back({path + ".depart_offset_min", "offsets are 0 to 10080 minutes"});
    }
  }
  if (!route.stops.front().boarding) {
    errors.push_back({"stops[0].boarding", "travellers must be able to board at the first stop"});
  }
  if (!route.stops.back().dropping) {
    errors.push_back({absl::StrCat("stops[", route.stops.size() - 1, "].dropping"),
                      "travellers must be able to get off at the last stop"});
  }
  // Nobody gets off where the bus starts or on where it ends.
  route.stops.front().dropping = false;
  route.stops.back().boarding = false;
  if (!errors.empty()) return Failed(reasons::kInvalidRoute, "The route is not valid.", errors);
  return absl::OkStatus();
}

absl::Status ValidateFares(const Route& route, const std::set<std::string>& categories,
                           std::vector<Fare>& fares) {
  std::vector<FieldError> errors;
  auto index_of = [&](const std::string& code) -> int {
    for (size_t i = 0; i < route.stops.size(); ++i) {
      if (route.stops[i].station == code) return static_cast<int>(i);
    }
    return -1;
  };
  if (fares.empty()) errors.push_back({"fares", "at least one fare"});
  if (fares.size() > 500) errors.push_back({"fares", "at most 500 fares"});
  std::set<std::string> keys;
  std::string currency;
  for (size_t i = 0; i < fares.size() && i < 500; ++i) {
    Fare& fare = fares[i];
    const std::string path = absl::StrCat("fares[", i, "]");
    fare.from = absl::AsciiStrToUpper(Trimmed(fare.from));
    fare.to = absl::AsciiStrToUpper(Trimmed(fare.to));
    fare.currency = absl::AsciiStrToUpper(Trimmed(fare.currency));
    fare.category = Trimmed(fare.category);
    const int from = index_of(fare.from);
    const int to = index_of(fare.to);
    if (from < 0) errors.push_back({path + ".from", "is not a stop of the route"});
    if (to < 0) errors.push_back({path + ".to", "is not a stop of the route"});
    if (from >= 0 && to >= 0) {
      if (from >= to) {
        errors.push_back({path + ".to", "must come after from on the route"});
      } else {
        if (!route.stops[static_cast<size_t>(from)].boarding) {
          errors.push_back({path + ".from", "travellers cannot board there"});
        }
        if (!route.stops[static_cast<size_t>(to)].dropping) {
          errors.push_back({path + ".to", "travellers cannot get off there"});
        }
      }
    }
    if (fare.amount <= 0 || fare.amount >= kMaxFare) {
      errors.push_back({path + ".amount", "must be a positive amount in minor units"});
    }
    if (fare.currency.size() != 3 || !std::all_of(fare.currency.begin(), fare.currency.end(),
                                                  [](char c) { return c >= 'A' && c <= 'Z'; })) {
      errors.push_back({path + ".currency", "must be an ISO 4217 code such as BDT"});
    } else if (currency.empty()) {
      currency = fare.currency;
    } else if (fare.currency != currency) {
      errors.push_back({path + ".currency", "all fares of a trip share one currency"});
    }
    if (!fare.category.empty() && !categories.count(fare.category)) {
      errors.push_back({path + ".category", "no sellable seat of the bus has this category"});
    }
    if (!keys.insert(absl::StrCat(fare.from, ">", fare.to, "|", fare.category)).second) {
      errors.push_back({path, "a second fare for the same pair and category"});
    }
  }
  if (!errors.empty()) return Failed(reasons::kInvalidFares, "The fares are not valid.", errors);

  // Every pair on sale prices every seat that can be sold on it, and the whole route is on sale.
  std::set<std::pair<std::string, std::string>> pairs;
  for (const Fare& fare : fares) pairs.insert({fare.from, fare.to});
  pairs.insert({route.stops.front().station, route.stops.back().station});
  for (const auto& [from, to] : pairs) {
    for (const std::string& category : categories) {
      if (!FareFor(fares, from, to, category)) {
        errors.push_back(
            {"fares", absl::StrCat("no fare for ", from, " to ", to, " (", category, " seats)")});
      }
    }
  }
  if (!errors.empty()) {
    return Failed(reasons::kMissingFare, "A journey that is on sale has no fare for some seats.",
                  errors);
  }
  return absl::OkStatus();
}

std::optional<Fare> FareFor(const std::vector<Fare>& fares, std::string_view from,
                            std::string_view to, std::string_view category) {
  std::optional<Fare> fallback;
  for (const Fare& fare : fares) {
    if (fare.from != from || fare.to != to) continue;
    if (fare.category == category) return fare;
    if (fare.category.empty()) fallback = fare;
  }
  return fallback;
}

absl::StatusOr<std::vector<TripStop>> TripStops(const Route& route, absl::Time departure,
                                                const std::map<std::string, std::string>& zones) {
  std::vector<TripStop> stops;
  for (const RouteStop& stop : route.stops) {
    auto zone = zones.find(stop.station);
    if (zone == zones.end()) {
      return Error(reasons::kUnknownStation,
                   absl::StrCat("Station ", stop.station, " has no time zone."));
    }
    stops.push_back(TripStop{.station = stop.station,
                             .timezone = zone->second,
                             .arrive_at = departure + absl::Minutes(stop.arrive_offset_min),
                             .depart_at = departure + absl::Minutes(stop.depart_offset_min),
                             .boarding = stop.boarding,
                             .dropping = stop.dropping});
  }
  return stops;
}

absl::StatusOr<TripStatus> NextStatus(TripStatus current, TripAction action) {
  using enum TripStatus;
  std::optional<TripStatus> next;
  switch (action) {
    case TripAction::kPublish:
      if (current == kDraft) next = kPublished;
      break;
    case TripAction::kDelay:
      if (current == kPublished || current == kDelayed || current == kBoarding) {
        next = current == kBoarding ? kBoarding : kDelayed;
      }
      break;
    case TripAction::kBoard:
      if (current == kPublished || current == kDelayed) next = kBoarding;
      break;
    case TripAction::kDepart:
      if (current == kBoarding) next = kDeparted;
      break;
    case TripAction::kComplete:
      if (current == kDeparted) next = kCompleted;
      break;
    case TripAction::kCancel:
      if (current == kDraft || current == kPublished || current == kDelayed ||
          current == kBoarding) {
        next = kCancelled;
      }
      break;
  }
  if (!next) {
    return Error(reasons::kInvalidTransition,
                 absl::StrCat("A ", ToAbsl(TripStatusName(current)), " trip cannot do that."));
  }
  return *next;
}

std::vector<LocalDate> ServiceDates(const Schedule& schedule, const LocalDate& from,
                                    const LocalDate& until) {
  std::vector<LocalDate> dates;
  LocalDate day = std::max(from, schedule.start_date);
  const LocalDate last = std::min(until, schedule.end_date);
  for (; day <= last; day = NextDay(day)) {
    if (!(schedule.weekdays & (1u << Weekday(day)))) continue;
    if (std::find(schedule.except_dates.begin(), schedule.except_dates.end(), day) !=
        schedule.except_dates.end()) {
      continue;
    }
    dates.push_back(day);
  }
  return dates;
}

absl::StatusOr<uint8_t> WeekdayMask(const std::vector<std::string>& days) {
  if (days.size() == 1 && days[0] == "daily") return uint8_t{0x7f};
  uint8_t mask = 0;
  for (const std::string& day : days) {
    const auto it = std::find(kWeekdays.begin(), kWeekdays.end(), day);
    if (it == kWeekdays.end()) {
      return WithFieldErrors(
          Error(reasons::kValidationFailed, "Unknown weekday."),
          {{"days", "\"daily\" or a list of mon, tue, wed, thu, fri, sat, sun"}});
    }
    mask |= static_cast<uint8_t>(1u << (it - kWeekdays.begin()));
  }
  if (mask == 0) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "No weekday."),
                           {{"days", "at least one day"}});
  }
  return mask;
}

std::vector<std::string> WeekdayNames(uint8_t mask) {
  std::vector<std::string> names;
  for (size_t i = 0; i < kWeekdays.size(); ++i) {
    if (mask & (1u << i)) names.emplace_back(kWeekdays[i]);
  }
  return names;
}

DutyWindow DutyWindowOf(const Trip& trip, absl::Duration rest) {
  return {trip.departure() + trip.delay(), trip.arrival() + trip.delay() + rest};
}

bool Overlaps(const DutyWindow& a, const DutyWindow& b) {
  return a.start < b.end && b.start < a.end;
}

}  // namespace travio::catalog
