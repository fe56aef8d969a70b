#include "services/fulfillment/storage/keys/file_ticket_keys.h"

#include <sodium.h>

#include "platform/base/status_macros.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "platform/crypto/key_files.h"

namespace travio::fulfillment {
namespace {

namespace fs = std::filesystem;

class FileTicketKeys final : public TicketKeys {
 public:
  FileTicketKeys(std::unique_ptr<crypto::Ed25519KeyRing> ring, std::string link_key)
      : ring_(std::move(ring)), link_key_(std::move(link_key)) {
    for (const crypto::Ed25519Key* key : ring_->published()) {
      public_keys_.push_back({key->kid, key->public_key});
    }
  }
  const std::string& kid() const override { return ring_->current().kid; }
  const std::string& secret_key() const override { return ring_->current().secret_key; }
  std::vector<TicketKey> public_keys() const override { return public_keys_; }
  const std::string& link_key() const override { return link_key_; }

 private:
  std::unique_ptr<crypto::Ed25519KeyRing> ring_;
  std::string link_key_;
  std::vector<TicketKey> public_keys_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TicketKeys>> LoadOrCreateTicketKeys(const fs::path& dir) {
  TRAVIO_RETURN_IF_ERROR(crypto::EnsurePrivateDirectory(dir));
  TRAVIO_ASSIGN_OR_RETURN(auto ring, crypto::Ed25519KeyRing::Open(dir / "tickets"));
  TRAVIO_ASSIGN_OR_RETURN(std::string link_key,
                          crypto::LoadOrCreateSecretKey(dir / "links.key", 32));
  return std::make_unique<FileTicketKeys>(std::move(ring), std::move(link_key));
}

}  // namespace travio::fulfillment
