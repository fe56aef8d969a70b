#include "services/identity/keys_command.h"

#include "platform/base/status_macros.h"
#include "services/identity/storage/keys/file_key_ring.h"

namespace travio::identity {
namespace {

std::filesystem::path KeysDirectory(const config::Config& config) {
  const std::string configured = config.String("identity.keys_dir");
  if (!configured.empty()) return configured;
  return std::filesystem::path(config.String("data_dir")) / "keys";
}

}  // namespace

absl::Status RunKeysCommand(const config::Config& config, const std::string& action,
                            const std::string& kid, std::ostream& out) {
  const std::filesystem::path dir = KeysDirectory(config);
  if (action == "rotate") {
    TRAVIO_RETURN_IF_ERROR(FileKeyRing::Open(dir).status());  // creates the first key if none
    TRAVIO_ASSIGN_OR_RETURN(std::string added, FileKeyRing::AddSigningKey(dir));
    out << "new signing key " << added << " in " << dir.string()
        << "; restart identity to sign with it\n";
    return absl::OkStatus();
  }
  if (action == "retire") {
    TRAVIO_RETURN_IF_ERROR(FileKeyRing::RetireSigningKey(dir, kid));
    out << "retired " << kid << "; restart identity to stop publishing it\n";
    return absl::OkStatus();
  }
  TRAVIO_ASSIGN_OR_RETURN(auto ring, FileKeyRing::Open(dir));
  for (const PublicKey& key : ring->verification_keys()) {
    out << key.kid << (key.kid == ring->signing_key().kid ? "\tsigning" : "\tpublished") << "\n";
  }
  return absl::OkStatus();
}

}  // namespace travio::identity
