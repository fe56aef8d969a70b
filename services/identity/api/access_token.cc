#include "services/identity/api/access_token.h"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_map.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/crypto/jwt.h"
#include "platform/crypto/paseto.h"

namespace travio::identity {
namespace {

// Longer tokens are refused before any parsing.
constexpr size_t kMaxTokenBytes = 4096;

absl::Status Invalid() {
  return Error(reasons::kInvalidToken, "The access token is invalid or expired.");
}

std::string FormatInstant(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

std::optional<absl::Time> ParseInstant(const nlohmann::json& value) {
  if (!value.is_string()) return std::nullopt;
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, value.get<std::string>(), &time, &error)) {
    return std::nullopt;
  }
  return time;
}

std::optional<absl::Time> ParseNumericDate(const nlohmann::json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  return absl::FromUnixSeconds(value.get<int64_t>());
}

nlohmann::json ClaimsJson(TokenFormat format, const AccessClaims& claims) {
  nlohmann::json json = {{"iss", claims.issuer},
                         {"sub", claims.subject},
                         {"aud", claims.audience},
                         {"jti", claims.token_id}};
  if (format == TokenFormat::kPaseto) {
    json["iat"] = FormatInstant(claims.issued_at);
    json["nbf"] = FormatInstant(claims.not_before);
    json["exp"] = FormatInstant(claims.expires_at);
  } else {
    json["iat"] = absl::ToUnixSeconds(claims.issued_at);
    json["nbf"] = absl::ToUnixSeconds(claims.not_before);
    json["exp"] = absl::ToUnixSeconds(claims.expires_at);
  }
  if (!claims.session_id.empty()) json["sid"] = claims.session_id;
  return json;
}

std::optional<std::string> StringClaim(const nlohmann::json& json, const char* name) {
  auto it = json.find(name);
  if (it == json.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

absl::StatusOr<AccessClaims> ParseClaims(TokenFormat format, std::string_view text) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return Invalid();
  AccessClaims claims;
  auto iss = StringClaim(json, "iss");
  auto sub = StringClaim(json, "sub");
  auto aud = StringClaim(json, "aud");
  auto jti = StringClaim(json, "jti");
  if (!iss || !sub || !aud || !jti || sub->empty() || jti->empty()) return Invalid();
  claims.issuer = *iss;
  claims.subject = *sub;
  claims.audience = *aud;
  claims.token_id = *jti;
  claims.session_id = StringClaim(json, "sid").value_or("");
  auto instant = [&](const char* name) -> std::optional<absl::Time> {
    auto it = json.find(name);
    if (it == json.end()) return std::nullopt;
    return format == TokenFormat::kPaseto ? ParseInstant(*it) : ParseNumericDate(*it);
  };
  auto iat = instant("iat");
  auto nbf = instant("nbf");
  auto exp = instant("exp");
  if (!iat || !nbf || !exp) return Invalid();
  claims.issued_at = *iat;
  claims.not_before = *nbf;
  claims.expires_at = *exp;
  return claims;
}

}  // namespace

absl::StatusOr<TokenFormat> ParseTokenFormat(std::string_view name) {
  if (name == "paseto") return TokenFormat::kPaseto;
  if (name == "jwt") return TokenFormat::kJwt;
  return absl::InvalidArgumentError("token format must be paseto or jwt");
}

std::string_view TokenFormatName(TokenFormat format) {
  return format == TokenFormat::kPaseto ? "paseto" : "jwt";
}

absl::StatusOr<std::string> SignAccessToken(TokenFormat format, std::string_view kid,
                                            std::string_view secret_key,
                                            const AccessClaims& claims) {
  const std::string payload = ClaimsJson(format, claims).dump();
  if (format == TokenFormat::kPaseto) {
    return crypto::V4PublicSignWithKid(secret_key, kid, payload);
  }
  return crypto::JwtSignEdDsa(secret_key, kid, kJwtAccessTokenType, payload);
}

AccessTokenVerifier::AccessTokenVerifier(const Clock& clock, absl::Duration leeway,
                                         size_t cache_capacity)
    : clock_(clock),
      leeway_(leeway),
      shard_capacity_(std::max<size_t>(1, cache_capacity / kShards)) {}

namespace {

// Whether every token `before` verified still verifies the same way under `after`: the same
// format, issuer and audience, and each key still published under its kid. Keys added change
// nothing for the tokens already verified.
bool KeepsVerifiedTokens(const TokenSettings& before, const TokenSettings& after) {
  if (before.format != after.format || before.issuer != after.issuer ||
      before.audience != after.audience) {
    return false;
  }
  return std::all_of(before.keys.begin(), before.keys.end(), [&](const PublicKey& key) {
    return std::any_of(after.keys.begin(), after.keys.end(), [&](const PublicKey& other) {
      return other.kid == key.kid && other.public_key == key.public_key;
    });
  });
}

}  // namespace

void AccessTokenVerifier::Update(TokenSettings settings) {
  auto shared = std::make_shared<const TokenSettings>(std::move(settings));
  {
    std::lock_guard lock(mutex_);
    const bool keeps = settings_ != nullptr && KeepsVerifiedTokens(*settings_, *shared);
    settings_ = std::move(shared);
    // The keys are fetched again every minute and on any unknown kid: unchanged keys must not
    // make every client's token be checked again.
    if (keeps) return;
    ++generation_;
  }
  // Entries of the old generation are refused by Remembered anyway; this frees them.
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    shard.tokens.clear();
  }
}

bool AccessTokenVerifier::configured() const {
  std::lock_guard lock(mutex_);
  return settings_ != nullptr;
}

AccessTokenVerifier::Current AccessTokenVerifier::CurrentSettings() const {
  std::lock_guard lock(mutex_);
  return {settings_, generation_};
}

