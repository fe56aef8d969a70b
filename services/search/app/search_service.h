#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "platform/base/clock.h"
#include "platform/events/bus.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"
#include "services/catalog/api/catalog_events.h"
#include "services/inventory/api/inventory_events.h"
#include "services/pricing/api/pricing_client.h"
#include "services/search/api/search_client.h"

namespace travio::search {

/// A trip as the snapshot keeps it: its listing (version 0 when only claims made before it
/// arrived are known) and the seats claimed on it.
using StoredTrip = std::pair<TripListing, std::map<std::string, SeatClaim>>;

/// What the read model starts with: the trips it keeps in memory and the stations.
struct Snapshot {
  std::vector<StoredTrip> trips;
  std::vector<StationEntry> stations;
};

/// The read model's own durable copy of every trip, written as events arrive: the whole truth,
/// of which memory holds the days searched most.
class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;
  virtual absl::Status PutTrip(const TripListing& listing) = 0;
  virtual absl::Status PutClaims(const std::string& trip_id,
                                 const std::map<std::string, SeatClaim>& claims) = 0;
  virtual absl::Status PutStation(const StationEntry& station) = 0;
  /// The stations, the trips boarding on any of `days`, and trips known only by their claims.
  virtual absl::StatusOr<Snapshot> Load(const DayRange& days) = 0;
  /// The trips boarding on any of `days` (listings only; not those known only by claims).
  virtual absl::StatusOr<std::vector<StoredTrip>> LoadBoarding(const DayRange& days) = 0;
  /// One trip; nullopt when nothing of it is stored.
  virtual absl::StatusOr<std::optional<StoredTrip>> LoadTrip(const std::string& trip_id) = 0;
};

struct SearchSettings {
  /// Days after today whose searches memory answers (with today, and a day either side for
  /// the time zones): it holds every trip boarding on one of them. Searches of other days read
  /// the snapshot: a year of trips published ahead costs neither start time nor memory.
  int memory_days = 31;
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
    SearchSettings settings = {};
  };
  explicit SearchService(Ports ports);

  /// Loads the trips of the days kept in memory from the snapshot.
  absl::Status Restore();

  absl::StatusOr<SearchResults> Search(const SearchQuery& query) override;
  /// True when Search would answer `query` from memory alone: its date is one of the days in
  /// memory, which need no move for a second yet (a move reads the snapshot); at most a
  /// hundred trips board there that day; their operators' names are known; pricing forecasts
  /// all their trips within one budget of steps (PricingClient::StepsFromMemory). Never waits.
  /// A cheap forecast:
  /// SearchFromMemory still refuses (`would_wait`) whatever changed in between.
  bool AnswersFromMemory(const SearchQuery& query) override
      ABSL_NO_THREAD_SAFETY_ANALYSIS;  // a try-lock released by a cleanup
  absl::StatusOr<SearchResults> SearchFromMemory(const SearchQuery& query) override;
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

  /// The trips in memory (what the snapshot holds beyond them is found on demand).
  const TripIndex& index() const { return trips_; }
  const log::Logger& logger() const { return ports_.logger; }

 private:
  // The days memory answers searches of at `now`.
  DayRange WindowAt(absl::Time now) const;
  // Moves the days in memory along with the clock: loads the trips boarding on the days that
  // entered, forgets those boarding on none of the days; also forgets trips brought in for an
  // event once there are many.
  absl::Status MoveWindow();
  // Until the end of `now`'s day (UTC), the days in memory need no move.
  void KeepUntilTheDayChanges(absl::Time now);
  // Puts stored trips not in memory yet into memory.
  void Admit(std::vector<StoredTrip> trips);
  // Admits the trip as the snapshot stores it; false when nothing of it is stored. Under
  // `bringing_in_`.
  absl::StatusOr<bool> BringIn(const std::string& trip_id);
  // The candidates of a query for a day not in memory, from the snapshot.
  absl::StatusOr<std::vector<Candidate>> CandidatesFromSnapshot(const SearchQuery& query,
                                                                absl::Time now);
  // The trips boarding on `date`, read from the snapshot.
  absl::StatusOr<std::shared_ptr<const TripIndex>> ReadDay(const std::string& date);
  // Forgets the days not in memory searched lately that `trip_id` is part of, or that it
  // boards on (`boarding`), once its change is written.
  void ForgetOtherDaysWith(const std::string& trip_id, const DayRange& boarding,
                           bool only_in_memory_days);
  // Applies a seat event to the trip in memory (bringing it in from the snapshot when its day
  // is not kept) and writes the trip's claims through.
  absl::Status ChangeSeats(const std::string& trip_id, const std::function<void()>& change);

  // Search, or SearchFromMemory.
  absl::StatusOr<SearchResults> SearchIn(const SearchQuery& query, bool from_memory)
      ABSL_NO_THREAD_SAFETY_ANALYSIS;  // from memory, a try-lock released by a cleanup
  // Each candidate's fare becomes the price of its cheapest free seat under the operator's
  // rules, at `now`: what a hold made then would freeze. Pricing that fails shows base fares;
  // `from_memory`, it fails `would_wait` instead.
  absl::Status PriceWithRules(std::vector<Candidate>& candidates, const SearchQuery& query,
                              absl::Time now, bool from_memory);
  static SeatClaim ClaimOf(const inventory::SeatsChanged& change);
  std::string OperatorName(const std::string& org_id);
  // The name when already looked up.
  std::optional<std::string> KnownOperatorName(const std::string& org_id);

  Ports ports_;
  TripIndex trips_;
  StationIndex stations_;
  // Events and searches share it; moving the window takes it alone, so a trip is never both
  // loaded from the snapshot and changed by an event in between.
  absl::Mutex residency_;
  DayRange resident_ ABSL_GUARDED_BY(residency_);
  std::mutex bringing_in_;         // one trip brought into memory at a time
  std::atomic<int> visitors_ = 0;  // trips brought in for events since the last move
  // When the days in memory need no move, [from, until) in Unix microseconds: the UTC day
  // they were chosen for, or until a move that failed is tried again.
  std::atomic<int64_t> window_from_us_ = 0;
  std::atomic<int64_t> window_until_us_ = 0;
  // Days not in memory searched lately, by query date (a few, briefly).
  struct OtherDay {
    std::shared_ptr<const TripIndex> trips;
    absl::Time loaded_at;
  };
  // A read of a day under way, which requests for that day arriving meanwhile wait for rather
  // than read it again (when a day's copy lapses, every client searching it misses at once).
  // Only requests that arrive before any change to trips of days not in memory join it.
  using DayRead = absl::StatusOr<std::shared_ptr<const TripIndex>>;
  struct DayLoad {
    uint64_t changes_before;
    std::shared_future<DayRead> result;
  };
  std::mutex other_days_mutex_;
  std::map<std::string, OtherDay> other_days_;
  std::map<std::string, DayLoad> other_days_loading_;
  uint64_t other_days_changes_ = 0;  // changes to trips of days not in memory, ever
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
