#include "services/identity/storage/keys/file_key_ring.h"

#include <sodium.h>

#include "platform/base/status_macros.h"
#include "platform/crypto/encoding.h"
#include "platform/crypto/key_files.h"

namespace travio::identity {

namespace fs = std::filesystem;

std::string FileKeyRing::KeyId(std::string_view public_key) {
  return crypto::Ed25519KeyRing::KeyId(public_key);
}

absl::StatusOr<std::string> FileKeyRing::AddSigningKey(const fs::path& dir) {
  TRAVIO_RETURN_IF_ERROR(crypto::EnsurePrivateDirectory(dir));
  return crypto::Ed25519KeyRing::Add(dir / "signing");
}

absl::Status FileKeyRing::RetireSigningKey(const fs::path& dir, std::string_view kid) {
  return crypto::Ed25519KeyRing::Retire(dir / "signing", kid);
}

absl::StatusOr<std::unique_ptr<FileKeyRing>> FileKeyRing::Open(const fs::path& dir) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  TRAVIO_RETURN_IF_ERROR(crypto::EnsurePrivateDirectory(dir));

  auto ring = std::unique_ptr<FileKeyRing>(new FileKeyRing());
  TRAVIO_ASSIGN_OR_RETURN(
      ring->local_key_, crypto::LoadOrCreateSecretKey(dir / "local.key",
                                                      crypto_aead_xchacha20poly1305_ietf_KEYBYTES));

  TRAVIO_ASSIGN_OR_RETURN(auto signing, crypto::Ed25519KeyRing::Open(dir / "signing"));
  for (const crypto::Ed25519Key* key : signing->published()) {
    ring->keys_.push_back({key->kid, key->secret_key, key->public_key});
  }
  return ring;
}

std::vector<PublicKey> FileKeyRing::verification_keys() const {
  std::vector<PublicKey> keys;
  for (const SigningKey& key : keys_) keys.push_back({key.kid, key.public_key});
  return keys;
}

}  // namespace travio::identity
