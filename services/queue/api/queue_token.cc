#include "services/queue/api/queue_token.h"

#include <nlohmann/json.hpp>

#include "platform/base/errors.h"
#include "platform/base/rfc3339.h"
#include "platform/crypto/paseto.h"

namespace travio::queue {
namespace {

using nlohmann::json;

// Bound into every signature (PASETO's implicit assertion): a queue token can never pass for an
// access token signed by another key of the deployment, nor one of those for a queue token.
constexpr std::string_view kAssertion = "travio-queue-token";

absl::Status Invalid() {
  return Error(reasons::kQueueTokenInvalid, "The queue token is not valid for this caller.");
}

}  // namespace

absl::StatusOr<std::string> SignQueueToken(std::string_view secret_key, std::string_view kid,
                                           const QueueTokenClaims& claims) {
  const json payload = {{"sub", claims.subject},
                        {"aud", claims.room_id},
                        {"jti", claims.token_id},
                        {"iat", FormatRfc3339(claims.issued_at)},
                        {"exp", FormatRfc3339(claims.expires_at)}};
  return crypto::V4PublicSignWithKid(secret_key, kid, payload.dump(), kAssertion);
}

absl::StatusOr<QueueTokenClaims> VerifyQueueToken(std::string_view token,
                                                  const std::vector<QueueKey>& keys,
                                                  absl::Time now) {
  if (token.size() > 4096) return Invalid();
  absl::StatusOr<crypto::PasetoMessage> message =
      crypto::V4PublicVerifyWithKid(token, keys, kAssertion);
  if (!message.ok()) return Invalid();
  const json claims = json::parse(message->payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return Invalid();
  // Every claim present and not empty: a token naming no caller, room or ticket admits nobody.
  for (const char* field : {"sub", "aud", "jti", "iat", "exp"}) {
    if (!claims.contains(field) || !claims[field].is_string() ||
        claims[field].get_ref<const std::string&>().empty()) {
      return Invalid();
    }
  }
  absl::StatusOr<absl::Time> expires = ParseRfc3339(claims["exp"].get<std::string>());
  absl::StatusOr<absl::Time> issued = ParseRfc3339(claims["iat"].get<std::string>());
  if (!expires.ok() || !issued.ok() || *expires <= now) return Invalid();
  return QueueTokenClaims{.subject = claims["sub"],
                          .room_id = claims["aud"],
                          .token_id = claims["jti"],
                          .issued_at = *issued,
                          .expires_at = *expires};
}

}  // namespace travio::queue
