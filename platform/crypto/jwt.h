#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace travio::crypto {

// JSON Web Tokens signed with Ed25519 (compact JWS, RFC 7515 and RFC 8037), checked by the
// rules of RFC 8725 (JWT Best Current Practices) on libsodium.
//
// Verification trusts nothing in the token that could choose how it is checked: the only
// accepted `alg` is "EdDSA", the key is always the caller's (headers that carry or point to keys,
// and `crit` extensions, are refused), `typ` must be the one the caller expects (so a token of
// another kind signed with the same key cannot stand in for it, RFC 8725 §3.11) and the base64url
// must be canonical. Claims (exp, aud, iss, ...) are the caller's to check.
//
// Keys are raw bytes: a 64-byte libsodium Ed25519 secret key (seed || public key) to sign and the
// 32-byte public key to verify. Every failure to accept a token is kUnauthenticated with one
// generic message, so callers cannot leak which check failed; a key of the wrong size or an
// unusable argument to sign is kInvalidArgument, being a bug of the caller rather than of the
// token.

/// Signs `claims_json` (a JSON object, serialized as given) as a compact JWS with header
/// {"alg":"EdDSA","typ":<typ>,"kid":<kid>}. `secret_key` is a 64-byte libsodium Ed25519 secret key.
/// `kid` must pass the rule JwtVerifyEdDsa applies, and the token must fit its size limit, so
/// nothing is signed that could not be verified.
absl::StatusOr<std::string> JwtSignEdDsa(std::string_view secret_key, std::string_view kid,
                                         std::string_view typ, std::string_view claims_json);

/// The `kid` of a token's header without verifying anything (to pick the key). Never trust it.
/// The kid must be 1 to 128 visible ASCII characters (no spaces or control characters) without
/// '/', '\\' or "..", so it is safe to use as a lookup key.
absl::StatusOr<std::string> JwtUntrustedKid(std::string_view token);

/// The claims JSON text of a token without verifying its signature, for a token that arrived
/// from its signer over an authenticated channel. Never use it on a token a client sent.
absl::StatusOr<std::string> JwtUntrustedClaims(std::string_view token);

/// Verifies a compact JWS with the 32-byte Ed25519 `public_key` and returns its claims JSON text.
/// The header must hold a string `typ` equal to `expected_typ` (e.g. "at+jwt", RFC 9068) and a
/// `kid` that JwtUntrustedKid accepts.
absl::StatusOr<std::string> JwtVerifyEdDsa(std::string_view public_key, std::string_view token,
                                           std::string_view expected_typ);

}  // namespace travio::crypto
