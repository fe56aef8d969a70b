#include "services/catalog/storage/sql/sql_catalog_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/catalog/api/catalog_json.h"

namespace travio::catalog {
namespace {

using nlohmann::json;

constexpr char kStationColumns[] =
    "code, name, city, lat, lon, timezone, created_by_org, created_at";
constexpr char kRouteColumns[] = "id, org_id, name, stops, created_at";
constexpr char kTripColumns[] =
    "t.id, t.org_id, t.route_id, t.route_name, t.bus, t.stops, t.fares, t.status, "
    "t.delay_minutes, t.cancel_reason, t.schedule_id, t.service_date, t.created_at, "
    "t.updated_at, t.version";
constexpr char kScheduleColumns[] =
    "id, org_id, route_id, bus_id, departure_minutes, weekdays, start_date, end_date, "
    "except_dates, fares, publish, created_at";
constexpr char kCrewColumns[] = "c.id, c.org_id, c.trip_id, c.staff_id, c.duty, c.created_at";

json ParseJson(const std::string& text) {
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// LIKE pattern for "starts with `prefix`", with the wildcards of `prefix` escaped.
std::string PrefixPattern(const std::string& prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

Station ReadStation(const db::Row& row) {
  return Station{.code = row.Text(0),
                 .name = row.Text(1),
                 .city = row.Text(2),
                 .lat = row.Double(3),
                 .lon = row.Double(4),
                 .timezone = row.Text(5),
                 .created_by_org = row.Text(6),
                 .created_at = absl::FromUnixMicros(row.Int(7))};
}

absl::StatusOr<Route> ReadRoute(const db::Row& row) {
  try {
    const json stops = ParseJson(row.Text(3));
    if (!stops.is_array()) return absl::DataLossError("stored route stops do not parse");
    Route route{.id = row.Text(0),
                .org_id = row.Text(1),
                .name = row.Text(2),
                .stops = {},
                .created_at = absl::FromUnixMicros(row.Int(4))};
    for (const json& stop : stops) {
      route.stops.push_back(RouteStop{.station = stop.value("station", ""),
                                      .arrive_offset_min = stop.value("arrive_offset_min", 0),
                                      .depart_offset_min = stop.value("depart_offset_min", 0),
                                      .boarding = stop.value("boarding", true),
                                      .dropping = stop.value("dropping", true)});
    }
    return route;
  } catch (const nlohmann::json::exception&) {
    // Stored documents are ours, but a damaged row must fail one request, not the process.
    return absl::DataLossError("stored routes do not parse");
  }
}

absl::StatusOr<Trip> ReadTrip(const db::Row& row, size_t at = 0) {
  Trip trip;
  trip.id = row.Text(at + 0);
  trip.org_id = row.Text(at + 1);
  trip.route_id = row.Text(at + 2);
  trip.route_name = row.Text(at + 3);
  TRAVIO_ASSIGN_OR_RETURN(trip.bus, StoredBusFromJson(ParseJson(row.Text(at + 4))));
  TRAVIO_ASSIGN_OR_RETURN(trip.stops, StoredStopsFromJson(ParseJson(row.Text(at + 5))));
  TRAVIO_ASSIGN_OR_RETURN(trip.fares, FaresFromJson(ParseJson(row.Text(at + 6))));
  trip.status = ParseTripStatus(row.Text(at + 7)).value_or(TripStatus::kDraft);
  trip.delay_minutes = static_cast<int>(row.Int(at + 8));
  trip.cancel_reason = row.Text(at + 9);
  trip.schedule_id = row.Text(at + 10);
  if (!row.IsNull(at + 11)) {
    auto date = ParseLocalDate(row.Text(at + 11));
    if (date.ok()) trip.service_date = *date;
  }
  trip.created_at = absl::FromUnixMicros(row.Int(at + 12));
  trip.updated_at = absl::FromUnixMicros(row.Int(at + 13));
  trip.version = row.Int(at + 14);
  return trip;
}

absl::StatusOr<Schedule> ReadSchedule(const db::Row& row) {
  try {
    Schedule schedule;
    schedule.id = row.Text(0);
    schedule.org_id = row.Text(1);
    schedule.route_id = row.Text(2);
    schedule.bus_id = row.Text(3);
    schedule.departure_minutes = static_cast<int>(row.Int(4));
    schedule.weekdays = static_cast<uint8_t>(row.Int(5));
    TRAVIO_ASSIGN_OR_RETURN(schedule.start_date, ParseLocalDate(row.Text(6)));
    TRAVIO_ASSIGN_OR_RETURN(schedule.end_date, ParseLocalDate(row.Text(7)));
    const json except = ParseJson(row.Text(8));
    if (!except.is_array()) return absl::DataLossError("stored except dates do not parse");
    for (const json& date : except) {
      TRAVIO_ASSIGN_OR_RETURN(LocalDate parsed, ParseLocalDate(date.get<std::string>()));
      schedule.except_dates.push_back(parsed);
    }
    TRAVIO_ASSIGN_OR_RETURN(schedule.fares, FaresFromJson(ParseJson(row.Text(9))));
    schedule.publish = row.Int(10) != 0;
    schedule.created_at = absl::FromUnixMicros(row.Int(11));
    return schedule;
  } catch (const nlohmann::json::exception&) {
    // Stored documents are ours, but a damaged row must fail one request, not the process.
    return absl::DataLossError("stored schedules do not parse");
  }
}

CrewAssignment ReadCrew(const db::Row& row) {
  return CrewAssignment{.id = row.Text(0),
                        .org_id = row.Text(1),
                        .trip_id = row.Text(2),
                        .staff_id = row.Text(3),
                        .duty = ParseDuty(row.Text(4)).value_or(Duty::kHelper),
                        .created_at = absl::FromUnixMicros(row.Int(5))};
}

db::Value OptionalText(const std::string& text) {
  if (text.empty()) return std::monostate{};
  return text;
}

// Every statement of the catalog, on a transaction or on the database (autocommit).
class SqlCatalogUnit final : public CatalogUnit {
 public:
  SqlCatalogUnit(db::Session& session, events::Outbox* outbox)
      : session_(session), outbox_(outbox) {}

  absl::Status InsertStation(const Station& station) override {
    auto result = session_.Execute(
        absl::StrCat("INSERT INTO catalog_stations (", kStationColumns,
                     ", name_key, city_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
        {station.code, station.name, station.city, station.lat, station.lon, station.timezone,
         station.created_by_org, absl::ToUnixMicros(station.created_at),
         absl::AsciiStrToLower(station.name), absl::AsciiStrToLower(station.city)});
    if (result.status().code() == absl::StatusCode::kAlreadyExists) {
      return Error(absl::StatusCode::kAlreadyExists, "code_taken",
                   absl::StrCat("A station with code ", station.code, " exists."));
    }
    return result.status();
  }

  absl::StatusOr<std::map<std::string, Station>> FindStations(
      const std::vector<std::string>& codes) override {
    std::map<std::string, Station> found;
    for (const std::string& code : codes) {
      if (found.count(code)) continue;
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result result,
          session_.Execute(
              absl::StrCat("SELECT ", kStationColumns, " FROM catalog_stations WHERE code = $1"),
              {code}));
      if (!result.rows.empty()) found[code] = ReadStation(result.rows[0]);
    }
    return found;
  }

  absl::StatusOr<std::vector<Station>> SearchStations(const std::string& prefix,
                                                      int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(
            absl::StrCat("SELECT ", kStationColumns,
                         " FROM catalog_stations WHERE code LIKE $1 ESCAPE '\\' OR name_key LIKE "
                         "$2 ESCAPE '\\' OR city_key LIKE $2 ESCAPE '\\' ORDER BY code LIMIT $3"),
            {PrefixPattern(absl::AsciiStrToUpper(prefix)),
             PrefixPattern(absl::AsciiStrToLower(prefix)), int64_t{limit}}));
    std::vector<Station> stations;
    for (const db::Row& row : result.rows) stations.push_back(ReadStation(row));
    return stations;
  }

  absl::Status InsertRoute(const Route& route) override {
    return session_
        .Execute(absl::StrCat("INSERT INTO catalog_routes (", kRouteColumns,
                              ") VALUES ($1, $2, $3, $4, $5)"),
                 {route.id, route.org_id, route.name, RouteJson(route)["stops"].dump(),
                  absl::ToUnixMicros(route.created_at)})
        .status();
  }

  absl::StatusOr<std::optional<Route>> FindRoute(const std::string& org_id,
                                                 const std::string& route_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(absl::StrCat("SELECT ", kRouteColumns,
                                      " FROM catalog_routes WHERE org_id = $1 AND id = $2"),
                         {org_id, route_id}));
    if (result.rows.empty()) return std::nullopt;
    TRAVIO_ASSIGN_OR_RETURN(Route route, ReadRoute(result.rows[0]));
    return route;
  }

  absl::StatusOr<std::vector<Route>> ListRoutes(const std::string& org_id,
                                                const std::optional<ListPosition>& after,
                                                int limit) override {
    absl::StatusOr<db::Result> result =
        after ? session_.Execute(
                    absl::StrCat("SELECT ", kRouteColumns,
                                 " FROM catalog_routes WHERE org_id = $1 AND (created_at > $2 OR "
                                 "(created_at = $2 AND id > $3)) ORDER BY created_at, id LIMIT $4"),
                    {org_id, absl::ToUnixMicros(after->at), after->id, int64_t{limit}})
              : session_.Execute(absl::StrCat("SELECT ", kRouteColumns,
                                              " FROM catalog_routes WHERE org_id = $1 ORDER BY "
                                              "created_at, id LIMIT $2"),
                                 {org_id, int64_t{limit}});
    if (!result.ok()) return result.status();
    std::vector<Route> routes;
    for (const db::Row& row : result->rows) {
      TRAVIO_ASSIGN_OR_RETURN(Route route, ReadRoute(row));
      routes.push_back(std::move(route));
    }
    return routes;
  }

  absl::StatusOr<bool> InsertTrip(const Trip& trip) override {
    const std::string service_date = trip.service_date ? FormatLocalDate(*trip.service_date) : "";
    const TripStop& first = trip.stops.front();
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(
            "INSERT INTO catalog_trips (id, org_id, route_id, route_name, bus_id, bus, stops, "
            "fares, status, delay_minutes, cancel_reason, schedule_id, service_date, local_date, "
            "departure_at, arrival_at, created_at, updated_at, version) VALUES ($1, $2, $3, $4, "
            "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) ON CONFLICT "
            "(schedule_id, service_date) DO NOTHING",
            {trip.id, trip.org_id, trip.route_id, trip.route_name, trip.bus.bus_id,
             StoredBusJson(trip.bus).dump(), StoredStopsJson(trip.stops).dump(),
             FaresJson(trip.fares).dump(), std::string(TripStatusName(trip.status)),
             int64_t{trip.delay_minutes}, trip.cancel_reason, OptionalText(trip.schedule_id),
             OptionalText(service_date),
             FormatLocalDate(DateInZone(first.depart_at, first.timezone)),
             absl::ToUnixMicros(trip.departure()), absl::ToUnixMicros(trip.arrival()),
             absl::ToUnixMicros(trip.created_at), absl::ToUnixMicros(trip.updated_at),
             trip.version}));
    return result.affected_rows == 1;
  }

