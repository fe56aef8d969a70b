#pragma once

#include <string>
#include <string_view>

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

/// PASETO's pre-authentication encoding (PAE) of `pieces`; exposed for tests.
std::string PreAuthEncode(std::initializer_list<std::string_view> pieces);

}  // namespace travio::crypto
