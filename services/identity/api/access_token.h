#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
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
///
/// Checking an Ed25519 signature costs more than the rest of a seat hold, and a client sends
/// the same token with every request, so tokens that verified are remembered with their
/// claims (the whole token is the key) until they expire. Changing the settings forgets them
/// all: a retired key's tokens stop verifying at once. Only successes are kept, so forged
/// tokens cannot fill the cache, and it is bounded.
class AccessTokenVerifier {
 public:
  explicit AccessTokenVerifier(const Clock& clock, absl::Duration leeway = absl::Seconds(30),
                               size_t cache_capacity = 65536);

  void Update(TokenSettings settings);
  bool configured() const;

  /// The token's claims when its signature verifies with a published key and its issuer,
  /// audience and validity window hold. kUnauthenticated otherwise, with reason
  /// `unknown_key` when its kid is not published (the caller may refresh the keys) and
  /// `invalid_token` for everything else.
  absl::StatusOr<AccessClaims> Verify(std::string_view token) const;

  /// Remembers a token identity has just issued through this process (sign-in, guest, refresh,
  /// an accepted invite) without checking its signature: it came from its signer over an
  /// authenticated channel (in-process, or gRPC over mutual TLS), never from a client, and in a
  /// ticket drop most tokens are a minute old when they are first used. Everything else is
  /// still checked: a token whose kid is not published, or whose issuer, audience or time
  /// window does not hold, is not remembered and verifies on first use like any other. Nor is
  /// one that would make room by forgetting other tokens: those are in use, and a token asked
  /// for is not.
  void RememberIssued(std::string_view token) const;

  /// How many signatures were checked (tokens not answered from the cache).
  uint64_t signature_checks() const { return signature_checks_.load(std::memory_order_relaxed); }

 private:
  struct Verified {
    AccessClaims claims;
    uint64_t generation;  // of the settings it verified under
  };
  struct Shard {
    std::mutex mutex;
    absl::flat_hash_map<std::string, Verified> tokens;
  };
  static constexpr size_t kShards = 16;

  struct Current {
    std::shared_ptr<const TokenSettings> settings;
    uint64_t generation;
  };
  // The settings with the generation they belong to, read together.
  Current CurrentSettings() const;
  // The published key a token's kid names: `unknown_key` when none, `invalid_token` when the
  // token names none in the configured format.
  absl::StatusOr<const PublicKey*> PublishedKeyOf(std::string_view token, TokenFormat format,
                                                  const TokenSettings& settings) const;
  absl::StatusOr<AccessClaims> VerifySignature(std::string_view token,
                                               const TokenSettings& settings) const;
  bool WithinPolicy(const AccessClaims& claims, const TokenSettings& settings,
                    absl::Time now) const;
  std::optional<AccessClaims> Remembered(std::string_view token, uint64_t generation,
                                         absl::Time now) const;
  // `may_evict`: a token that verified may make room by forgetting others; one only issued
  // may not, so a bot asking for tokens it never uses cannot empty the cache of the tokens in
  // use.
  void Remember(std::string_view token, const AccessClaims& claims, uint64_t generation,
                absl::Time now, bool may_evict) const;
  Shard& ShardOf(std::string_view token) const;

  const Clock& clock_;
  absl::Duration leeway_;
  size_t shard_capacity_;
  mutable std::mutex mutex_;
  std::shared_ptr<const TokenSettings> settings_;
  uint64_t generation_ = 0;  // guarded by mutex_; bumped by every Update
  mutable std::array<Shard, kShards> shards_;
  mutable std::atomic<uint64_t> signature_checks_{0};
};

/// What a refresh token seals (PASETO v4.local, identity's own key): the id of the token's
/// record, as `{"jti": ...}`. RefreshTokenIdOf reads it back; nullopt for anything else.
std::string RefreshTokenClaims(std::string_view token_id);
std::optional<std::string> RefreshTokenIdOf(std::string_view claims);

}  // namespace travio::identity
