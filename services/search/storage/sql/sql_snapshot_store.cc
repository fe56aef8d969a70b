#include "services/search/storage/sql/sql_snapshot_store.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/time/civil_time.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"

namespace travio::search {
namespace {

using nlohmann::json;

// A seat plan as stored once in search_seat_plans, under the SHA-256 of this text.
std::string PlanJson(const SeatPlan& plan) {
  json kinds = json::array();
  for (const SeatKind& kind : plan.kinds) {
    kinds.push_back({{"category", kind.category}, {"deck", kind.deck}});
  }
  return json{{"seats", plan.seats}, {"kinds", kinds}}.dump();
}

SeatPlan PlanFrom(const json& seats, const json& kinds) {
  SeatPlan plan;
  plan.seats = seats.get<std::vector<std::string>>();
  for (const json& kind : kinds) {
    plan.kinds.push_back(
        SeatKind{kind.at("category").get<std::string>(), kind.at("deck").get<int>()});
  }
  return plan;
}

std::string ListingJson(const TripListing& listing, const std::string& plan_id) {
  json stops = json::array();
  for (const StopTime& stop : listing.stops) {
    stops.push_back({{"station", stop.station},
                     {"arrive_at", stop.arrive_at},
                     {"depart_at", stop.depart_at},
                     {"boarding", stop.boarding},
                     {"dropping", stop.dropping},
                     {"zone", stop.zone}});
  }
  json fares = json::array();
  for (const Fare& fare : listing.fares) {
    fares.push_back({{"from", fare.from},
                     {"to", fare.to},
                     {"amount", fare.amount},
                     {"currency", fare.currency},
                     {"category", fare.category}});
  }
  return json{{"org_id", listing.org_id},
              {"stops", stops},
              {"fares", fares},
              {"bus_class", listing.bus_class},
              {"ac", listing.ac},
              {"amenities", listing.amenities},
              {"seat_plan", plan_id},
              {"on_sale", listing.on_sale},
              {"route_id", listing.route_id}}
      .dump();
}

using Plans = std::map<std::string, std::shared_ptr<const SeatPlan>>;

db::Value DayOrNull(const std::string& day) { return day.empty() ? db::Value{} : db::Value{day}; }

// nullopt when the listing names a seat plan that is not stored.
std::optional<TripListing> ListingFrom(const std::string& trip_id, int64_t version,
                                       const json& document, const Plans& plans) {
  TripListing listing;
  listing.trip_id = trip_id;
  listing.version = version;
  listing.org_id = document.at("org_id").get<std::string>();
  for (const json& stop : document.at("stops")) {
    listing.stops.push_back(
        StopTime{stop.at("station").get<std::string>(), stop.at("arrive_at").get<std::string>(),
                 stop.at("depart_at").get<std::string>(), stop.at("boarding").get<bool>(),
                 stop.at("dropping").get<bool>(), stop.value("zone", "")});
  }
  for (const json& fare : document.at("fares")) {
    listing.fares.push_back(Fare{fare.at("from").get<std::string>(),
                                 fare.at("to").get<std::string>(), fare.at("amount").get<int64_t>(),
                                 fare.at("currency").get<std::string>(),
                                 fare.at("category").get<std::string>()});
  }
  listing.bus_class = document.at("bus_class").get<std::string>();
  listing.ac = document.at("ac").get<bool>();
  listing.amenities = document.at("amenities").get<std::vector<std::string>>();
  listing.on_sale = document.at("on_sale").get<bool>();
  // Snapshots written before pricing rules lack the route; the trip's next event brings it.
  listing.route_id = document.value("route_id", "");
  if (document.contains("seat_plan")) {
    auto plan = plans.find(document.at("seat_plan").get<std::string>());
    if (plan == plans.end()) return std::nullopt;
    listing.seat_plan = plan->second;
  } else {  // written before plans were stored apart: the seats inline, kinds maybe
    listing.seat_plan = std::make_shared<const SeatPlan>(
        PlanFrom(document.at("seats"), document.value("seat_kinds", json::array())));
  }
  return listing;
}

std::string ClaimsJson(const std::map<std::string, SeatClaim>& claims) {
  json out = json::object();
  for (const auto& [owner, claim] : claims) {
    out[owner] = {{"seats", claim.seats},
                  {"from", claim.from},
                  {"to", claim.to},
                  {"expires_at", claim.expires_at == absl::InfiniteFuture()
                                     ? json(nullptr)
                                     : json(absl::ToUnixMicros(claim.expires_at))},
                  {"blocked", claim.blocked}};
  }
  return out.dump();
}

std::map<std::string, SeatClaim> ClaimsFrom(const json& document) {
  std::map<std::string, SeatClaim> claims;
  for (const auto& [owner, claim] : document.items()) {
    claims[owner] = SeatClaim{claim.at("seats").get<std::vector<std::string>>(),
                              claim.at("from").get<int>(), claim.at("to").get<int>(),
                              claim.at("expires_at").is_null()
                                  ? absl::InfiniteFuture()
                                  : absl::FromUnixMicros(claim.at("expires_at").get<int64_t>())};
    claims[owner].blocked = claim.value("blocked", false);
  }
  return claims;
}

class SqlSnapshotStore final : public SnapshotStore {
 public:
  explicit SqlSnapshotStore(db::Database& database) : database_(database) {}

