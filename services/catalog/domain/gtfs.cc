#include "services/catalog/domain/gtfs.h"

#include <cstdint>
#include <initializer_list>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "platform/base/local_time.h"

namespace travio::catalog {
namespace {

constexpr std::string_view kBusRouteType = "3";
// fare_attributes: tickets are bought (online or at the counter) before boarding, and one
// covers a single trip with no transfers.
constexpr std::string_view kPaidBeforeBoarding = "1";
constexpr std::string_view kNoTransfers = "0";
// pickup_type / drop_off_type.
constexpr std::string_view kRegularlyScheduled = "0";
constexpr std::string_view kNotAvailable = "1";
constexpr std::string_view kServiceAdded = "1";  // calendar_dates exception_type

// Trips a rider can still take: the feed describes what is on sale or about to leave.
bool Exported(TripStatus status) {
  return status == TripStatus::kPublished || status == TripStatus::kDelayed ||
         status == TripStatus::kBoarding;
}

// RFC 4180: fields with a separator, a quote or a line break are quoted, quotes doubled.
std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void AppendRow(std::string& file, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view field : fields) {
    if (!first) file += ',';
    file += CsvField(field);
    first = false;
  }
  file += '\n';
}

// GTFS counts stop times from "noon minus 12h" of the service day in the agency's zone: local
// midnight, except on a day whose clocks change before noon, where midnight is an hour off
// and the spec wants noon minus 12h all the same.
absl::Time ServiceDayStart(const LocalDate& day, const std::string& zone) {
  absl::StatusOr<absl::Time> noon = LocalToInstant(day, 12 * 60, zone);
  if (!noon.ok()) {
    // An unknown zone reads as UTC, as DateInZone reads it.
    noon = absl::FromCivil(absl::CivilSecond(day.year, day.month, day.day, 12, 0, 0),
                           absl::UTCTimeZone());
  }
  return *noon - absl::Hours(12);
}

// "HH:MM:SS" with hours past 23 for the hours after the service day's midnight.
std::string GtfsTime(absl::Time instant, absl::Time day_start) {
  const int64_t seconds = absl::ToInt64Seconds(instant - day_start);
  return absl::StrFormat("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

std::string GtfsDate(const LocalDate& date) {
  return absl::StrFormat("%04d%02d%02d", date.year, date.month, date.day);
}

// Minor units as a decimal of major units ("1500.00"). Every currency the catalog sells in
// has two decimals; amounts are positive (ValidateFares).
// ISO 4217 minor-unit digits of the currencies that do not use two.
int MinorDigits(std::string_view currency) {
  static constexpr std::pair<std::string_view, int> kDigits[] = {
      {"BHD", 3}, {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3},
      {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3},
      {"LYD", 3}, {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0},
      {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0}};
  for (const auto& [code, digits] : kDigits) {
    if (code == currency) return digits;
  }
  return 2;
}

// Minor units as the currency's major units ("1500.00" BDT, "1500" JPY, "1.500" KWD).
std::string PriceText(int64_t amount, std::string_view currency) {
  const char* sign = amount < 0 ? "-" : "";
  const uint64_t magnitude =
      amount < 0 ? uint64_t{0} - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  const int digits = MinorDigits(currency);
  if (digits == 0) return absl::StrFormat("%s%d", sign, magnitude);
  uint64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  return absl::StrFormat("%s%d.%0*d", sign, magnitude / scale, digits, magnitude % scale);
}

// A GTFS fare: what a journey between two stops of a route costs. Trips of one route with
// the same price share it.
struct FareKey {
  std::string route_id;
  std::string from;
  std::string to;
  int64_t amount = 0;
  std::string currency;
  auto operator<=>(const FareKey&) const = default;
};

// A trip calling at a station the network lacks would send riders to a stop the feed does
// not describe.
bool HasEveryStation(const Trip& trip, const std::map<std::string, const Station*>& stations) {
  for (const TripStop& stop : trip.stops) {
    if (!stations.contains(stop.station)) return false;
  }
  return true;
}

// Journeys the trip actually serves: getting on at `from` and off at a later `to`.
bool TripServes(const Trip& trip, const std::string& from, const std::string& to) {
  bool boarded = false;
  for (const TripStop& stop : trip.stops) {
    if (boarded && stop.station == to) return true;
    if (stop.station == from) boarded = true;
  }
  return false;
}

}  // namespace

std::map<std::string, std::string> GtfsFiles(const GtfsNetwork& network) {
  std::map<std::string, const Station*> stations_by_code;
  for (const Station& station : network.stations) stations_by_code[station.code] = &station;
  std::map<std::string, const Route*> routes_by_id;
  for (const Route& route : network.routes) routes_by_id[route.id] = &route;

  // Ordered by id so that the feed's bytes depend only on the network, not on its order.
  std::map<std::string, const Trip*> trips;
  for (const Trip& trip : network.trips) {
    if (Exported(trip.status) && trip.stops.size() >= 2 &&
        HasEveryStation(trip, stations_by_code)) {
      trips[trip.id] = &trip;
    }
  }

  std::string trips_txt;
  std::string stop_times_txt;
  std::string calendar_dates_txt;
  AppendRow(trips_txt, {"route_id", "service_id", "trip_id"});
  AppendRow(stop_times_txt, {"trip_id", "arrival_time", "departure_time", "stop_id",
                             "stop_sequence", "pickup_type", "drop_off_type"});
  AppendRow(calendar_dates_txt, {"service_id", "date", "exception_type"});

  std::set<std::string> used_stations;
  // route id -> long name: the route's own name, else the one the trip kept.
  std::map<std::string, std::string> used_routes;
  std::set<FareKey> fares;
  for (const auto& [trip_id, trip] : trips) {
    const TripStop& first = trip->stops.front();
    const LocalDate service_date = DateInZone(first.depart_at, network.agency_timezone);
    const absl::Time day_start = ServiceDayStart(service_date, network.agency_timezone);

    // One service per trip: a trip runs on exactly one date, which calendar_dates says.
    AppendRow(trips_txt, {trip->route_id, trip_id, trip_id});
    AppendRow(calendar_dates_txt, {trip_id, GtfsDate(service_date), kServiceAdded});

    for (size_t i = 0; i < trip->stops.size(); ++i) {
      const TripStop& stop = trip->stops[i];
      // The first stop's arrival is when the bus reaches its platform; one set before the
      // service day (or after the departure) would break GTFS's ordering, so it reads as the
      // departure then.
      const bool arrival_usable =
          i > 0 || (stop.arrive_at >= day_start && stop.arrive_at <= stop.depart_at);
      const absl::Time arrival = arrival_usable ? stop.arrive_at : stop.depart_at;
      AppendRow(
          stop_times_txt,
          {trip_id, GtfsTime(arrival, day_start), GtfsTime(stop.depart_at, day_start), stop.station,
           absl::StrCat(i + 1), stop.boarding ? kRegularlyScheduled : kNotAvailable,
           stop.dropping ? kRegularlyScheduled : kNotAvailable});
      used_stations.insert(stop.station);
    }

    auto route = routes_by_id.find(trip->route_id);
    used_routes.try_emplace(trip->route_id,
                            route != routes_by_id.end() ? route->second->name : trip->route_name);

    for (const Fare& fare : trip->fares) {
      // GTFS fares v1 prices a journey, not a seat: a category's fare has no place there.
      if (!fare.category.empty() || !TripServes(*trip, fare.from, fare.to)) continue;
      fares.insert(FareKey{trip->route_id, fare.from, fare.to, fare.amount, fare.currency});
    }
  }

  std::map<std::string, std::string> files;

  std::string& agency_txt = files["agency.txt"];
  AppendRow(agency_txt, {"agency_id", "agency_name", "agency_url", "agency_timezone"});
  AppendRow(agency_txt,
            {network.agency_id, network.agency_name, network.agency_url, network.agency_timezone});

  // zone_id is the stop's own code: fare_rules name origins and destinations by zone.
  std::string& stops_txt = files["stops.txt"];
  AppendRow(stops_txt,
            {"stop_id", "stop_name", "stop_lat", "stop_lon", "zone_id", "stop_timezone"});
  for (const std::string& code : used_stations) {
    const Station& station = *stations_by_code.at(code);
    AppendRow(stops_txt, {station.code, station.name, absl::StrFormat("%.6f", station.lat),
                          absl::StrFormat("%.6f", station.lon), station.code, station.timezone});
  }

  std::string& routes_txt = files["routes.txt"];
  AppendRow(routes_txt,
            {"route_id", "agency_id", "route_short_name", "route_long_name", "route_type"});
  for (const auto& [route_id, name] : used_routes) {
    AppendRow(routes_txt, {route_id, network.agency_id, "", name, kBusRouteType});
  }

  files["trips.txt"] = std::move(trips_txt);
  files["stop_times.txt"] = std::move(stop_times_txt);
  files["calendar_dates.txt"] = std::move(calendar_dates_txt);
  // Every service is a single date in calendar_dates.txt; the file is kept (header only) so
  // that the feed has its full set of files.
  AppendRow(files["calendar.txt"], {"service_id", "monday", "tuesday", "wednesday", "thursday",
                                    "friday", "saturday", "sunday", "start_date", "end_date"});

  // A fare's id is "<route>:<from>-<to>", with its price added when trips of the route sell
  // that journey at different prices.
  std::map<std::tuple<std::string, std::string, std::string>, int> prices_per_journey;
  for (const FareKey& fare : fares) ++prices_per_journey[{fare.route_id, fare.from, fare.to}];
  std::string& fare_attributes_txt = files["fare_attributes.txt"];
  std::string& fare_rules_txt = files["fare_rules.txt"];
  AppendRow(fare_attributes_txt,
            {"fare_id", "price", "currency_type", "payment_method", "transfers", "agency_id"});
  AppendRow(fare_rules_txt, {"fare_id", "route_id", "origin_id", "destination_id"});
  for (const FareKey& fare : fares) {
    std::string fare_id = absl::StrCat(fare.route_id, ":", fare.from, "-", fare.to);
    if (prices_per_journey[{fare.route_id, fare.from, fare.to}] > 1) {
      absl::StrAppend(&fare_id, ":", fare.amount, fare.currency);
    }
    AppendRow(fare_attributes_txt, {fare_id, PriceText(fare.amount, fare.currency), fare.currency,
                                    kPaidBeforeBoarding, kNoTransfers, network.agency_id});
    AppendRow(fare_rules_txt, {fare_id, fare.route_id, fare.from, fare.to});
  }
  return files;
}

}  // namespace travio::catalog
