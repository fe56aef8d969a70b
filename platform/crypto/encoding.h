#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace travio::crypto {

// The text encodings of binary values that tokens and keys use, on libsodium. Decoders are
// strict, so each value has exactly one spelling.

/// Base64url without padding (RFC 4648 §5), as PASETO, JWT and invite tokens use it.
std::string Base64UrlEncode(std::string_view bytes);
/// Refuses padding, whitespace, characters outside the URL-safe alphabet and non-zero unused
/// bits in the last character.
std::optional<std::string> Base64UrlDecode(std::string_view text);

/// Lower-case hex.
std::string HexEncode(std::string_view bytes);
/// Exactly `expected_bytes` bytes of hex (either case); nullopt for anything else.
std::optional<std::string> HexDecode(std::string_view hex, size_t expected_bytes);

}  // namespace travio::crypto