absl::StatusOr<AccessClaims> AccessTokenVerifier::Verify(std::string_view token) const {
  const auto [settings, generation] = CurrentSettings();
  if (settings == nullptr || token.empty() || token.size() > kMaxTokenBytes) return Invalid();
  const absl::Time now = clock_.Now();
  if (std::optional<AccessClaims> known = Remembered(token, generation, now)) return *known;
  absl::StatusOr<AccessClaims> claims = VerifySignature(token, *settings);
  if (!claims.ok()) return claims.status();
  if (!WithinPolicy(*claims, *settings, now)) return Invalid();
  Remember(token, *claims, generation, now, /*may_evict=*/true);
  return claims;
}

bool AccessTokenVerifier::WithinPolicy(const AccessClaims& claims, const TokenSettings& settings,
                                       absl::Time now) const {
  return claims.issuer == settings.issuer && claims.audience == settings.audience &&
         claims.expires_at > now - leeway_ && claims.not_before <= now + leeway_ &&
         claims.issued_at <= now + leeway_;
}

void AccessTokenVerifier::RememberIssued(std::string_view token) const {
  const auto [settings, generation] = CurrentSettings();
  if (settings == nullptr || token.empty() || token.size() > kMaxTokenBytes) return;
  auto format = ParseTokenFormat(settings->format);
  if (!format.ok() || !PublishedKeyOf(token, *format, *settings).ok()) return;
  absl::StatusOr<std::string> payload = *format == TokenFormat::kPaseto
                                            ? crypto::UntrustedPublicPayload(token)
                                            : crypto::JwtUntrustedClaims(token);
  if (!payload.ok()) return;
  absl::StatusOr<AccessClaims> claims = ParseClaims(*format, *payload);
  const absl::Time now = clock_.Now();
  if (!claims.ok() || !WithinPolicy(*claims, *settings, now)) return;
  Remember(token, *claims, generation, now, /*may_evict=*/false);
}

absl::StatusOr<const PublicKey*> AccessTokenVerifier::PublishedKeyOf(
    std::string_view token, TokenFormat format, const TokenSettings& settings) const {
  // Only the configured format is accepted: a deployment issuing PASETO never reads a JWT.
  absl::StatusOr<std::string> kid =
      format == TokenFormat::kPaseto ? crypto::UntrustedKid(token) : crypto::JwtUntrustedKid(token);
  if (!kid.ok()) return Invalid();
  const PublicKey* key = nullptr;
  for (const PublicKey& candidate : settings.keys) {
    if (candidate.kid == *kid) key = &candidate;
  }
  if (key == nullptr) {
    return Error(reasons::kUnknownKey, "The access token is invalid or expired.");
  }
  return key;
}

absl::StatusOr<AccessClaims> AccessTokenVerifier::VerifySignature(
    std::string_view token, const TokenSettings& settings) const {
  auto format = ParseTokenFormat(settings.format);
  if (!format.ok()) return Invalid();
  absl::StatusOr<const PublicKey*> key = PublishedKeyOf(token, *format, settings);
  if (!key.ok()) return key.status();

  signature_checks_.fetch_add(1, std::memory_order_relaxed);
  std::string payload;
  if (*format == TokenFormat::kPaseto) {
    auto message = crypto::V4PublicVerify((*key)->public_key, token);
    if (!message.ok()) return Invalid();
    payload = std::move(message->payload);
  } else {
    auto claims = crypto::JwtVerifyEdDsa((*key)->public_key, token, kJwtAccessTokenType);
    if (!claims.ok()) return Invalid();
    payload = *std::move(claims);
  }
  return ParseClaims(*format, payload);
}

AccessTokenVerifier::Shard& AccessTokenVerifier::ShardOf(std::string_view token) const {
  // Not the maps' own hash: its low bits are their lookup tags, which a shard would fix.
  return shards_[std::hash<std::string_view>{}(token) % kShards];
}

std::optional<AccessClaims> AccessTokenVerifier::Remembered(std::string_view token,
                                                            uint64_t generation,
                                                            absl::Time now) const {
  Shard& shard = ShardOf(token);
  std::lock_guard lock(shard.mutex);
  auto it = shard.tokens.find(ToAbsl(token));
  if (it == shard.tokens.end()) return std::nullopt;
  // Its time window held when it verified; only its end can have come since.
  if (it->second.generation != generation || it->second.claims.expires_at <= now - leeway_) {
    shard.tokens.erase(it);
    return std::nullopt;
  }
  return it->second.claims;
}

void AccessTokenVerifier::Remember(std::string_view token, const AccessClaims& claims,
                                   uint64_t generation, absl::Time now, bool may_evict) const {
  Shard& shard = ShardOf(token);
  std::lock_guard lock(shard.mutex);
  if (shard.tokens.size() >= shard_capacity_) {
    if (!may_evict) return;
    absl::erase_if(shard.tokens, [&](const auto& entry) {
      return entry.second.generation != generation ||
             entry.second.claims.expires_at <= now - leeway_;
    });
    // Still full of live tokens: start over rather than track recency on every hit.
    if (shard.tokens.size() >= shard_capacity_) shard.tokens.clear();
  }
  shard.tokens.insert_or_assign(std::string(token), Verified{claims, generation});
}

std::string RefreshTokenClaims(std::string_view token_id) {
  return nlohmann::json{{"jti", token_id}}.dump();
}

std::optional<std::string> RefreshTokenIdOf(std::string_view claims) {
  const auto json = nlohmann::json::parse(claims, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("jti") || !json["jti"].is_string()) return std::nullopt;
  return json["jti"].get<std::string>();
}

}  // namespace travio::identity