  absl::Status PutTrip(const TripListing& listing) override {
    const std::string plan = PlanJson(*listing.seat_plan);
    const DayRange boarding = BoardingDays(listing);
    const std::string plan_id = crypto::HexEncode(crypto::Sha256(plan));
    // One transaction: a stored listing never names a plan that is not stored.
    return database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(tx.Execute("INSERT INTO search_seat_plans (id, plan) VALUES ($1, $2) "
                                        "ON CONFLICT (id) DO NOTHING",
                                        {plan_id, plan})
                                 .status());
      return tx
          .Execute(
              "INSERT INTO search_trips (trip_id, version, listing, claims, plan_id, "
              "boards_from, boards_until) VALUES ($1, $2, $3, '{}', $4, $5, $6) "
              "ON CONFLICT (trip_id) DO UPDATE SET version = excluded.version, "
              "listing = excluded.listing, plan_id = excluded.plan_id, "
              "boards_from = excluded.boards_from, boards_until = excluded.boards_until "
              "WHERE search_trips.version < excluded.version",
              {listing.trip_id, listing.version, ListingJson(listing, plan_id), plan_id,
               DayOrNull(boarding.first), DayOrNull(boarding.last)})
          .status();
    });
  }

  absl::Status PutClaims(const std::string& trip_id,
                         const std::map<std::string, SeatClaim>& claims) override {
    // Claims may come before their trip: a row of version 0 keeps them until it arrives.
    return database_
        .Execute(
            "INSERT INTO search_trips (trip_id, version, listing, claims) "
            "VALUES ($1, 0, '{}', $2) ON CONFLICT (trip_id) DO UPDATE SET "
            "claims = excluded.claims",
            {trip_id, ClaimsJson(claims)})
        .status();
  }

  absl::Status PutStation(const StationEntry& station) override {
    return database_
        .Execute(
            "INSERT INTO search_stations (code, name, city) VALUES ($1, $2, $3) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, city = excluded.city",
            {station.code, station.name, station.city})
        .status();
  }

