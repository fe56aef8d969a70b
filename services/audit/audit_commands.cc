#include "services/audit/audit_commands.h"

#include "platform/base/status_macros.h"
#include "platform/crypto/key_files.h"
#include "services/audit/storage/file_checkpoint_keys.h"
#include "services/audit/storage/sql_audit_store.h"

namespace travio::audit {

absl::Status RunKeysCommand(const config::Config& config, const std::string& action,
                            const std::string& /*kid*/, std::ostream& out) {
  const std::filesystem::path dir =
      CheckpointKeysDir(config.String("audit.keys_dir"), config.String("data_dir"));
  TRAVIO_RETURN_IF_ERROR(LoadOrCreateCheckpointKeys(dir).status());
  const std::filesystem::path ring = dir / "checkpoints";
  if (action == "rotate") {
    TRAVIO_ASSIGN_OR_RETURN(std::string added, crypto::Ed25519KeyRing::Add(ring));
    out << "new checkpoint signing key " << added << " in " << ring.string()
        << "; restart audit to sign with it\n";
    return absl::OkStatus();
  }
  if (action == "retire") {
    // Every checkpoint a key signed is verified with it for as long as the log keeps it.
    return absl::FailedPreconditionError(
        "checkpoint keys are never retired: the checkpoints they signed are verified with them");
  }
  TRAVIO_ASSIGN_OR_RETURN(auto keys, crypto::Ed25519KeyRing::Open(ring));
  for (const crypto::Ed25519Key* key : keys->published()) {
    out << key->kid << (key->kid == keys->current().kid ? "\tsigning" : "\tpublished") << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunExportCommand(db::Database& database, const std::string& log, std::ostream& out) {
  return ExportLog(database, log, out);
}

absl::Status RunRetainCommand(db::Database& database, const std::string& log, int64_t before_seq,
                              std::ostream& out) {
  TRAVIO_ASSIGN_OR_RETURN(int64_t removed, RetainLog(database, log, before_seq));
  out << "removed " << removed << " entries of " << log << "; its chain now starts at entry "
      << before_seq << "\n";
  return absl::OkStatus();
}

}  // namespace travio::audit