  absl::StatusOr<std::optional<Trip>> FindTrip(const std::string& org_id,
                                               const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(absl::StrCat("SELECT ", kTripColumns,
                                      " FROM catalog_trips t WHERE t.org_id = $1 AND t.id = $2"),
                         {org_id, trip_id}));
    if (result.rows.empty()) return std::nullopt;
    TRAVIO_ASSIGN_OR_RETURN(Trip trip, ReadTrip(result.rows[0]));
    return trip;
  }

  absl::StatusOr<bool> UpdateTrip(const Trip& trip, int64_t expected_version) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(
            "UPDATE catalog_trips SET bus_id = $3, bus = $4, status = $5, delay_minutes = $6, "
            "cancel_reason = $7, updated_at = $8, version = $9 WHERE org_id = $1 AND id = $2 "
            "AND version = $10",
            {trip.org_id, trip.id, trip.bus.bus_id, StoredBusJson(trip.bus).dump(),
             std::string(TripStatusName(trip.status)), int64_t{trip.delay_minutes},
             trip.cancel_reason, absl::ToUnixMicros(trip.updated_at), trip.version,
             expected_version}));
    return result.affected_rows == 1;
  }

  absl::StatusOr<std::vector<Trip>> ListTrips(const std::string& org_id, const TripFilter& filter,
                                              const std::optional<ListPosition>& after,
                                              int limit) override {
    std::string sql =
        absl::StrCat("SELECT ", kTripColumns, " FROM catalog_trips t WHERE t.org_id = $1");
    std::vector<db::Value> params = {org_id};
    auto bind = [&](db::Value value) {
      params.push_back(std::move(value));
      return absl::StrCat("$", params.size());
    };
    if (filter.from_date) {
      absl::StrAppend(&sql, " AND t.local_date >= ", bind(FormatLocalDate(*filter.from_date)));
    }
    if (filter.to_date) {
      absl::StrAppend(&sql, " AND t.local_date <= ", bind(FormatLocalDate(*filter.to_date)));
    }
    if (!filter.route_id.empty())
      absl::StrAppend(&sql, " AND t.route_id = ", bind(filter.route_id));
    if (filter.status) {
      absl::StrAppend(&sql, " AND t.status = ", bind(std::string(TripStatusName(*filter.status))));
    }
    if (after) {
      const std::string at = bind(absl::ToUnixMicros(after->at));
      const std::string id = bind(after->id);
      absl::StrAppend(&sql, " AND (t.departure_at > ", at, " OR (t.departure_at = ", at,
                      " AND t.id > ", id, "))");
    }
    absl::StrAppend(&sql, " ORDER BY t.departure_at, t.id LIMIT ", bind(int64_t{limit}));
    TRAVIO_ASSIGN_OR_RETURN(db::Result result, session_.Execute(sql, params));
    std::vector<Trip> trips;
    for (const db::Row& row : result.rows) {
      TRAVIO_ASSIGN_OR_RETURN(Trip trip, ReadTrip(row));
      trips.push_back(std::move(trip));
    }
    return trips;
  }

  absl::StatusOr<int64_t> CountUpcomingTrips(const std::string& org_id, absl::Time now) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute("SELECT COUNT(*) FROM catalog_trips WHERE org_id = $1 AND arrival_at > "
                         "$2 AND status <> 'cancelled'",
                         {org_id, absl::ToUnixMicros(now)}));
    return result.rows.at(0).Int(0);
  }

  absl::StatusOr<std::vector<Trip>> TripsOnSale(const std::string& org_id,
                                                absl::Time now) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(absl::StrCat("SELECT ", kTripColumns,
                                      " FROM catalog_trips t WHERE t.org_id = $1 AND t.arrival_at "
                                      "> $2 AND t.status IN ('published', 'delayed', 'boarding') "
                                      "ORDER BY t.departure_at, t.id"),
                         {org_id, absl::ToUnixMicros(now)}));
    std::vector<Trip> trips;
    for (const db::Row& row : result.rows) {
      TRAVIO_ASSIGN_OR_RETURN(Trip trip, ReadTrip(row));
      trips.push_back(std::move(trip));
    }
    return trips;
  }

  absl::StatusOr<int64_t> CountActiveTripsOnBus(const std::string& org_id,
                                                const std::string& bus_id,
                                                absl::Time now) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(
            "SELECT COUNT(*) FROM catalog_trips WHERE org_id = $1 AND bus_id = $2 AND (status IN "
            "('boarding', 'departed') OR (status IN ('draft', 'published', 'delayed') AND "
            "arrival_at + delay_minutes * 60000000 > $3))",
            {org_id, bus_id, absl::ToUnixMicros(now)}));
    return result.rows.at(0).Int(0);
  }

  absl::StatusOr<std::set<std::string>> ServiceDatesOf(const std::string& org_id,
                                                       const std::string& schedule_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute("SELECT service_date FROM catalog_trips WHERE org_id = $1 AND "
                         "schedule_id = $2",
                         {org_id, schedule_id}));
    std::set<std::string> dates;
    for (const db::Row& row : result.rows) dates.insert(row.Text(0));
    return dates;
  }

  absl::Status InsertSchedule(const Schedule& schedule) override {
    json except = json::array();
    for (const LocalDate& date : schedule.except_dates) except.push_back(FormatLocalDate(date));
    return session_
        .Execute(absl::StrCat("INSERT INTO catalog_schedules (", kScheduleColumns,
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"),
                 {schedule.id, schedule.org_id, schedule.route_id, schedule.bus_id,
                  int64_t{schedule.departure_minutes}, int64_t{schedule.weekdays},
                  FormatLocalDate(schedule.start_date), FormatLocalDate(schedule.end_date),
                  except.dump(), FaresJson(schedule.fares).dump(),
                  int64_t{schedule.publish ? 1 : 0}, absl::ToUnixMicros(schedule.created_at)})
        .status();
  }

  absl::StatusOr<std::optional<Schedule>> FindSchedule(const std::string& org_id,
                                                       const std::string& schedule_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(absl::StrCat("SELECT ", kScheduleColumns,
                                      " FROM catalog_schedules WHERE org_id = $1 AND id = $2"),
                         {org_id, schedule_id}));
    if (result.rows.empty()) return std::nullopt;
    TRAVIO_ASSIGN_OR_RETURN(Schedule schedule, ReadSchedule(result.rows[0]));
    return schedule;
  }

  absl::Status LockStaff(const std::string& staff_id) override {
    // A row per staff member, written first: on PostgreSQL the row lock queues a racing
    // assignment until this transaction ends; SQLite has one writer anyway.
    return session_
        .Execute(
            "INSERT INTO catalog_staff_locks (staff_id, version) VALUES ($1, 1) ON CONFLICT "
            "(staff_id) DO UPDATE SET version = catalog_staff_locks.version + 1",
            {staff_id})
        .status();
  }

  absl::Status InsertCrew(const CrewAssignment& assignment) override {
    auto result = session_.Execute(
        "INSERT INTO catalog_crew (id, org_id, trip_id, staff_id, duty, created_at) VALUES ($1, "
        "$2, $3, $4, $5, $6)",
        {assignment.id, assignment.org_id, assignment.trip_id, assignment.staff_id,
         std::string(DutyName(assignment.duty)), absl::ToUnixMicros(assignment.created_at)});
    if (result.status().code() == absl::StatusCode::kAlreadyExists) {
      return Error(absl::StatusCode::kAlreadyExists, "already_assigned",
                   "The staff member is already on this trip's crew.");
    }
    return result.status();
  }

  absl::StatusOr<std::vector<std::pair<CrewAssignment, Trip>>> DutiesOf(
      const std::string& org_id, const std::string& staff_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(absl::StrCat("SELECT ", kCrewColumns, ", ", kTripColumns,
                                      " FROM catalog_crew c JOIN catalog_trips t ON t.id = "
                                      "c.trip_id WHERE c.org_id = $1 AND c.staff_id = $2 AND "
                                      "t.status <> 'cancelled'"),
                         {org_id, staff_id}));
    std::vector<std::pair<CrewAssignment, Trip>> duties;
    for (const db::Row& row : result.rows) {
      TRAVIO_ASSIGN_OR_RETURN(Trip trip, ReadTrip(row, 6));
      duties.emplace_back(ReadCrew(row), std::move(trip));
    }
    return duties;
  }

  absl::StatusOr<std::vector<CrewAssignment>> CrewOf(const std::string& org_id,
                                                     const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(absl::StrCat("SELECT ", kCrewColumns,
                                      " FROM catalog_crew c WHERE c.org_id = $1 AND c.trip_id = "
                                      "$2 ORDER BY c.created_at, c.id"),
                         {org_id, trip_id}));
    std::vector<CrewAssignment> crew;
    for (const db::Row& row : result.rows) crew.push_back(ReadCrew(row));
    return crew;
  }

  absl::Status Append(const events::Event& event) override {
    if (outbox_ == nullptr) return absl::InternalError("events are appended in transactions only");
    return outbox_->Append(session_, event);
  }

 private:
  db::Session& session_;
  events::Outbox* outbox_;
};