  absl::StatusOr<Snapshot> Load(const DayRange& days) override {
    Snapshot snapshot;
    // Plans no trip names any more (its bus changed) are dropped before the read: this runs
    // before the process follows any event, and one search process owns its tables. Skipped
    // while a listing written before plan_id existed still names its plan only in its text.
    // On PostgreSQL a listing's plan is a foreign key: a plan named by a trip another process
    // is writing right now is not dropped (the statement fails instead, and the sweep waits
    // for the next start); on SQLite the writer is one at a time anyway.
    (void)database_
        .Execute(
            "DELETE FROM search_seat_plans WHERE NOT EXISTS (SELECT 1 FROM search_trips "
            "WHERE search_trips.plan_id = search_seat_plans.id) AND NOT EXISTS (SELECT 1 "
            "FROM search_trips WHERE plan_id IS NULL AND version > 0 AND listing LIKE "
            "'%\"seat_plan\"%')")
        .status();
    Plans plans;
    // Trips known only by their claims, and rows of no boarding day (boarding nowhere, or
    // written by hand): few, and always in memory.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result undated,
        database_.Execute("SELECT trip_id, version, listing, claims FROM search_trips "
                          "WHERE boards_from IS NULL"));
    TRAVIO_RETURN_IF_ERROR(ReadRows(undated, plans, snapshot.trips));
    TRAVIO_ASSIGN_OR_RETURN(snapshot.trips, ReadBoarding(days, plans, std::move(snapshot.trips)));
    TRAVIO_ASSIGN_OR_RETURN(db::Result stations,
                            database_.Execute("SELECT code, name, city FROM search_stations"));
    for (const db::Row& row : stations.rows) {
      snapshot.stations.push_back({row.Text(0), row.Text(1), row.Text(2)});
    }
    return snapshot;
  }

  absl::StatusOr<std::vector<StoredTrip>> LoadBoarding(const DayRange& days) override {
    Plans plans;
    return ReadBoarding(days, plans, {});
  }

  absl::StatusOr<std::optional<StoredTrip>> LoadTrip(const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result found,
        database_.Execute("SELECT trip_id, version, listing, claims FROM search_trips "
                          "WHERE trip_id = $1",
                          {trip_id}));
    Plans plans;
    std::vector<StoredTrip> trips;
    TRAVIO_RETURN_IF_ERROR(ReadRows(found, plans, trips));
    if (trips.empty()) return std::nullopt;
    return std::move(trips.front());
  }

 private:
  // The trips boarding on any of `days`, after `trips`: by their first boarding day, one day
  // at a time (a year of them is never read at once), from the longest a trip boards over
  // before the range. Each plan is read once and shared by its trips.
  absl::StatusOr<std::vector<StoredTrip>> ReadBoarding(const DayRange& days, Plans& plans,
                                                       std::vector<StoredTrip> trips) {
    absl::CivilDay first;
    absl::CivilDay last;
    if (!absl::ParseCivilTime(days.first, &first) || !absl::ParseCivilTime(days.last, &last)) {
      return absl::InvalidArgumentError("not a range of days: " + days.first + ".." + days.last);
    }
    for (absl::CivilDay day = first - kLongestBoardingDays; day <= last; ++day) {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result rows,
          database_.Execute("SELECT trip_id, version, listing, claims FROM search_trips "
                            "WHERE boards_from = $1 AND boards_until >= $2 AND version > 0",
                            {absl::FormatCivilTime(day), days.first}));
      TRAVIO_RETURN_IF_ERROR(ReadRows(rows, plans, trips));
    }
    return trips;
  }

  // Rows of (trip_id, version, listing, claims) appended to `trips`.
  absl::Status ReadRows(const db::Result& rows, Plans& plans, std::vector<StoredTrip>& trips) {
    for (const db::Row& row : rows.rows) {
      try {
        const json claims = json::parse(row.Text(3));
        TripListing listing;
        if (row.Int(1) > 0) {
          const json document = json::parse(row.Text(2));
          if (document.contains("seat_plan")) {
            TRAVIO_RETURN_IF_ERROR(FindPlan(document.at("seat_plan").get<std::string>(), plans));
          }
          auto read = ListingFrom(row.Text(0), row.Int(1), document, plans);
          if (!read) {
            return absl::DataLossError("a stored search trip names no stored seat plan: " +
                                       row.Text(0));
          }
          listing = *std::move(read);
        } else {
          listing.trip_id = row.Text(0);
        }
        trips.emplace_back(std::move(listing), ClaimsFrom(claims));
      } catch (const json::exception&) {
        return absl::DataLossError("a stored search trip does not parse: " + row.Text(0));
      }
    }
    return absl::OkStatus();
  }

  // Adds `id` to `plans` when it is not read yet; nothing when it is not stored at all (the
  // listing then fails as DataLoss).
  absl::Status FindPlan(const std::string& id, Plans& plans) {
    if (plans.contains(id)) return absl::OkStatus();
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result found,
        database_.Execute("SELECT plan FROM search_seat_plans WHERE id = $1", {id}));
    if (found.rows.empty()) return absl::OkStatus();
    const json plan = json::parse(found.rows[0].Text(0));
    plans[id] = std::make_shared<const SeatPlan>(PlanFrom(plan.at("seats"), plan.at("kinds")));
    return absl::OkStatus();
  }

  db::Database& database_;
};

}  // namespace

