#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/queue/api/queue_client.h"
#include "services/queue/domain/room.h"

namespace travio::queue {

/// The rooms' durable configuration (SQL).
class RoomStore {
 public:
  virtual ~RoomStore() = default;
  /// The room, closed ones included.
  virtual absl::StatusOr<std::optional<Room>> Find(const std::string& room_id) = 0;
  virtual absl::StatusOr<std::vector<Room>> ListByOrg(const std::string& org_id) = 0;
  /// Rooms not closed, for the inlet.
  virtual absl::StatusOr<std::vector<Room>> ListOpen() = 0;
  /// Creates the room (`expected_version` 0) or replaces it while it is at `expected_version`
  /// (kAborted `concurrent_update` otherwise), with the trips it guards. kAlreadyExists
  /// `trip_guarded` naming a trip another room guards; `room_taken` when a new room's id is
  /// used (by a closed room too: ids are not reused).
  virtual absl::Status Put(const Room& room, int64_t expected_version) = 0;
  /// The room guarding `trip_id`, if a room not closed does.
  virtual absl::StatusOr<std::optional<std::string>> RoomOfTrip(const std::string& trip_id) = 0;
  /// Records the opening (the draw) once; a later call keeps the first time.
  virtual absl::Status MarkOpened(const std::string& room_id, absl::Time opened_at) = 0;
  /// Closes the room and frees its trips.
  virtual absl::Status Close(const std::string& room_id, absl::Time at) = 0;
};

/// Whether a trip is an organization's (rooms guard only their operator's trips).
class TripOwners {
 public:
  virtual ~TripOwners() = default;
  virtual absl::StatusOr<bool> Owns(const std::string& org_id, const std::string& trip_id) = 0;
};

/// The queue's signing key (Ed25519) and every key that verifies its tokens.
class TokenKeys {
 public:
  virtual ~TokenKeys() = default;
  virtual const std::string& kid() const = 0;
  virtual const std::string& secret_key() const = 0;
  virtual std::vector<QueueKey> public_keys() const = 0;
};

}  // namespace travio::queue