class SqlCatalogStore final : public CatalogStore {
 public:
  SqlCatalogStore(db::Database& database, events::Outbox& outbox)
      : database_(database), outbox_(outbox), reads_(database, nullptr) {}

  absl::Status InTransaction(const std::function<absl::Status(CatalogUnit&)>& work) override {
    return database_.InTransaction([&](db::Transaction& tx) {
      SqlCatalogUnit unit(tx, &outbox_);
      return work(unit);
    });
  }
  CatalogUnit& Reads() override { return reads_; }

 private:
  db::Database& database_;
  events::Outbox& outbox_;
  SqlCatalogUnit reads_;
};

}  // namespace

std::vector<db::Migration> CatalogMigrations() {
  return {{1, "stations, routes, trips, schedules, crew", R"sql(
CREATE TABLE catalog_stations (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  city TEXT NOT NULL,
  lat DOUBLE PRECISION NOT NULL,
  lon DOUBLE PRECISION NOT NULL,
  timezone TEXT NOT NULL,
  created_by_org TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  name_key TEXT NOT NULL,
  city_key TEXT NOT NULL
);
CREATE INDEX catalog_stations_by_name ON catalog_stations (name_key);
CREATE INDEX catalog_stations_by_city ON catalog_stations (city_key);
CREATE TABLE catalog_routes (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  stops TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX catalog_routes_by_org ON catalog_routes (org_id, created_at, id);
CREATE TABLE catalog_trips (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  route_id TEXT NOT NULL,
  route_name TEXT NOT NULL,
  bus_id TEXT NOT NULL,
  bus TEXT NOT NULL,
  stops TEXT NOT NULL,
  fares TEXT NOT NULL,
  status TEXT NOT NULL,
  delay_minutes BIGINT NOT NULL,
  cancel_reason TEXT NOT NULL,
  schedule_id TEXT,
  service_date TEXT,
  local_date TEXT NOT NULL,
  departure_at BIGINT NOT NULL,
  arrival_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  UNIQUE (schedule_id, service_date)
);
CREATE INDEX catalog_trips_by_departure ON catalog_trips (org_id, departure_at, id);
CREATE INDEX catalog_trips_by_bus ON catalog_trips (org_id, bus_id);
CREATE TABLE catalog_schedules (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  route_id TEXT NOT NULL,
  bus_id TEXT NOT NULL,
  departure_minutes BIGINT NOT NULL,
  weekdays BIGINT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  except_dates TEXT NOT NULL,
  fares TEXT NOT NULL,
  publish BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE catalog_crew (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  trip_id TEXT NOT NULL REFERENCES catalog_trips (id),
  staff_id TEXT NOT NULL,
  duty TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (trip_id, staff_id)
);
CREATE INDEX catalog_crew_by_staff ON catalog_crew (org_id, staff_id);
CREATE TABLE catalog_staff_locks (
  staff_id TEXT PRIMARY KEY,
  version BIGINT NOT NULL
);
)sql"}};
}

std::unique_ptr<CatalogStore> MakeSqlCatalogStore(db::Database& database, events::Outbox& outbox) {
  return std::make_unique<SqlCatalogStore>(database, outbox);
}

}  // namespace travio::catalog
