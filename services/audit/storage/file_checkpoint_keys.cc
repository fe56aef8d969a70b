#include "services/audit/storage/file_checkpoint_keys.h"

#include <sodium.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/key_files.h"

namespace travio::audit {
namespace {

constexpr size_t kSealKeyBytes = 32;

class FileCheckpointKeys final : public CheckpointKeys {
 public:
  FileCheckpointKeys(std::filesystem::path ring_dir, std::unique_ptr<crypto::Ed25519KeyRing> ring,
                     std::string seal_key)
      : ring_dir_(std::move(ring_dir)),
        ring_(std::move(ring)),
        seal_key_(std::move(seal_key)),
        public_keys_(PublicKeys(*ring_)) {}
  ~FileCheckpointKeys() override { sodium_memzero(seal_key_.data(), seal_key_.size()); }
  const std::string& seal_key() const override { return seal_key_; }
  const std::string& kid() const override { return ring_->current().kid; }
  const std::string& secret_key() const override { return ring_->current().secret_key; }
  std::vector<AuditKey> public_keys() const override {
    absl::MutexLock lock(&mutex_);
    return public_keys_;
  }
  absl::Status Refresh() override {
    TRAVIO_ASSIGN_OR_RETURN(auto reread, crypto::Ed25519KeyRing::Open(ring_dir_));
    std::vector<AuditKey> keys = PublicKeys(*reread);
    // Keys are never retired; one that vanished from the directory still verifies here.
    for (const AuditKey& known : public_keys()) {
      if (std::none_of(keys.begin(), keys.end(),
                       [&](const AuditKey& key) { return key.kid == known.kid; })) {
        keys.push_back(known);
      }
    }
    absl::MutexLock lock(&mutex_);
    public_keys_ = std::move(keys);
    return absl::OkStatus();
  }

 private:
  static std::vector<AuditKey> PublicKeys(const crypto::Ed25519KeyRing& ring) {
    std::vector<AuditKey> keys;
    for (const crypto::Ed25519Key* key : ring.published()) {
      keys.push_back({key->kid, key->public_key});
    }
    return keys;
  }

  const std::filesystem::path ring_dir_;
  const std::unique_ptr<crypto::Ed25519KeyRing> ring_;  // signs; read once
  std::string seal_key_;
  mutable absl::Mutex mutex_;
  std::vector<AuditKey> public_keys_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<CheckpointKeys>> LoadOrCreateCheckpointKeys(
    const std::filesystem::path& dir) {
  TRAVIO_RETURN_IF_ERROR(crypto::EnsurePrivateDirectory(dir));
  TRAVIO_ASSIGN_OR_RETURN(auto ring, crypto::Ed25519KeyRing::Open(dir / "checkpoints"));
  TRAVIO_ASSIGN_OR_RETURN(std::string seal_key,
                          crypto::LoadOrCreateSecretKey(dir / "seal.key", kSealKeyBytes));
  return std::make_unique<FileCheckpointKeys>(dir / "checkpoints", std::move(ring),
                                              std::move(seal_key));
}

absl::StatusOr<std::unique_ptr<CheckpointKeys>> OpenCheckpointKeys(
    const std::filesystem::path& dir) {
  for (const std::filesystem::path& needed : {dir / "checkpoints" / "current", dir / "seal.key"}) {
    if (!std::filesystem::exists(needed)) {
      return absl::FailedPreconditionError(
          absl::StrCat("no audit keys in ", dir.string(), " (", needed.filename().string(),
                       " is missing): run this where the audit service runs, or set "
                       "audit.keys_dir to its keys"));
    }
  }
  return LoadOrCreateCheckpointKeys(dir);
}

std::filesystem::path CheckpointKeysDir(const std::string& keys_dir, const std::string& data_dir) {
  if (!keys_dir.empty()) return keys_dir;
  return std::filesystem::path(data_dir) / "keys" / "audit";
}

}  // namespace travio::audit
