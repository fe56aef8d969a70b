#include "services/gateway/routes/seat_feed.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "platform/base/errors.h"
#include "platform/http/client_address.h"

namespace travio::gateway {
namespace {

std::string StatusAfter(std::string_view type) {
  if (type == inventory::kHoldPlaced.type) return "held";
  if (type == inventory::kBookingCreated.type) return "booked";
  if (type == inventory::kSeatsBlocked.type) return "blocked";
  return "available";  // released, expired, cancelled, unblocked
}

}  // namespace

class SeatFeed::Watcher final : public http::EventStream {
 public:
  Watcher(std::shared_ptr<SeatFeed> feed, std::string trip_id, std::string address)
      : feed_(std::move(feed)), trip_id_(std::move(trip_id)), address_(std::move(address)) {}
  // The stream's place under the limits is given back however it ends, even when it never
  // opened (the client left before the answer was written).
  ~Watcher() override {
    feed_->Remove(trip_id_, this);
    feed_->Release(address_);
  }
  void Open(std::shared_ptr<http::StreamSink> sink) override {
    // Reconnect after 3 s; the comment lets a client see the stream is live at once.
    sink->Send("retry: 3000\n: watching " + trip_id_ + "\n\n");
    feed_->Add(trip_id_, this, std::move(sink));
  }
  void Cancel() override { feed_->Remove(trip_id_, this); }

 private:
  std::shared_ptr<SeatFeed> feed_;
  std::string trip_id_;
  std::string address_;
};

absl::StatusOr<std::shared_ptr<http::EventStream>> SeatFeed::Watch(const std::string& trip_id,
                                                                   const std::string& address) {
  const std::string block = http::AddressBlock(address);
  {
    std::lock_guard lock(mutex_);
    if (streams_ >= limits_.total) {
      return WithRetryAfter(absl::UnavailableError("every seat stream of this server is taken"),
                            absl::Seconds(30));
    }
    size_t& mine = per_address_[block];
    if (limits_.per_address > 0 && mine >= limits_.per_address) {
      if (mine == 0) per_address_.erase(block);
      return WithRetryAfter(
          Error(reasons::kTooManyStreams,
                "This address already watches as many seat maps as it may; close one first."),
          absl::Seconds(30));
    }
    ++mine;
    ++streams_;
  }
  return std::shared_ptr<http::EventStream>(
      std::make_shared<Watcher>(shared_from_this(), trip_id, block));
}

void SeatFeed::Release(const std::string& address) {
  std::lock_guard lock(mutex_);
  --streams_;
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

void SeatFeed::Add(const std::string& trip_id, const Watcher* watcher,
                   std::shared_ptr<http::StreamSink> sink) {
  std::lock_guard lock(mutex_);
  trips_[trip_id][watcher] = Sink{std::move(sink), clock_.Now()};
}

void SeatFeed::Remove(const std::string& trip_id, const Watcher* watcher) {
  std::lock_guard lock(mutex_);
  auto trip = trips_.find(trip_id);
  if (trip == trips_.end()) return;
  trip->second.erase(watcher);
  if (trip->second.empty()) trips_.erase(trip);
}

void SeatFeed::Follow(events::Bus& bus, const log::Logger& logger) {
  // Each gateway streams to its own clients: every gateway needs every seat event while it
  // runs, and none of the events from before it ran.
  bus.SetDelivery("gateway", events::Delivery::kEveryInstance);
  for (const auto* contract : inventory::kSeatEvents) {
    events::Subscribe<inventory::SeatsChanged>(
        bus, "gateway", *contract, logger,
        [feed = shared_from_this()](const events::Event& event,
                                    const inventory::SeatsChanged& change) {
          return feed->OnSeatsChanged(event, change);
        });
  }
}

absl::Status SeatFeed::OnSeatsChanged(const events::Event& event,
                                      const inventory::SeatsChanged& change) {
  const nlohmann::json data = {{"type", event.type},    {"trip_id", event.aggregate_id},
                               {"seats", change.seats}, {"from", change.from},
                               {"to", change.to},       {"status", StatusAfter(event.type)}};
  const std::string message = "event: seats\ndata: " + data.dump() + "\n\n";
  std::lock_guard lock(mutex_);
  auto trip = trips_.find(event.aggregate_id);
  if (trip == trips_.end()) return absl::OkStatus();
  // A sink that refuses belongs to a client that left or fell behind: forget it.
  std::erase_if(trip->second, [&](auto& entry) { return !entry.second.sink->Send(message); });
  if (trip->second.empty()) trips_.erase(trip);
  return absl::OkStatus();
}

void SeatFeed::Heartbeat() {
  const absl::Time now = clock_.Now();
  std::lock_guard lock(mutex_);
  for (auto it = trips_.begin(); it != trips_.end();) {
    std::erase_if(it->second, [&](const auto& entry) {
      const Sink& watcher = entry.second;
      if (now - watcher.opened_at >= limits_.lifetime) {
        // Ended from our side: the browser reconnects (the retry field) and counts afresh.
        watcher.sink->Send("event: end\ndata: {\"reason\":\"max_lifetime\"}\n\n");
        watcher.sink->Close();
        return true;
      }
      return !watcher.sink->Send(": ping\n\n");
    });
    it = it->second.empty() ? trips_.erase(it) : std::next(it);
  }
}

size_t SeatFeed::streams() const {
  std::lock_guard lock(mutex_);
  return streams_;
}

size_t SeatFeed::watchers() const {
  std::lock_guard lock(mutex_);
  size_t count = 0;
  for (const auto& [trip, watchers] : trips_) count += watchers.size();
  return count;
}

}  // namespace travio::gateway
