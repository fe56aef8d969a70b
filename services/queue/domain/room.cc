#include "services/queue/domain/room.h"

#include "absl/strings/str_cat.h"

namespace travio::queue {

absl::Time PreQueueStartsAt(const Room& room) {
  if (room.spec.mode == RoomMode::kOnDemand || !room.spec.opens_at) return room.created_at;
  return *room.spec.opens_at - absl::Minutes(room.spec.pre_queue_minutes);
}

RoomStatus StatusAt(const Room& room, absl::Time now) {
  if (room.closed) return RoomStatus::kClosed;
  if (room.spec.mode == RoomMode::kOnDemand || room.opened_at) return RoomStatus::kOpen;
  if (!room.spec.opens_at) return RoomStatus::kScheduled;
  if (now >= *room.spec.opens_at) return RoomStatus::kOpen;
  if (now >= PreQueueStartsAt(room)) return RoomStatus::kPreQueue;
  return RoomStatus::kScheduled;
}

bool IsRoomId(std::string_view room_id) {
  if (room_id.size() < 3 || room_id.size() > 64) return false;
  if (room_id.front() == '-' || room_id.back() == '-') return false;
  for (char c : room_id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool IsCallerSubject(std::string_view subject) {
  if (subject.empty() || subject.size() > 128) return false;
  for (char c : subject) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::vector<FieldError> Validate(const RoomSpec& spec, absl::Time now, const Room* existing) {
  std::vector<FieldError> errors;
  auto range = [&](const char* field, int64_t value, int64_t min, int64_t max) {
    if (value < min || value > max) {
      errors.push_back({field, absl::StrCat("must be from ", min, " to ", max)});
    }
  };
  if (!IsRoomId(spec.room_id)) {
    errors.push_back({"room_id",
                      "must be 3 to 64 of a-z, 0-9 and '-', not starting or ending "
                      "with '-'"});
  }
  if (spec.name.empty() || spec.name.size() > 200) {
    errors.push_back({"name", "must be 1 to 200 characters"});
  }
  if (spec.trip_ids.empty() || static_cast<int64_t>(spec.trip_ids.size()) > kMaxTripsPerRoom) {
    errors.push_back({"trip_ids", absl::StrCat("must name 1 to ", kMaxTripsPerRoom, " trips")});
  }
  range("admit_per_minute", spec.admit_per_minute, 1, kMaxAdmitPerMinute);
  range("max_active", spec.max_active, 1, kMaxActive);
  range("session_minutes", spec.session_minutes, 1, kMaxSessionMinutes);
  if (spec.mode == RoomMode::kScheduled) {
    range("pre_queue_minutes", spec.pre_queue_minutes, 0, kMaxPreQueueMinutes);
    if (!spec.opens_at) {
      errors.push_back({"opens_at", "a scheduled room needs an opening time"});
    }
  } else if (spec.opens_at || spec.pre_queue_minutes != 0) {
    errors.push_back({spec.opens_at ? "opens_at" : "pre_queue_minutes",
                      "only a scheduled room opens at a time"});
  }
  const bool started = existing != nullptr && !existing->closed &&
                       (existing->opened_at || existing->spec.mode == RoomMode::kOnDemand ||
                        (existing->spec.opens_at && now >= PreQueueStartsAt(*existing)));
  if (started) {
    const RoomSpec& was = existing->spec;
    if (spec.mode != was.mode) errors.push_back({"mode", "cannot change once the room has begun"});
    if (spec.opens_at != was.opens_at) {
      errors.push_back({"opens_at", "cannot change once the pre-queue has begun"});
    }
    if (spec.pre_queue_minutes != was.pre_queue_minutes) {
      errors.push_back({"pre_queue_minutes", "cannot change once the pre-queue has begun"});
    }
  } else if (spec.mode == RoomMode::kScheduled && spec.opens_at && *spec.opens_at <= now) {
    errors.push_back({"opens_at", "must be in the future"});
  }
  return errors;
}

}  // namespace travio::queue
