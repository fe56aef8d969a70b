#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "platform/base/errors.h"

namespace travio::queue {

/// `scheduled`: a ticket drop at `opens_at`; whoever arrives in the `pre_queue_minutes` before
/// it gets a random place at opening, later arrivals queue behind in arrival order.
/// `on_demand`: open at once; callers pass straight through while the room has room, and queue
/// otherwise.
enum class RoomMode { kScheduled, kOnDemand };

/// What a room is doing at a given time.
enum class RoomStatus { kScheduled, kPreQueue, kOpen, kClosed };

/// What an operator sets (PUT /v1/queue/rooms/{room_id}).
struct RoomSpec {
  std::string room_id;  // a slug chosen by the operator
  std::string org_id;
  std::string name;
  RoomMode mode = RoomMode::kScheduled;
  std::vector<std::string> trip_ids;
  std::optional<absl::Time> opens_at;
  int64_t pre_queue_minutes = 0;
  int64_t admit_per_minute = 0;
  int64_t max_active = 0;
  int64_t session_minutes = 0;
};

/// A room as the queue service keeps it.
struct Room {
  RoomSpec spec;
  /// SHA-256 of the shuffle's seed, published from creation; the seed itself (secret until
  /// opening) is published once the room has opened, so anyone can check the draw.
  std::string commitment;
  std::string seed;
  /// When the pre-queue was drawn and the room began admitting.
  std::optional<absl::Time> opened_at;
  bool closed = false;
  int64_t version = 0;
  absl::Time created_at;
  absl::Time updated_at;
};

/// When the pre-queue opens (scheduled rooms); the creation time for on-demand rooms.
absl::Time PreQueueStartsAt(const Room& room);

/// The room's status at `now`: closed once deleted; an on-demand room is open; a scheduled
/// room is scheduled until its pre-queue starts, pre_queue until `opens_at`, then open.
RoomStatus StatusAt(const Room& room, absl::Time now);

/// Whether `room_id` is a room slug: 3 to 64 of [a-z0-9-], not starting or ending with '-'.
bool IsRoomId(std::string_view room_id);

/// Whether `subject` can be a caller of a room: 1 to 128 printable ASCII characters (user ids
/// and "guest:<id>" are). Anything else never reaches the state or a token's claims.
bool IsCallerSubject(std::string_view subject);

/// Everything wrong with `spec` (field errors named as in the API); empty when it is valid.
/// `now` bounds `opens_at` of a new scheduled room (not in the past); `existing` is the room
/// being replaced, if any: once its pre-queue has started, its mode, opening and pre-queue can
/// no longer change.
std::vector<FieldError> Validate(const RoomSpec& spec, absl::Time now, const Room* existing);

/// Room limits a spec must keep to.
inline constexpr int64_t kMaxTripsPerRoom = 100;
inline constexpr int64_t kMaxPreQueueMinutes = 24 * 60;
inline constexpr int64_t kMaxAdmitPerMinute = 1'000'000;
inline constexpr int64_t kMaxActive = 10'000'000;
inline constexpr int64_t kMaxSessionMinutes = 24 * 60;

}  // namespace travio::queue
