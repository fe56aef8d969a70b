#pragma once

#include <string>
#include <string_view>

namespace travio::crypto {

/// SHA-256 of `data` (32 raw bytes), from libsodium.
std::string Sha256(std::string_view data);

}  // namespace travio::crypto
