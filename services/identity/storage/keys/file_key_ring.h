#pragma once

#include <filesystem>
#include <memory>

#include "absl/status/statusor.h"
#include "services/identity/app/ports.h"

namespace travio::identity {

/// Identity's keys as files in one directory (mode 0700, files 0600):
///   signing/<kid>.key   hex of a 64-byte Ed25519 secret key; every one is published
///   signing/current     the kid that signs new tokens
///   local.key           hex of the 32-byte v4.local key (refresh tokens)
/// Missing keys are generated on first start, so no private key ever sits in the repository.
/// Rotation: AddSigningKey makes a new key current while the old ones stay published until
/// RetireSigningKey removes them (after the longest token they signed has expired). The signing
/// directory is a crypto::Ed25519KeyRing (platform/crypto/key_files.h).
class FileKeyRing final : public KeyRing {
 public:
  /// Loads the directory, generating what is missing.
  static absl::StatusOr<std::unique_ptr<FileKeyRing>> Open(const std::filesystem::path& dir);
  /// Generates a new signing key and makes it current; returns its kid.
  static absl::StatusOr<std::string> AddSigningKey(const std::filesystem::path& dir);
  /// Deletes a key that no longer signs. kFailedPrecondition for the current one.
  static absl::Status RetireSigningKey(const std::filesystem::path& dir, std::string_view kid);

  const SigningKey& signing_key() const override { return keys_.front(); }
  std::vector<PublicKey> verification_keys() const override;
  const std::string& local_key() const override { return local_key_; }

  /// The key id of a public key: the first 16 bytes of its BLAKE2b hash, hex.
  static std::string KeyId(std::string_view public_key);

 private:
  FileKeyRing() = default;
  std::vector<SigningKey> keys_;  // the current one first
  std::string local_key_;
};

}  // namespace travio::identity
