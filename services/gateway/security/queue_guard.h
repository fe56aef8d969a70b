#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "platform/base/clock.h"
#include "platform/log/logger.h"
#include "services/queue/api/queue_client.h"

namespace travio::gateway {

/// Holds on a trip a waiting room guards need the caller's queue token (`Queue-Token`): a
/// PASETO v4.public token of the queue service, for this caller (`sub`) and this room (`aud`),
/// not expired, whose session the queue says still runs (an order ends it before `exp`).
/// Checked here, with the queue's published keys (re-fetched every minute, and on
/// an unknown key id at most every 10 s, so forged key ids cannot turn into a flood of calls),
/// and with which room guards which trip asked of the queue and kept for a few seconds.
class QueueGuard {
 public:
  QueueGuard(std::shared_ptr<queue::QueueClient> queue, const Clock& clock, log::Logger logger);

  struct Verdict {
    absl::Status status;  // OK: the hold may go on
    std::string room_id;  // the guarding room, when there is one
  };
  /// OK for an unguarded trip; kFailedPrecondition `queue_token_required` without a token;
  /// kPermissionDenied `queue_token_invalid` for a token that is forged, expired, another
  /// caller's or another room's, or whose session has ended.
  Verdict Check(const std::string& trip_id, const std::string& subject,
                const std::optional<std::string>& token);

  /// The queue's verification keys, for /.well-known/travio-keys.
  std::vector<queue::QueueKey> PublishedKeys() { return Keys(/*unknown_kid=*/false); }

 private:
  absl::StatusOr<std::optional<std::string>> RoomOf(const std::string& trip_id);
  std::vector<queue::QueueKey> Keys(bool unknown_kid);
  bool KnownEnded(const std::string& ticket, absl::Time now);
  void RememberEnded(const std::string& ticket, absl::Time expires_at, absl::Time now);

  std::shared_ptr<queue::QueueClient> queue_;
  const Clock& clock_;
  log::Logger logger_;
  std::mutex mutex_;
  std::map<std::string, std::pair<std::optional<std::string>, absl::Time>> rooms_;
  std::vector<queue::QueueKey> keys_;
  absl::Time keys_fetched_ = absl::InfinitePast();
  // Tickets the queue said had ended, until their tokens' `exp`: an outage of the queue does
  // not revive them.
  std::map<std::string, absl::Time> ended_;
};

}  // namespace travio::gateway
