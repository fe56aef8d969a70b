#include "platform/crypto/password.h"

#include <sodium.h>

namespace travio::crypto {

absl::StatusOr<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), cost.passes, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash a password");
  }
  return std::string(hash);
}

absl::StatusOr<bool> VerifyPassword(std::string_view phc_hash, std::string_view password) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  if (phc_hash.size() >= crypto_pwhash_STRBYTES || phc_hash.rfind("$argon2id$", 0) != 0) {
    return absl::InvalidArgumentError("not an Argon2id PHC string");
  }
  const std::string terminated(phc_hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view phc_hash, const PasswordCost& cost) {
  if (sodium_init() < 0 || phc_hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string terminated(phc_hash);
  // 0: same parameters; 1: different; -1: not a valid Argon2id string. Both of the latter
  // mean "hash it again".
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), cost.passes, cost.memory_bytes) != 0;
}

}  // namespace travio::crypto
