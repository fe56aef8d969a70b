#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "platform/base/clock.h"
#include "platform/events/bus.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"
#include "services/catalog/api/catalog_events.h"
#include "services/inventory/api/inventory_events.h"
#include "services/pricing/api/pricing_client.h"
#include "services/search/api/search_client.h"

namespace travio::search {

/// What the read model survives a restart with: trips, their seat claims and the stations.
struct Snapshot {
  std::vector<std::pair<TripListing, std::map<std::string, SeatClaim>>> trips;
  std::vector<StationEntry> stations;
};

/// The read model's own durable copy, written as events arrive and read back at start.
class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;
  virtual absl::Status PutTrip(const TripListing& listing) = 0;
  virtual absl::Status PutClaims(const std::string& trip_id,
                                 const std::map<std::string, SeatClaim>& claims) = 0;
  virtual absl::Status PutStation(const StationEntry& station) = 0;
  virtual absl::StatusOr<Snapshot> Load() = 0;
};

/// Organization names for the results (the identity service), looked up once per operator.
class OperatorNames {
 public:
  virtual ~OperatorNames() = default;
  virtual absl::StatusOr<std::string> NameOf(const std::string& org_id) = 0;
};

/// The search read model: built from the catalog's trip and station events and inventory's
/// seat events, rebuilt from its snapshot at start. Thread-safe.
class SearchService final : public SearchClient {
 public:
  struct Ports {
    SnapshotStore& snapshots;
    OperatorNames& operators;
    const Clock& clock;
    log::Logger logger;
    /// Prices results under the operators' rules; null shows base fares.
    std::shared_ptr<pricing::PricingClient> pricing = nullptr;
  };
  explicit SearchService(Ports ports);

  /// Loads the snapshot into memory.
  absl::Status Restore();

  absl::StatusOr<SearchResults> Search(const SearchQuery& query) override;
  absl::StatusOr<std::vector<StationEntry>> FindStations(const std::string& query,
                                                         int limit) override;

  /// The catalog's trip.*.v1: a newer version replaces the trip; replays and stale versions
  /// change nothing. A trip that cannot be listed is logged and dropped.
  absl::Status OnTripChanged(const catalog::PublishedTrip& trip);
  /// The catalog's station.added.v1.
  absl::Status OnStationAdded(const catalog::Station& station);
  /// Inventory's seat events of `trip_id` (the event's aggregate): a hold placed claims its
  /// seats until it lapses; one released or expired gives them back; a booking or a block
  /// takes over its hold's claim; cancelled or unblocked seats are given back.
  absl::Status OnHoldPlaced(const std::string& trip_id, const inventory::SeatsChanged& change);
  absl::Status OnHoldEnded(const std::string& trip_id, const inventory::SeatsChanged& change);
  absl::Status OnSeatsTaken(const std::string& trip_id, const inventory::SeatsChanged& change);
  absl::Status OnSeatsBlocked(const std::string& trip_id, const inventory::SeatsChanged& change);
  absl::Status OnSeatsFreed(const std::string& trip_id, const inventory::SeatsChanged& change);
  /// Stations known to the catalog when search starts (best effort).
  absl::Status AddStation(const StationEntry& station);

  const TripIndex& index() const { return trips_; }
  const log::Logger& logger() const { return ports_.logger; }

 private:
  // Each candidate's fare becomes the price of its cheapest free seat under the operator's
  // rules, at `now`: what a hold made then would freeze.
  void PriceWithRules(std::vector<Candidate>& candidates, const SearchQuery& query, absl::Time now);
  static SeatClaim ClaimOf(const inventory::SeatsChanged& change);
  std::string OperatorName(const std::string& org_id);

  Ports ports_;
  TripIndex trips_;
  StationIndex stations_;
  std::mutex names_mutex_;
  std::map<std::string, std::string> operator_names_;
};

/// Subscribes `service` to what its read model is built from: the catalog's trips and
/// stations, inventory's seats. An event whose payload does not read is logged and dropped.
void FollowEvents(events::Bus& bus, const std::shared_ptr<SearchService>& service);

/// The listing of a trip the catalog published: its stops and times, fares, bus, and the seats
/// its layout sells. kInvalidArgument `invalid_event` for a trip with fewer than two stops or a
/// layout that does not read.
absl::StatusOr<TripListing> ListingOf(const catalog::PublishedTrip& trip);

}  // namespace travio::search
