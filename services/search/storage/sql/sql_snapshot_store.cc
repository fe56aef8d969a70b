#include "services/search/storage/sql/sql_snapshot_store.h"

#include <nlohmann/json.hpp>

#include "platform/base/status_macros.h"

namespace travio::search {
namespace {

using nlohmann::json;

std::string ListingJson(const TripListing& listing) {
  json stops = json::array();
  for (const StopTime& stop : listing.stops) {
    stops.push_back({{"station", stop.station},
                     {"arrive_at", stop.arrive_at},
                     {"depart_at", stop.depart_at},
                     {"boarding", stop.boarding},
                     {"dropping", stop.dropping},
                     {"zone", stop.zone}});
  }
  json kinds = json::array();
  for (const SeatKind& kind : listing.seat_kinds) {
    kinds.push_back({{"category", kind.category}, {"deck", kind.deck}});
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
              {"seats", listing.seats},
              {"on_sale", listing.on_sale},
              {"route_id", listing.route_id},
              {"seat_kinds", kinds}}
      .dump();
}

TripListing ListingFrom(const std::string& trip_id, int64_t version, const json& document) {
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
  listing.seats = document.at("seats").get<std::vector<std::string>>();
  listing.on_sale = document.at("on_sale").get<bool>();
  // Snapshots written before pricing rules lack these; the trip's next event brings them.
  listing.route_id = document.value("route_id", "");
  for (const json& kind : document.value("seat_kinds", json::array())) {
    listing.seat_kinds.push_back(
        SeatKind{kind.at("category").get<std::string>(), kind.at("deck").get<int>()});
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
    return database_
        .Execute(
            "INSERT INTO search_trips (trip_id, version, listing, claims) "
            "VALUES ($1, $2, $3, '{}') ON CONFLICT (trip_id) DO UPDATE SET "
            "version = excluded.version, listing = excluded.listing "
            "WHERE search_trips.version < excluded.version",
            {listing.trip_id, listing.version, ListingJson(listing)})
        .status();
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

  absl::StatusOr<Snapshot> Load() override {
    Snapshot snapshot;
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result trips,
        database_.Execute("SELECT trip_id, version, listing, claims FROM search_trips"));
    for (const db::Row& row : trips.rows) {
      try {
        const json claims = json::parse(row.Text(3));
        TripListing listing;
        if (row.Int(1) > 0) {
          listing = ListingFrom(row.Text(0), row.Int(1), json::parse(row.Text(2)));
        } else {
          listing.trip_id = row.Text(0);
        }
        snapshot.trips.emplace_back(std::move(listing), ClaimsFrom(claims));
      } catch (const json::exception&) {
        return absl::DataLossError("a stored search trip does not parse: " + row.Text(0));
      }
    }
    TRAVIO_ASSIGN_OR_RETURN(db::Result stations,
                            database_.Execute("SELECT code, name, city FROM search_stations"));
    for (const db::Row& row : stations.rows) {
      snapshot.stations.push_back({row.Text(0), row.Text(1), row.Text(2)});
    }
    return snapshot;
  }

 private:
  db::Database& database_;
};

}  // namespace

std::vector<db::Migration> SearchMigrations() {
  return {{1, "the search read model's snapshot: trips with their seat claims, and stations",
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
)sql"}};
}

std::unique_ptr<SnapshotStore> MakeSqlSnapshotStore(db::Database& database) {
  return std::make_unique<SqlSnapshotStore>(database);
}

}  // namespace travio::search
