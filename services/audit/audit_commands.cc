#include "services/audit/audit_commands.h"

#include "absl/strings/str_cat.h"
#include "platform/base/clock.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/key_files.h"
#include "services/audit/api/entry_codec.h"
#include "services/audit/app/audit_service.h"
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

namespace {

absl::StatusOr<std::unique_ptr<CheckpointKeys>> KeysOf(const config::Config& config) {
  return OpenCheckpointKeys(
      CheckpointKeysDir(config.String("audit.keys_dir"), config.String("data_dir")));
}

absl::StatusOr<Verification> VerifyLog(db::Database& database, CheckpointKeys& keys,
                                       const Clock& clock, const std::string& log,
                                       int64_t checkpoint_every) {
  std::unique_ptr<AuditStore> store = MakeSqlAuditStore(database);
  AuditService service({.store = *store,
                        .keys = keys,
                        .clock = clock,
                        .logger = log::Logger::ToStderr(log::Level::kError)},
                       CheckpointPolicy{.every = checkpoint_every});
  return service.Verify(log);
}

}  // namespace

absl::Status RunVerifyCommand(const config::Config& config, db::Database& database,
                              const std::string& log, std::ostream& out) {
  TRAVIO_ASSIGN_OR_RETURN(std::unique_ptr<CheckpointKeys> keys, KeysOf(config));
  const SystemClock clock;
  TRAVIO_ASSIGN_OR_RETURN(
      Verification verification,
      VerifyLog(database, *keys, clock, log, config.Int("audit.checkpoint_every")));
  if (!verification.ok) {
    out << "broken at entry " << verification.first_bad_seq << ": " << verification.reason << "\n";
    return absl::DataLossError(absl::StrCat("the audit log ", log, " does not verify"));
  }
  out << "ok: " << verification.entries << " entries, head " << verification.head_hash << "\n";
  return absl::OkStatus();
}

absl::StatusOr<int64_t> VerifyAndRetain(db::Database& database, CheckpointKeys& keys,
                                        const Clock& clock, const std::string& log,
                                        int64_t before_seq, int64_t checkpoint_every) {
  // Removing entries whose chain is already broken would remove the evidence with them.
  TRAVIO_ASSIGN_OR_RETURN(Verification verification,
                          VerifyLog(database, keys, clock, log, checkpoint_every));
  if (!verification.ok) {
    return absl::FailedPreconditionError(
        absl::StrCat("the log ", log, " does not verify (entry ", verification.first_bad_seq, ": ",
                     verification.reason, "); nothing was removed"));
  }
  return RetainLog(database, log, before_seq, [&](Retention retention) {
    retention.at = clock.Now();
    return SignRetention(retention, keys.kid(), keys.secret_key());
  });
}

absl::Status RunRetainCommand(const config::Config& config, db::Database& database,
                              const std::string& log, int64_t before_seq, std::ostream& out) {
  TRAVIO_ASSIGN_OR_RETURN(std::unique_ptr<CheckpointKeys> keys, KeysOf(config));
  const SystemClock clock;
  TRAVIO_ASSIGN_OR_RETURN(int64_t removed, VerifyAndRetain(database, *keys, clock, log, before_seq,
                                                           config.Int("audit.checkpoint_every")));
  out << "removed " << removed << " entries of " << log << "; its chain now starts at entry "
      << before_seq << "\n";
  return absl::OkStatus();
}

}  // namespace travio::audit
