#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "services/identity/api/identity_client.h"

namespace travio::identity {

/// The claims of an access token (api.md: iss, sub, aud, iat, nbf, exp, jti) plus `sid`, the
/// login session it belongs to (empty for guest tokens), by which logout revokes it.
struct AccessClaims {
  std::string issuer;
  std::string subject;  // user id, or "guest:<id>"
  std::string audience;
  std::string token_id;
  std::string session_id;
  absl::Time issued_at;
  absl::Time not_before;
  absl::Time expires_at;

  bool guest() const { return subject.rfind("guest:", 0) == 0; }
};

enum class TokenFormat { kPaseto, kJwt };
absl::StatusOr<TokenFormat> ParseTokenFormat(std::string_view name);
std::string_view TokenFormatName(TokenFormat format);

/// The `typ` of JWT access tokens (RFC 9068), so no other kind of JWT passes as one.
inline constexpr std::string_view kJwtAccessTokenType = "at+jwt";

/// Signs `claims` as a v4.public PASETO with footer {"kid":...}, or as an EdDSA JWT with the
/// kid in its header. `secret_key` is a 64-byte Ed25519 secret key.
absl::StatusOr<std::string> SignAccessToken(TokenFormat format, std::string_view kid,
                                            std::string_view secret_key,
                                            const AccessClaims& claims);

/// Verifies access tokens locally with the published keys: no call to identity per request.
/// Thread-safe; Update swaps the settings atomically (key rotation).
class AccessTokenVerifier {
 public:
  explicit AccessTokenVerifier(const Clock& clock, absl::Duration leeway = absl::Seconds(30));

  void Update(TokenSettings settings);
  bool configured() const;

  /// The token's claims when its signature verifies with a published key and its issuer,
  /// audience and validity window hold. kUnauthenticated otherwise, with reason
  /// `unknown_key` when its kid is not published (the caller may refresh the keys) and
  /// `invalid_token` for everything else.
  absl::StatusOr<AccessClaims> Verify(std::string_view token) const;

 private:
  const Clock& clock_;
  absl::Duration leeway_;
  mutable std::mutex mutex_;
  std::shared_ptr<const TokenSettings> settings_;
};

/// What a refresh token seals (PASETO v4.local, identity's own key): the id of the token's
/// record, as `{"jti": ...}`. RefreshTokenIdOf reads it back; nullopt for anything else.
std::string RefreshTokenClaims(std::string_view token_id);
std::optional<std::string> RefreshTokenIdOf(std::string_view claims);

}  // namespace travio::identity
