// What the crypto library's own files share about libsodium (not part of its interface).
#pragma once

#include <sodium.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace travio::crypto::internal {

// libsodium speaks unsigned char; Travio keeps bytes in std::string.
inline const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}
inline unsigned char* Bytes(std::string& text) {
  return reinterpret_cast<unsigned char*>(text.data());
}

// sodium_init is idempotent and thread-safe; every entry point that needs it calls this.
inline bool EnsureSodium() { return sodium_init() >= 0; }

constexpr size_t kSignatureBytes = crypto_sign_BYTES;

// Every failure to open a token looks the same, so callers cannot learn which check failed.
inline absl::Status InvalidToken() { return absl::UnauthenticatedError("invalid token"); }

}  // namespace travio::crypto::internal
