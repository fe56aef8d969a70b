#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace travio::crypto {

/// SHA-256 of `data` (32 raw bytes), from libsodium.
std::string Sha256(std::string_view data);

/// HMAC-SHA256 of `message` under `key` (any length; 32 raw bytes), from libsodium.
std::string HmacSha256(std::string_view key, std::string_view message);

/// Whether `a` and `b` are equal, in time that depends only on their length (for comparing
/// MACs and tokens an attacker chooses).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// `count` bytes from libsodium's CSPRNG: for secrets such as invite tokens and keys.
std::string RandomBytes(size_t count);

}  // namespace travio::crypto
