#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/base/clock.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/queue/api/queue_client.h"
#include "services/queue/app/ports.h"
#include "services/queue/app/queue_state.h"

namespace travio::queue {

struct QueueSettings {
  /// A waiting caller silent for longer loses its place.
  absl::Duration position_ttl = absl::Minutes(2);
  /// Over how long after the opening the pre-queue's callers are sent back, each at a moment
  /// its ticket chooses (PreQueueReturnOffset); their admissions are revealed no earlier.
  absl::Duration pre_queue_spread = absl::Seconds(20);
  /// How long a room read from its store answers polls before it is read again: polls are the
  /// hot path (100,000 waiting callers poll thousands of times a second), and a room changes
  /// rarely. Changes made here are seen at once; another process's within this time.
  absl::Duration room_cache_ttl = absl::Seconds(1);
  /// Rooms one organization may have open: every open room costs the inlet work each second.
  int64_t max_rooms_per_org = 50;
};

/// The queue's use cases: rooms for operators, joining and polling for travellers, the inlet
/// (Tick), and sessions ended by orders. It is also the in-process QueueClient.
class QueueService final : public QueueClient {
 public:
  struct Ports {
    RoomStore& rooms;
    QueueState& state;
    TripOwners& trips;
    const TokenKeys& keys;
    const Clock& clock;
    log::Logger logger;
    metrics::Registry* metrics = nullptr;
  };
  QueueService(Ports ports, QueueSettings settings);

  absl::StatusOr<RoomView> PutRoom(const RoomSpec& spec) override;
  absl::StatusOr<RoomView> GetRoom(const std::string& org_id, const std::string& room_id) override;
  absl::StatusOr<std::vector<RoomView>> ListRooms(const std::string& org_id) override;
  absl::Status DeleteRoom(const std::string& org_id, const std::string& room_id) override;
  absl::StatusOr<std::optional<TripGuard>> GuardOf(const std::string& trip_id) override;
  absl::StatusOr<QueuePlace> Join(const std::string& room_id, const std::string& subject) override;
  absl::StatusOr<QueuePlace> Status(const std::string& room_id, const std::string& ticket,
                                    const std::string& subject) override;
  absl::StatusOr<std::vector<QueueKey>> VerificationKeys() override;

  /// One pass of the inlet over every room: opens (draws) the rooms whose time has come and
  /// admits callers in each open room. Run every second by the module.
  absl::Status Tick();
  /// An order was placed by `buyer` on `trip_id`: the buyer's session in the room guarding
  /// the trip ends, and its capacity goes to the next caller.
  absl::Status OnOrderPlaced(const std::string& buyer, const std::string& trip_id);

 private:
  absl::StatusOr<Room> LoadRoom(const std::string& room_id);
  absl::StatusOr<Room> OwnRoom(const std::string& org_id, const std::string& room_id);
  /// Draws the pre-queue of a room whose time has come (once; idempotent).
  absl::Status EnsureOpened(Room& room, absl::Time now);
  absl::StatusOr<RoomView> View(const Room& room);
  absl::StatusOr<QueuePlace> Place(const Room& room, const QueueTicket& ticket);
  InletRules RulesOf(const Room& room) const;
  /// The ticket's draw: HMAC-SHA256 of the ticket under the room's secret seed, 53 bits.
  static uint64_t Lottery(const Room& room, const std::string& ticket);
  void Record(const std::string& room_id, const InletResult& result, const RoomCounters& counters);

  void Forget(const std::string& room_id);

  Ports ports_;
  QueueSettings settings_;
  std::mutex cache_mutex_;
  std::map<std::string, std::pair<Room, absl::Time>> cache_;
  metrics::Family<metrics::Gauge>* waiting_ = nullptr;
  metrics::Family<metrics::Gauge>* active_ = nullptr;
  metrics::Family<metrics::Counter>* admitted_ = nullptr;
  metrics::Family<metrics::Counter>* expired_ = nullptr;
};

}  // namespace travio::queue
