#pragma once

#include <string>
#include <string_view>

namespace travio::identity {

/// A new invite token: 32 random bytes from libsodium, base64url without padding.
std::string NewInviteToken();
/// What is stored instead of a token: its SHA-256, hex. Tokens carry 256 bits of entropy, so a
/// plain hash (no salt, no stretching) cannot be reversed, and lookups stay exact.
std::string HashToken(std::string_view token);

}  // namespace travio::identity
