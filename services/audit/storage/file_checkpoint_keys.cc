#include "services/audit/storage/file_checkpoint_keys.h"

#include "platform/base/status_macros.h"
#include "platform/crypto/key_files.h"

namespace travio::audit {
namespace {

class FileCheckpointKeys final : public CheckpointKeys {
 public:
  explicit FileCheckpointKeys(std::unique_ptr<crypto::Ed25519KeyRing> ring)
      : ring_(std::move(ring)) {
    for (const crypto::Ed25519Key* key : ring_->published()) {
      public_keys_.push_back({key->kid, key->public_key});
    }
  }
  const std::string& kid() const override { return ring_->current().kid; }
  const std::string& secret_key() const override { return ring_->current().secret_key; }
  std::vector<AuditKey> public_keys() const override { return public_keys_; }

 private:
  std::unique_ptr<crypto::Ed25519KeyRing> ring_;
  std::vector<AuditKey> public_keys_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<CheckpointKeys>> LoadOrCreateCheckpointKeys(
    const std::filesystem::path& dir) {
  TRAVIO_RETURN_IF_ERROR(crypto::EnsurePrivateDirectory(dir));
  TRAVIO_ASSIGN_OR_RETURN(auto ring, crypto::Ed25519KeyRing::Open(dir / "checkpoints"));
  return std::make_unique<FileCheckpointKeys>(std::move(ring));
}

std::filesystem::path CheckpointKeysDir(const std::string& keys_dir, const std::string& data_dir) {
  if (!keys_dir.empty()) return keys_dir;
  return std::filesystem::path(data_dir) / "keys" / "audit";
}

}  // namespace travio::audit
