#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "platform/base/clock.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"
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
  };
  explicit SearchService(Ports ports);

  /// Loads the snapshot into memory.
  absl::Status Restore();

  absl::StatusOr<SearchResults> Search(const SearchQuery& query) override;
  absl::StatusOr<std::vector<StationEntry>> FindStations(const std::string& query,
                                                         int limit) override;

  /// trip.*.v1 (a newer version replaces the trip), station.added.v1, and inventory's
  /// hold.*, booking.* and seats.* events. Replays and stale versions change nothing; a
  /// malformed event is logged and dropped.
  absl::Status OnEvent(const events::Event& event);
  /// Stations known to the catalog when search starts (best effort).
  absl::Status AddStation(const StationEntry& station);

  const TripIndex& index() const { return trips_; }

 private:
  absl::Status OnTripEvent(const events::Event& event);
  absl::Status OnSeatEvent(const events::Event& event);
  std::string OperatorName(const std::string& org_id);

  Ports ports_;
  TripIndex trips_;
  StationIndex stations_;
  std::mutex names_mutex_;
  std::map<std::string, std::string> operator_names_;
};

/// The listing a catalog trip.*.v1 event describes; kInvalidArgument `invalid_event` otherwise.
absl::StatusOr<TripListing> ListingFromTripEvent(const events::Event& event);

}  // namespace travio::search
