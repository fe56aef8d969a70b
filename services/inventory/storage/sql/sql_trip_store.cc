#include "services/inventory/storage/sql/sql_trip_store.h"

#include <nlohmann/json.hpp>

#include "platform/base/status_macros.h"

namespace travio::inventory {
namespace {

using nlohmann::json;

std::string ListingJson(const TripListing& listing) {
  const TripOffer& offer = listing.offer;
  json places = json::array();
  for (const Place& place : offer.seats.places) {
    places.push_back({{"label", place.label},
                      {"category", place.category},
                      {"sellable", place.sellable},
                      {"deck", place.deck}});
  }
  json fares = json::array();
  for (const Fare& fare : offer.fares) {
    fares.push_back({{"from", fare.from},
                     {"to", fare.to},
                     {"amount", fare.amount},
                     {"currency", fare.currency},
                     {"category", fare.category}});
  }
  json departs = json::array();
  for (absl::Time time : offer.terms.departs) departs.push_back(absl::ToUnixMicros(time));
  return json{{"stops", offer.seats.stops},
              {"places", places},
              {"fares", fares},
              {"layout", listing.layout_json},
              {"terms",
               {{"route_id", offer.terms.route_id},
                {"bus_class", offer.terms.bus_class},
                {"ac", offer.terms.ac},
                {"departs", departs},
                {"zones", offer.terms.zones}}}}
      .dump();
}

absl::StatusOr<TripListing> ReadListing(const db::Row& row) {
  try {
    TripListing listing;
    TripOffer& offer = listing.offer;
    offer.seats.trip_id = row.Text(0);
    offer.org_id = row.Text(1);
    offer.catalog_version = row.Int(2);
    offer.on_sale = row.Int(3) != 0;
    const json document = json::parse(row.Text(4));
    offer.seats.stops = document.at("stops").get<std::vector<std::string>>();
    for (const json& place : document.at("places")) {
      offer.seats.places.push_back({place.at("label").get<std::string>(),
                                    place.at("category").get<std::string>(),
                                    place.at("sellable").get<bool>(), place.value("deck", 1)});
    }
    for (const json& fare : document.at("fares")) {
      offer.fares.push_back(Fare{.from = fare.at("from").get<std::string>(),
                                 .to = fare.at("to").get<std::string>(),
                                 .amount = fare.at("amount").get<int64_t>(),
                                 .currency = fare.at("currency").get<std::string>(),
                                 .category = fare.at("category").get<std::string>()});
    }
    listing.layout_json = document.at("layout").get<std::string>();
    // Listings stored before pricing rules have no terms; the trip's next event brings them.
    const json terms = document.value("terms", json::object());
    offer.terms.route_id = terms.value("route_id", "");
    offer.terms.bus_class = terms.value("bus_class", "");
    offer.terms.ac = terms.value("ac", false);
    for (const json& micros : terms.value("departs", json::array())) {
      offer.terms.departs.push_back(absl::FromUnixMicros(micros.get<int64_t>()));
    }
    offer.terms.zones = terms.value("zones", std::vector<std::string>{});
    return listing;
  } catch (const json::exception&) {
    return absl::DataLossError("a stored trip listing does not parse");
  }
}

class SqlTripStore final : public TripStore {
 public:
  explicit SqlTripStore(db::Database& database) : database_(database) {}

  absl::StatusOr<bool> Put(const TripListing& listing) override {
    const TripOffer& offer = listing.offer;
    // One statement, so racing deliveries of two versions keep the newer whatever the order.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(
            "INSERT INTO inventory_trips (trip_id, org_id, catalog_version, on_sale, listing) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (trip_id) DO UPDATE SET "
            "org_id = excluded.org_id, catalog_version = excluded.catalog_version, "
            "on_sale = excluded.on_sale, listing = excluded.listing "
            "WHERE inventory_trips.catalog_version < excluded.catalog_version RETURNING trip_id",
            {offer.seats.trip_id, offer.org_id, offer.catalog_version,
             int64_t{offer.on_sale ? 1 : 0}, ListingJson(listing)}));
    return !result.rows.empty();
  }

  absl::StatusOr<std::optional<TripListing>> Find(const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT trip_id, org_id, catalog_version, on_sale, listing FROM "
                          "inventory_trips WHERE trip_id = $1",
                          {trip_id}));
    if (result.rows.empty()) return std::nullopt;
    TRAVIO_ASSIGN_OR_RETURN(TripListing listing, ReadListing(result.rows[0]));
    return listing;
  }

 private:
  db::Database& database_;
};

class OutboxEventSink final : public EventSink {
 public:
  OutboxEventSink(db::Database& database, events::Outbox& outbox)
      : database_(database), outbox_(outbox) {}

  // One INSERT is atomic alone. Run on the database rather than in a transaction of its own,
  // it shares a commit with the writes queued beside it (SQLite's group commit) instead of
  // taking the single writer for a commit of its own on every hold and release.
  absl::Status Append(const events::Event& event) override {
    return outbox_.Append(database_, event);
  }

 private:
  db::Database& database_;
  events::Outbox& outbox_;
};

}  // namespace

std::unique_ptr<TripStore> MakeSqlTripStore(db::Database& database) {
  return std::make_unique<SqlTripStore>(database);
}

std::unique_ptr<EventSink> MakeOutboxEventSink(db::Database& database, events::Outbox& outbox) {
  return std::make_unique<OutboxEventSink>(database, outbox);
}

}  // namespace travio::inventory