std::vector<db::Migration> SearchMigrations() {
  return {
      {1, "the search read model's snapshot: trips with their seat claims, and stations",
       R"sql(
CREATE TABLE search_trips (
  trip_id TEXT PRIMARY KEY,
  version BIGINT NOT NULL,
  listing TEXT NOT NULL,
  claims TEXT NOT NULL
);
CREATE TABLE search_stations (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  city TEXT NOT NULL
);
)sql"},
      {2, "seat plans stored once, named by the SHA-256 of their text; listings name theirs",
       R"sql(
CREATE TABLE search_seat_plans (
  id TEXT PRIMARY KEY,
  plan TEXT NOT NULL
);
)sql"},
      {3, "each listing's seat plan as a column, so plans no trip names can be found and dropped",
       R"sql(
ALTER TABLE search_trips ADD COLUMN plan_id TEXT;
CREATE INDEX search_trips_by_plan ON search_trips (plan_id);
)sql"},
      {4,
       "a listing's plan as a foreign key on PostgreSQL, so dropping plans nobody names "
       "cannot race a trip being written by another process",
       "CREATE INDEX IF NOT EXISTS search_trips_by_plan ON search_trips (plan_id);",
       R"sql(
ALTER TABLE search_trips ADD CONSTRAINT search_trips_plan
  FOREIGN KEY (plan_id) REFERENCES search_seat_plans (id);
)sql"},
      {5,
       "each listing's first and last boarding days (its boarding stops' local dates) as "
       "columns, so search keeps only the days it needs in memory and reads others on demand",
       R"sql(
ALTER TABLE search_trips ADD COLUMN boards_from TEXT;
ALTER TABLE search_trips ADD COLUMN boards_until TEXT;
UPDATE search_trips SET
  boards_from = (SELECT min(substr(json_extract(stop.value, '$.depart_at'), 1, 10))
                 FROM json_each(search_trips.listing, '$.stops') AS stop
                 WHERE json_extract(stop.value, '$.boarding')),
  boards_until = (SELECT max(substr(json_extract(stop.value, '$.depart_at'), 1, 10))
                  FROM json_each(search_trips.listing, '$.stops') AS stop
                  WHERE json_extract(stop.value, '$.boarding'))
  WHERE version > 0;
CREATE INDEX search_trips_by_boarding ON search_trips (boards_from);
)sql",
       R"sql(
ALTER TABLE search_trips ADD COLUMN boards_from TEXT;
ALTER TABLE search_trips ADD COLUMN boards_until TEXT;
UPDATE search_trips SET
  boards_from = (SELECT min(substr(stop ->> 'depart_at', 1, 10))
                 FROM jsonb_array_elements(search_trips.listing::jsonb -> 'stops') AS stop
                 WHERE (stop ->> 'boarding')::boolean),
  boards_until = (SELECT max(substr(stop ->> 'depart_at', 1, 10))
                  FROM jsonb_array_elements(search_trips.listing::jsonb -> 'stops') AS stop
                  WHERE (stop ->> 'boarding')::boolean)
  WHERE version > 0;
CREATE INDEX search_trips_by_boarding ON search_trips (boards_from);
)sql"}};
}

std::unique_ptr<SnapshotStore> MakeSqlSnapshotStore(db::Database& database) {
  return std::make_unique<SqlSnapshotStore>(database);
}

}  // namespace travio::search
