#include "services/gateway/routes/seat_feed.h"

#include <nlohmann/json.hpp>
#include <vector>

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
  Watcher(std::shared_ptr<SeatFeed> feed, std::string trip_id)
      : feed_(std::move(feed)), trip_id_(std::move(trip_id)) {}
  void Open(std::shared_ptr<http::StreamSink> sink) override {
    // Reconnect after 3 s; the comment lets a client see the stream is live at once.
    sink->Send("retry: 3000\n: watching " + trip_id_ + "\n\n");
    feed_->Add(trip_id_, this, std::move(sink));
  }
  void Cancel() override { feed_->Remove(trip_id_, this); }

 private:
  std::shared_ptr<SeatFeed> feed_;
  std::string trip_id_;
};

std::shared_ptr<http::EventStream> SeatFeed::Watch(const std::string& trip_id) {
  return std::make_shared<Watcher>(shared_from_this(), trip_id);
}

void SeatFeed::Add(const std::string& trip_id, const Watcher* watcher,
                   std::shared_ptr<http::StreamSink> sink) {
  std::lock_guard lock(mutex_);
  trips_[trip_id][watcher] = std::move(sink);
}

void SeatFeed::Remove(const std::string& trip_id, const Watcher* watcher) {
  std::lock_guard lock(mutex_);
  auto trip = trips_.find(trip_id);
  if (trip == trips_.end()) return;
  trip->second.erase(watcher);
  if (trip->second.empty()) trips_.erase(trip);
}

void SeatFeed::Follow(events::Bus& bus, const log::Logger& logger) {
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
  std::erase_if(trip->second, [&](auto& entry) { return !entry.second->Send(message); });
  if (trip->second.empty()) trips_.erase(trip);
  return absl::OkStatus();
}

void SeatFeed::Heartbeat() {
  std::lock_guard lock(mutex_);
  for (auto it = trips_.begin(); it != trips_.end();) {
    std::erase_if(it->second, [](auto& entry) { return !entry.second->Send(": ping\n\n"); });
    it = it->second.empty() ? trips_.erase(it) : std::next(it);
  }
}

size_t SeatFeed::watchers() const {
  std::lock_guard lock(mutex_);
  size_t count = 0;
  for (const auto& [trip, watchers] : trips_) count += watchers.size();
  return count;
}

}  // namespace travio::gateway
