#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/enum_names.h"
#include "services/queue/domain/room.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::queue {

inline constexpr EnumName<RoomMode> kRoomModeNames[] = {{RoomMode::kScheduled, "scheduled"},
                                                        {RoomMode::kOnDemand, "on_demand"}};
inline constexpr EnumName<RoomStatus> kRoomStatusNames[] = {{RoomStatus::kScheduled, "scheduled"},
                                                            {RoomStatus::kPreQueue, "pre_queue"},
                                                            {RoomStatus::kOpen, "open"},
                                                            {RoomStatus::kClosed, "closed"}};

/// A room as its operator sees it.
struct RoomView {
  RoomSpec spec;
  RoomStatus status = RoomStatus::kScheduled;
  int64_t waiting = 0;
  int64_t active = 0;
  int64_t admitted_total = 0;
  int64_t expired_total = 0;
  /// The draw's commitment (SHA-256 of the seed, hex) and, once the room has opened, the seed.
  std::string commitment;
  std::string seed;
  std::optional<absl::Time> opened_at;
  absl::Time created_at;
  absl::Time updated_at;
};

/// The room guarding a trip.
struct TripGuard {
  std::string room_id;
  RoomStatus status = RoomStatus::kScheduled;
};

/// A caller's place in a room, as join and status answer it.
struct QueuePlace {
  std::string room_id;
  std::string ticket;
  bool admitted = false;
  /// Waiting: the place in line (nullopt in a pre-queue not drawn yet), how many are ahead,
  /// the estimated wait and when to poll again.
  std::optional<int64_t> position;
  int64_t ahead = 0;
  int64_t eta_s = 0;
  absl::Duration retry_after = absl::ZeroDuration();
  /// A scheduled room that has not opened yet: when it opens.
  std::optional<absl::Time> opens_at;
  /// Admitted: the queue token (PASETO v4.public) and when it expires.
  std::string queue_token;
  absl::Time expires_at;
  /// The trips the room guards (where an admitted caller goes next).
  std::vector<std::string> trip_ids;
};

/// A public key that verifies queue tokens.
struct QueueKey {
  std::string kid;
  std::string public_key;  // 32 raw bytes (Ed25519)
};

/// The queue service's use cases, in-process (QueueService) or over gRPC.
///
/// Errors: kNotFound `room_not_found` (also for another organization's room);
/// kFailedPrecondition `room_closed`, `room_not_open` (with a retry-after until its pre-queue
/// starts); kInvalidArgument `validation_failed` with field errors; kAlreadyExists `room_taken`
/// (another organization's slug), `trip_guarded` (a trip another room guards); kNotFound
/// `queue_ticket_not_found`; kPermissionDenied `forbidden` (another caller's ticket);
/// kFailedPrecondition `queue_ticket_expired` (the caller stopped polling, or its session
/// ended).
class QueueClient {
 public:
  static constexpr std::string_view kService = "queue";
  /// The client of a remote queue service, over a gRPC channel (mutual TLS, from the runtime),
  /// every call under `policy` (deadline, circuit breaker, retried reads) (api/grpc_*_client.cc).
  static std::shared_ptr<QueueClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                               const rpc::CallPolicy& policy);

  virtual ~QueueClient() = default;

  virtual absl::StatusOr<RoomView> PutRoom(const RoomSpec& spec) = 0;
  virtual absl::StatusOr<RoomView> GetRoom(const std::string& org_id,
                                           const std::string& room_id) = 0;
  virtual absl::StatusOr<std::vector<RoomView>> ListRooms(const std::string& org_id) = 0;
  virtual absl::Status DeleteRoom(const std::string& org_id, const std::string& room_id) = 0;
  /// The room guarding `trip_id`, if one does (closed rooms guard nothing).
  virtual absl::StatusOr<std::optional<TripGuard>> GuardOf(const std::string& trip_id) = 0;
  /// Joins `subject` to the room (or finds its live ticket).
  virtual absl::StatusOr<QueuePlace> Join(const std::string& room_id,
                                          const std::string& subject) = 0;
  /// Where `subject`'s ticket stands; polling keeps the place.
  virtual absl::StatusOr<QueuePlace> Status(const std::string& room_id, const std::string& ticket,
                                            const std::string& subject) = 0;
  /// The keys that verify queue tokens (the gateway checks tokens itself).
  virtual absl::StatusOr<std::vector<QueueKey>> VerificationKeys() = 0;
};

}  // namespace travio::queue
