#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/queue/api/queue_client.h"

namespace travio::queue {

/// What a queue token says (api.md): the caller it admits (`sub`), the room (`aud`), a unique
/// id (`jti`: the ticket) and when it expires (`exp`: the end of the caller's session).
struct QueueTokenClaims {
  std::string subject;
  std::string room_id;
  std::string token_id;
  absl::Time issued_at;
  absl::Time expires_at;
  bool operator==(const QueueTokenClaims&) const = default;
};

/// Signs `claims` as a PASETO v4.public token with the 64-byte Ed25519 `secret_key`; the
/// footer names the key (`{"kid":...}`), and the implicit assertion "travio-queue-token" binds
/// the token to its purpose.
absl::StatusOr<std::string> SignQueueToken(std::string_view secret_key, std::string_view kid,
                                           const QueueTokenClaims& claims);

/// Verifies a queue token with the key its footer names among `keys` and checks that it has
/// not expired at `now`; kPermissionDenied `queue_token_invalid` for anything else (forged,
/// tampered, unknown key, malformed claims, expired), never saying which.
absl::StatusOr<QueueTokenClaims> VerifyQueueToken(std::string_view token,
                                                  const std::vector<QueueKey>& keys,
                                                  absl::Time now);

}  // namespace travio::queue
