#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/events/event.h"
#include "services/inventory/app/booking_store.h"
#include "services/inventory/app/hold_store.h"
#include "services/inventory/domain/offer.h"

namespace travio::inventory {

/// A trip as inventory offers it: the offer, and the bus layout snapshot as the catalog sent
/// it (JSON), from which the seat map is drawn.
struct TripListing {
  TripOffer offer;
  std::string layout_json;
};

/// The trips inventory knows, from the catalog's trip events. Durable: the hot-state store is
/// reloaded from it and the BookingStore.
class TripStore {
 public:
  virtual ~TripStore() = default;
  /// Stores the listing unless one of the same or a newer catalog version is stored (a
  /// replayed or stale event); true when stored.
  virtual absl::StatusOr<bool> Put(const TripListing& listing) = 0;
  virtual absl::StatusOr<std::optional<TripListing>> Find(const std::string& trip_id) = 0;
};

/// Where events of changes outside a booking transaction (holds) are written for relay.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual absl::Status Append(const events::Event& event) = 0;
};

}  // namespace travio::inventory
