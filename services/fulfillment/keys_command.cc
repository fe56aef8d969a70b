#include "services/fulfillment/keys_command.h"

#include <filesystem>

#include "platform/base/status_macros.h"
#include "platform/crypto/key_files.h"
#include "services/fulfillment/storage/keys/file_ticket_keys.h"

namespace travio::fulfillment {

absl::Status RunKeysCommand(const config::Config& config, const std::string& action,
                            const std::string& kid, std::ostream& out) {
  std::filesystem::path dir = config.String("fulfillment.keys_dir");
  if (dir.empty()) dir = std::filesystem::path(config.String("data_dir")) / "keys" / "fulfillment";
  // Creates what is missing (the first key, the link key) before anything else.
  TRAVIO_RETURN_IF_ERROR(LoadOrCreateTicketKeys(dir).status());
  const std::filesystem::path ring = dir / "tickets";
  if (action == "rotate") {
    TRAVIO_ASSIGN_OR_RETURN(std::string added, crypto::Ed25519KeyRing::Add(ring));
    out << "new ticket signing key " << added << " in " << ring.string()
        << "; restart fulfillment to sign with it\n";
    return absl::OkStatus();
  }
  if (action == "retire") {
    TRAVIO_RETURN_IF_ERROR(crypto::Ed25519KeyRing::Retire(ring, kid));
    out << "retired " << kid << "; restart fulfillment to stop publishing it\n";
    return absl::OkStatus();
  }
  TRAVIO_ASSIGN_OR_RETURN(auto keys, crypto::Ed25519KeyRing::Open(ring));
  for (const crypto::Ed25519Key* key : keys->published()) {
    out << key->kid << (key->kid == keys->current().kid ? "\tsigning" : "\tpublished") << "\n";
  }
  return absl::OkStatus();
}

}  // namespace travio::fulfillment
