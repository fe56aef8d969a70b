#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace travio::crypto {

// PASETO version 4 (https://github.com/paseto-standard/paseto-spec, Version4.md) on
// libsodium: v4.local (XChaCha20 + BLAKE2b-MAC, for tokens only Travio reads) and v4.public
// (Ed25519 signatures, for access tokens anyone can verify with the published key).
//
// Keys are raw bytes: 32 for v4.local, a 64-byte libsodium Ed25519 secret key (seed || public
// key) for signing, 32 for verifying. Every failure to open a token is kUnauthenticated with a
// generic message, so callers cannot leak which check failed.

/// A token's contents after a successful check.
struct PasetoMessage {
  std::string payload;
  std::string footer;
};

/// Encrypts `payload`. `nonce` must be empty (a fresh random nonce is drawn) except in tests
/// that reproduce the official vectors, where it is 32 bytes.
absl::StatusOr<std::string> V4LocalEncrypt(std::string_view key, std::string_view payload,
                                           std::string_view footer = {},
                                           std::string_view implicit_assertion = {},
                                           std::string_view nonce = {});

/// Decrypts and authenticates a v4.local token; the footer is authenticated too and returned.
absl::StatusOr<PasetoMessage> V4LocalDecrypt(std::string_view key, std::string_view token,
                                             std::string_view implicit_assertion = {});

/// Signs `payload` as a v4.public token.
absl::StatusOr<std::string> V4PublicSign(std::string_view secret_key, std::string_view payload,
                                         std::string_view footer = {},
                                         std::string_view implicit_assertion = {});

/// Verifies a v4.public token with `public_key`.
absl::StatusOr<PasetoMessage> V4PublicVerify(std::string_view public_key, std::string_view token,
                                             std::string_view implicit_assertion = {});

/// The footer of a token without checking it (to pick the key by `kid` before verifying).
/// Never trust it before verification succeeds.
absl::StatusOr<std::string> UntrustedFooter(std::string_view token);

// Tokens signed by one of several keys (a key ring being rotated) name their key in the footer,
// {"kid": "..."} and nothing else, so a verifier tries one key, not all of them.

/// The payload of a v4.public token without checking its signature, for a token that arrived
/// from its signer over an authenticated channel (the gateway reading what identity has just
/// issued). Never use it on a token a client sent.
absl::StatusOr<std::string> UntrustedPublicPayload(std::string_view token);

/// Signs `payload` as a v4.public token whose footer names the signing key `kid`.
absl::StatusOr<std::string> V4PublicSignWithKid(std::string_view secret_key, std::string_view kid,
                                                std::string_view payload,
                                                std::string_view implicit_assertion = {});

/// The `kid` a token's footer names (1 to 128 characters), to pick the verifying key. Never
/// trust it before verification succeeds.
absl::StatusOr<std::string> UntrustedKid(std::string_view token);

/// Verifies a v4.public token with the key of `keys` (each with `kid` and a 32-byte
/// `public_key`) that its footer names; a token naming no key of `keys` is refused.
template <typename Key>
absl::StatusOr<PasetoMessage> V4PublicVerifyWithKid(std::string_view token,
                                                    const std::vector<Key>& keys,
                                                    std::string_view implicit_assertion = {}) {
  absl::StatusOr<std::string> kid = UntrustedKid(token);
  if (!kid.ok()) return kid.status();
  for (const Key& key : keys) {
    if (key.kid == *kid) return V4PublicVerify(key.public_key, token, implicit_assertion);
  }
  return absl::UnauthenticatedError("invalid token");
}

/// PASETO's pre-authentication encoding (PAE) of `pieces`; exposed for tests.
std::string PreAuthEncode(std::initializer_list<std::string_view> pieces);

}  // namespace travio::crypto
