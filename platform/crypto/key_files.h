#pragma once

// Private keys as files, generated where they are used (never shipped in the repository):
// directories 0700, files 0600, written whole (temporary file, fsync, rename or link) so a
// crash never leaves half a key and no other user can read one even for a moment.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace travio::crypto {

/// Creates `dir` (and its parents) and makes it private to the owner.
absl::Status EnsurePrivateDirectory(const std::filesystem::path& dir);
/// Replaces `file` with `content` and a newline, mode 0600.
absl::Status WritePrivateFile(const std::filesystem::path& file, std::string_view content);
/// Writes `file` only when it does not exist: two processes starting at once on an empty shared
/// directory end up with the same key, not one each. Returns whether this call created it.
absl::StatusOr<bool> WritePrivateFileIfAbsent(const std::filesystem::path& file,
                                              std::string_view content);
/// The file's content without surrounding whitespace; kNotFound when it cannot be read.
absl::StatusOr<std::string> ReadKeyFile(const std::filesystem::path& file);
/// A secret key of `bytes` random bytes kept in `file` as hex, generated on first use (its
/// directory must exist and be private). kDataLoss when the file holds anything else.
absl::StatusOr<std::string> LoadOrCreateSecretKey(const std::filesystem::path& file, size_t bytes);

/// One Ed25519 key pair of a ring.
struct Ed25519Key {
  std::string kid;         // KeyId(public_key)
  std::string secret_key;  // 64 bytes, libsodium layout
  std::string public_key;  // 32 bytes
};

/// Ed25519 signing keys in one directory:
///   <kid>.key   hex of a 64-byte secret key; every one is published
///   current     the kid that signs
/// The first key is generated on first open. Rotation: Add makes a new key current while the
/// old ones stay published (so what they signed still verifies) until Retire removes them.
class Ed25519KeyRing {
 public:
  /// Loads the directory, generating the first key when there is none.
  static absl::StatusOr<std::unique_ptr<Ed25519KeyRing>> Open(const std::filesystem::path& dir);
  /// Generates a new key and makes it current; returns its kid. Running processes pick it up
  /// when they open the ring again (a restart).
  static absl::StatusOr<std::string> Add(const std::filesystem::path& dir);
  /// Deletes a key that no longer signs. kFailedPrecondition for the current one, kNotFound for
  /// an unknown kid.
  static absl::Status Retire(const std::filesystem::path& dir, std::string_view kid);
  /// The key id of a public key: the first 16 bytes of its BLAKE2b hash, hex.
  static std::string KeyId(std::string_view public_key);

  const Ed25519Key& current() const { return keys_.at(current_); }
  /// Every key, the current one first (verifiers that try keys in order find it at once).
  std::vector<const Ed25519Key*> published() const;

 private:
  Ed25519KeyRing() = default;
  std::vector<Ed25519Key> keys_;
  size_t current_ = 0;
};

}  // namespace travio::crypto
