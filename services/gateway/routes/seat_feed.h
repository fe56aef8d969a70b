#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "platform/events/contract.h"
#include "platform/events/event.h"
#include "platform/http/message.h"
#include "platform/log/logger.h"
#include "services/inventory/api/inventory_events.h"

namespace travio::gateway {

/// Fans inventory's seat events out to the browsers watching a trip's seats
/// (`GET /v1/trips/{trip_id}/seats/stream`, server-sent events). Each change is one event
/// `seats` whose data is {"type","trip_id","seats","from","to","status"} (status: held,
/// available, booked or blocked, for that journey). Thread-safe.
class SeatFeed : public std::enable_shared_from_this<SeatFeed> {
 public:
  /// A stream of `trip_id`'s seat changes for one client.
  std::shared_ptr<http::EventStream> Watch(const std::string& trip_id);

  /// Subscribes the feed to inventory's seat events (hold.*, booking.*, seats.*).
  void Follow(events::Bus& bus, const log::Logger& logger);
  absl::Status OnSeatsChanged(const events::Event& event, const inventory::SeatsChanged& change);

  /// A comment to every watcher: keeps idle connections open through proxies, and finds the
  /// clients that left.
  void Heartbeat();

  size_t watchers() const;

 private:
  class Watcher;
  void Add(const std::string& trip_id, const Watcher* watcher,
           std::shared_ptr<http::StreamSink> sink);
  void Remove(const std::string& trip_id, const Watcher* watcher);

  mutable std::mutex mutex_;
  std::map<std::string, std::map<const Watcher*, std::shared_ptr<http::StreamSink>>> trips_;
};

}  // namespace travio::gateway
