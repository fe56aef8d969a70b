#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/events/contract.h"
#include "platform/events/event.h"
#include "platform/http/message.h"
#include "platform/log/logger.h"
#include "services/inventory/api/inventory_events.h"

namespace travio::gateway {

/// How many seat streams may be open, and for how long.
struct StreamLimits {
  /// Streams open at once in this gateway; one more is 503 `unavailable`.
  size_t total = 10000;
  /// Streams one client address (its /64 for IPv6) may have open; one more is 429
  /// `too_many_streams`. 0: no cap (gateway.client_limits off).
  size_t per_address = 8;
  /// A stream is ended after this long (an `end` event, then the connection closes); browsers
  /// reconnect, so idle watchers cannot pile up forever.
  absl::Duration lifetime = absl::Minutes(30);
};

/// Fans inventory's seat events out to the browsers watching a trip's seats
/// (`GET /v1/trips/{trip_id}/seats/stream`, server-sent events). Each change is one event
/// `seats` whose data is {"type","trip_id","seats","from","to","status"} (status: held,
/// available, booked or blocked, for that journey). Thread-safe.
class SeatFeed : public std::enable_shared_from_this<SeatFeed> {
 public:
  SeatFeed(const Clock& clock, StreamLimits limits) : clock_(clock), limits_(limits) {}

  /// A stream of `trip_id`'s seat changes for a client at `address`, within the limits.
  absl::StatusOr<std::shared_ptr<http::EventStream>> Watch(const std::string& trip_id,
                                                           const std::string& address);

  /// Subscribes the feed to inventory's seat events (hold.*, booking.*, seats.*).
  void Follow(events::Bus& bus, const log::Logger& logger);
  absl::Status OnSeatsChanged(const events::Event& event, const inventory::SeatsChanged& change);

  /// A comment to every watcher: keeps idle connections open through proxies, and finds the
  /// clients that left. Ends the streams older than the lifetime.
  void Heartbeat();

  /// Streams being watched (opened), and streams counted against the limits (opened, or
  /// answered and about to open).
  size_t watchers() const;
  size_t streams() const;

 private:
  class Watcher;
  struct Sink {
    std::shared_ptr<http::StreamSink> sink;
    absl::Time opened_at;
  };
  void Add(const std::string& trip_id, const Watcher* watcher,
           std::shared_ptr<http::StreamSink> sink);
  void Remove(const std::string& trip_id, const Watcher* watcher);
  void Release(const std::string& address);

  const Clock& clock_;
  const StreamLimits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, std::map<const Watcher*, Sink>> trips_;
  std::map<std::string, size_t> per_address_;
  size_t streams_ = 0;
};

}  // namespace travio::gateway
