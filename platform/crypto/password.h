#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace travio::crypto {

/// Argon2id cost. The defaults are OWASP's minimum (19 MiB, 2 passes, 1 lane); raising them
/// makes NeedsRehash true for hashes made with the old ones, so they are upgraded at login.
struct PasswordCost {
  uint64_t passes = 2;
  size_t memory_bytes = 19 * 1024 * 1024;
};

/// An Argon2id PHC string ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash") with a random salt,
/// from libsodium.
absl::StatusOr<std::string> HashPassword(std::string_view password, const PasswordCost& cost = {});

/// Whether `password` matches `phc_hash` (constant time inside libsodium). A malformed hash is
/// kInvalidArgument, never a match.
absl::StatusOr<bool> VerifyPassword(std::string_view phc_hash, std::string_view password);

/// Whether `phc_hash` was made with a cost other than `cost` (or another algorithm).
bool NeedsRehash(std::string_view phc_hash, const PasswordCost& cost = {});

}  // namespace travio::crypto
