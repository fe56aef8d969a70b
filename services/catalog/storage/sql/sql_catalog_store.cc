#include "services/catalog/storage/sql/sql_catalog_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/catalog/api/catalog_json.h"
#include "services/catalog/storage/sql/catalog_rows.h"

namespace travio::catalog {
namespace {

using nlohmann::json;

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
      return Error(reasons::kCodeTaken,
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
    if (!filter.schedule_id.empty())
      absl::StrAppend(&sql, " AND t.schedule_id = ", bind(filter.schedule_id));
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
        .Execute(
            absl::StrCat("INSERT INTO catalog_schedules (", kScheduleColumns,
                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"),
            {schedule.id, schedule.org_id, schedule.route_id, schedule.bus_id,
             int64_t{schedule.departure_minutes}, int64_t{schedule.weekdays},
             FormatLocalDate(schedule.start_date), FormatLocalDate(schedule.end_date),
             except.dump(), FaresJson(schedule.fares).dump(), int64_t{schedule.publish ? 1 : 0},
             absl::ToUnixMicros(schedule.created_at), schedule.version})
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

  absl::StatusOr<bool> UpdateSchedule(const Schedule& schedule, int64_t expected_version) override {
    json except = json::array();
    for (const LocalDate& date : schedule.except_dates) except.push_back(FormatLocalDate(date));
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session_.Execute(
            "UPDATE catalog_schedules SET bus_id = $3, departure_minutes = $4, weekdays = $5, "
            "start_date = $6, end_date = $7, except_dates = $8, fares = $9, publish = $10, "
            "version = $11 WHERE org_id = $1 AND id = $2 AND version = $12",
            {schedule.org_id, schedule.id, schedule.bus_id, int64_t{schedule.departure_minutes},
             int64_t{schedule.weekdays}, FormatLocalDate(schedule.start_date),
             FormatLocalDate(schedule.end_date), except.dump(), FaresJson(schedule.fares).dump(),
             int64_t{schedule.publish ? 1 : 0}, expected_version + 1, expected_version}));
    return result.affected_rows > 0;
  }

  absl::StatusOr<std::optional<Schedule>> LockSchedule(const std::string& org_id,
                                                       const std::string& schedule_id) override {
    // A write that changes nothing: on PostgreSQL it holds the row until the transaction ends
    // (a racing change or generation waits for it); SQLite serialises writing transactions.
    TRAVIO_RETURN_IF_ERROR(session_
                               .Execute("UPDATE catalog_schedules SET version = version WHERE "
                                        "org_id = $1 AND id = $2",
                                        {org_id, schedule_id})
                               .status());
    return FindSchedule(org_id, schedule_id);
  }

  absl::StatusOr<std::vector<Schedule>> ListSchedules(const std::string& org_id,
                                                      const std::string& route_id,
                                                      const std::optional<ListPosition>& after,
                                                      int limit) override {
    std::string sql =
        absl::StrCat("SELECT ", kScheduleColumns, " FROM catalog_schedules WHERE org_id = $1");
    std::vector<db::Value> params = {org_id};
    auto bind = [&](db::Value value) {
      params.push_back(std::move(value));
      return absl::StrCat("$", params.size());
    };
    if (!route_id.empty()) absl::StrAppend(&sql, " AND route_id = ", bind(route_id));
    if (after) {
      const std::string at = bind(absl::ToUnixMicros(after->at));
      const std::string id = bind(after->id);
      absl::StrAppend(&sql, " AND (created_at > ", at, " OR (created_at = ", at, " AND id > ", id,
                      "))");
    }
    absl::StrAppend(&sql, " ORDER BY created_at, id LIMIT ", bind(int64_t{limit}));
    TRAVIO_ASSIGN_OR_RETURN(db::Result result, session_.Execute(sql, params));
    std::vector<Schedule> schedules;
    for (const db::Row& row : result.rows) {
      TRAVIO_ASSIGN_OR_RETURN(Schedule schedule, ReadSchedule(row));
      schedules.push_back(std::move(schedule));
    }
    return schedules;
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
      return Error(reasons::kAlreadyAssigned, "The staff member is already on this trip's crew.");
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

std::unique_ptr<CatalogStore> MakeSqlCatalogStore(db::Database& database, events::Outbox& outbox) {
  return std::make_unique<SqlCatalogStore>(database, outbox);
}

}  // namespace travio::catalog
