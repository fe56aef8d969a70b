#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/events/bus.h"
#include "platform/events/contract.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"
#include "services/catalog/api/catalog_events.h"
#include "services/inventory/api/inventory_client.h"
#include "services/inventory/api/inventory_events.h"
#include "services/inventory/app/ports.h"

namespace travio::inventory {

struct InventorySettings {
  /// How long a hold lasts (inventory.hold_ttl).
  absl::Duration hold_ttl = absl::Minutes(5);
  /// Seats per hold and live holds per holder (inventory.max_seats_per_hold,
  /// inventory.max_holds_per_holder).
  HoldLimits limits;
  /// How long a trip's offer read from the TripStore is reused before it is read again (other
  /// replicas may have taken a newer version of the trip).
  absl::Duration listing_cache_ttl = absl::Seconds(2);
  /// Expired holds taken from the hold store at a time; a sweep takes batches until one comes
  /// back short (at most 50), so a drop's abandoned holds do not wait a tick per thousand.
  int sweep_batch = 1000;
};

/// Inventory's use cases: holds, confirmations fenced by the hold, cancellations, operator
/// blocks and seat maps, over a hot-state HoldStore (an efficiency lock) and a BookingStore
/// (the last word on seat-legs). Fed by the catalog's trip events. Thread-safe.
class InventoryService final : public InventoryClient {
 public:
  struct Ports {
    TripStore& trips;
    BookingStore& bookings;
    HoldStore& holds;
    EventSink& events;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
    /// Prices seats under the operator's rules; null prices every seat at its base fare (tests
    /// of inventory alone).
    std::shared_ptr<pricing::PricingClient> pricing = nullptr;
  };

  InventoryService(Ports ports, InventorySettings settings);

  absl::StatusOr<SeatMap> GetSeatMap(const std::string& trip_id, const std::string& from,
                                     const std::string& to) override;
  absl::StatusOr<TripQuote> QuoteSeats(const QuoteCommand& command) override;
  absl::StatusOr<HoldView> HoldSeats(const HoldCommand& command) override;
  absl::StatusOr<HoldView> GetHold(const std::string& holder, const std::string& hold_id) override;
  absl::Status ReleaseHold(const std::string& holder, const std::string& hold_id) override;
  absl::StatusOr<BookingRecord> ConfirmHold(const std::string& holder, const std::string& trip_id,
                                            const std::string& hold_id, int64_t version) override;
  absl::StatusOr<BookingRecord> CancelBooking(const std::string& trip_id,
                                              const std::string& booking_id,
                                              const std::vector<std::string>& seats) override;
  absl::StatusOr<BookingRecord> BlockSeats(const std::string& org_id, const std::string& trip_id,
                                           const std::vector<std::string>& seats,
                                           const std::string& from, const std::string& to) override;
  absl::Status UnblockSeats(const std::string& org_id, const std::string& trip_id,
                            const std::string& block_id) override;
  absl::StatusOr<TripBlocks> ListBlocks(const std::string& org_id,
                                        const std::string& trip_id) override;

  /// Consumes the catalog's trip.*.v1 events: a newer version of a trip replaces its offer (a
  /// replayed or older one changes nothing, so sold seats are never reset); a trip no longer
  /// on sale (cancelled, departed) or whose seats changed loses every hold. A malformed event
  /// is logged and dropped.
  absl::Status OnTripChanged(const catalog::PublishedTrip& trip);
  /// What every replica does with a trip event, whichever stores it (OnTripChanged): its
  /// cached listing gives way to the event's at once, not when the cache expires, so a
  /// cancelled trip or a new fare is not sold by a replica that read the trip a moment before.
  /// The cache never goes back to an older catalog version.
  void OnTripSeen(const catalog::PublishedTrip& trip);
  const log::Logger& logger() const { return ports_.logger; }

  /// Frees expired holds (the sweeper), batch after batch while batches come back full, and
  /// announces them; returns how many.
  absl::StatusOr<int> SweepExpiredHolds();

 private:
  absl::StatusOr<std::shared_ptr<const TripListing>> Listing(const std::string& trip_id);
  // Runs `operation` on the hot store, loading the trip into it first when it does not hold it.
  absl::Status OnTrip(const std::string& trip_id, const std::function<absl::Status()>& operation);
  absl::Status LoadTrip(const std::string& trip_id);
  absl::StatusOr<Journey> JourneyOf(const TripListing& listing, const std::string& from,
                                    const std::string& to) const;
  // Labels known, distinct and for sale, at most `max_seats` (0: no cap).
  absl::Status CheckSeats(const TripListing& listing, const std::vector<std::string>& seats,
                          int max_seats) const;
  absl::StatusOr<HoldRecord> PlaceHold(const TripListing& listing, const std::string& holder,
                                       const std::vector<std::string>& seats,
                                       const Journey& journey, std::vector<SeatPrice> prices,
                                       absl::Duration ttl, const HoldLimits& limits);
  absl::StatusOr<BookingRecord> Book(const HoldRecord& held, bool blocked);
  // Makes the hot state show a booking the database has (EnsureBooked), then frees again what a
  // cancellation freed meanwhile.
  void ShowBooked(const BookingRecord& booking);
  absl::StatusOr<std::map<std::string, SeatStatus>> ClaimsOn(const std::string& trip_id,
                                                             const Journey& journey);
  // The seats' prices under the operator's rules, from their base fares (`base`, in order).
  absl::StatusOr<pricing::PriceResult> PriceWithRules(
      const TripListing& listing, const Journey& journey, const std::vector<SeatPrice>& base,
      const std::map<std::string, SeatStatus>& claims, int64_t passengers,
      std::optional<absl::Time> at);
  HoldView ViewOf(const HoldRecord& record, const TripListing& listing) const;
  events::Event SeatEvent(const events::Contract<SeatsChanged>& contract,
                          const std::string& trip_id, const std::string& org_id,
                          const SeatsChanged& change) const;
  void Announce(const events::Event& event);

  Ports ports_;
  InventorySettings settings_;
  struct CachedListing {
    std::shared_ptr<const TripListing> listing;
    absl::Time read_at;
    // Came by event and is newer than the database was when last read: kept, whatever the
    // cache's size, until the database has it.
    bool ahead_of_database = false;
  };
  // Keeps `listing` (read from the database, or else from an event) unless a newer catalog
  // version is cached; returns what is cached.
  std::shared_ptr<const TripListing> Remember(const std::string& trip_id,
                                              std::shared_ptr<const TripListing> listing,
                                              absl::Time read_at, bool from_database);
  std::mutex cache_mutex_;
  std::map<std::string, CachedListing> cache_;
};

/// Subscribes `service` to the catalog's trip.*.v1 events: OnTripChanged as "inventory" (one
/// instance stores each), OnTripSeen as "inventory-listings" (every instance). An event whose
/// payload does not read is logged and dropped.
void FollowTrips(events::Bus& bus, const std::shared_ptr<InventoryService>& service);

}  // namespace travio::inventory
