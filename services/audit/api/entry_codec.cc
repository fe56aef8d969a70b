#include "services/audit/api/entry_codec.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "platform/crypto/paseto.h"

namespace travio::audit {
namespace {

using json = nlohmann::json;

// Binds checkpoint signatures to their purpose: no other token of the same key verifies as one.
constexpr std::string_view kCheckpointAssertion = "travio-audit-checkpoint-v1";
constexpr std::string_view kRetentionAssertion = "travio-audit-retention-v1";

absl::StatusOr<json> ParseDetails(std::string_view details) {
  if (details.empty()) return json::object();
  json value = json::parse(details, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) {
    return absl::InvalidArgumentError("details must be a JSON object");
  }
  return value;
}

// nlohmann::json keeps object members in a std::map: dump() writes them sorted by key, and
// escapes only what JSON requires, so equal documents give equal text. Text that is not UTF-8
// is refused rather than replaced, so two different texts never share a form.
absl::StatusOr<std::string> Canonical(const json& value) {
  try {
    return value.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::strict);
  } catch (const json::exception&) {
    return absl::InvalidArgumentError("audit text must be UTF-8");
  }
}

}  // namespace

absl::StatusOr<std::string> CanonicalDetails(std::string_view details) {
  TRAVIO_ASSIGN_OR_RETURN(json value, ParseDetails(details));
  return Canonical(value);
}

absl::StatusOr<std::string> CanonicalEntry(const AuditEntry& entry) {
  TRAVIO_ASSIGN_OR_RETURN(json details, ParseDetails(entry.fact.details));
  const json document = {{"action", entry.fact.action},
                         {"actor", entry.fact.actor},
                         {"at", absl::ToUnixMicros(entry.fact.at)},
                         {"details", std::move(details)},
                         {"log", entry.fact.log},
                         {"seq", entry.seq},
                         {"source", entry.fact.source},
                         {"target", entry.fact.target},
                         {"target_name", entry.fact.target_name}};
  return Canonical(document);
}

absl::StatusOr<std::string> EntryHash(const AuditEntry& entry) {
  TRAVIO_ASSIGN_OR_RETURN(std::string canonical, CanonicalEntry(entry));
  return crypto::HexEncode(crypto::Sha256(absl::StrCat(entry.prev_hash, canonical)));
}

std::string EntrySeal(std::string_view hash, std::string_view key) {
  return crypto::HexEncode(crypto::HmacSha256(key, hash));
}

bool SealHolds(const AuditEntry& entry, std::string_view key) {
  return crypto::ConstantTimeEquals(entry.seal, EntrySeal(entry.hash, key));
}

absl::StatusOr<std::string> SignCheckpoint(const Checkpoint& checkpoint, std::string_view kid,
                                           std::string_view secret_key) {
  const json payload = {{"log", checkpoint.log},
                        {"seq", checkpoint.seq},
                        {"hash", checkpoint.hash},
                        {"at", absl::ToUnixMicros(checkpoint.at)},
                        {"every", checkpoint.every}};
  TRAVIO_ASSIGN_OR_RETURN(std::string text, Canonical(payload));
  return crypto::V4PublicSignWithKid(secret_key, kid, text, kCheckpointAssertion);
}

std::optional<Checkpoint> VerifyCheckpoint(const Checkpoint& checkpoint,
                                           const std::vector<AuditKey>& keys) {
  absl::StatusOr<crypto::PasetoMessage> message =
      crypto::V4PublicVerifyWithKid(checkpoint.token, keys, kCheckpointAssertion);
  if (!message.ok()) return std::nullopt;
  const json payload = json::parse(message->payload, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return std::nullopt;
  const auto log = payload.find("log");
  const auto seq = payload.find("seq");
  const auto hash = payload.find("hash");
  const auto every = payload.find("every");
  const bool holds = log != payload.end() && log->is_string() && *log == checkpoint.log &&
                     seq != payload.end() && seq->is_number_integer() && *seq == checkpoint.seq &&
                     hash != payload.end() && hash->is_string() && *hash == checkpoint.hash;
  if (!holds) return std::nullopt;
  Checkpoint verified = checkpoint;
  verified.every = every != payload.end() && every->is_number_integer() ? every->get<int64_t>() : 0;
  return verified;
}

absl::StatusOr<std::string> SignRetention(const Retention& retention, std::string_view kid,
                                          std::string_view secret_key) {
  const json payload = {{"log", retention.log},
                        {"first_seq", retention.first_seq},
                        {"first_prev_hash", retention.first_prev_hash},
                        {"at", absl::ToUnixMicros(retention.at)}};
  TRAVIO_ASSIGN_OR_RETURN(std::string text, Canonical(payload));
  return crypto::V4PublicSignWithKid(secret_key, kid, text, kRetentionAssertion);
}

std::optional<Retention> VerifyRetention(std::string_view token, std::string_view log,
                                         const std::vector<AuditKey>& keys) {
  if (token.empty()) return std::nullopt;
  absl::StatusOr<crypto::PasetoMessage> message =
      crypto::V4PublicVerifyWithKid(token, keys, kRetentionAssertion);
  if (!message.ok()) return std::nullopt;
  const json payload = json::parse(message->payload, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return std::nullopt;
  const auto signed_log = payload.find("log");
  const auto first_seq = payload.find("first_seq");
  const auto first_prev_hash = payload.find("first_prev_hash");
  const auto at = payload.find("at");
  if (signed_log == payload.end() || !signed_log->is_string() || *signed_log != log ||
      first_seq == payload.end() || !first_seq->is_number_integer() ||
      first_prev_hash == payload.end() || !first_prev_hash->is_string() || at == payload.end() ||
      !at->is_number_integer()) {
    return std::nullopt;
  }
  return Retention{.log = std::string(log),
                   .first_seq = first_seq->get<int64_t>(),
                   .first_prev_hash = first_prev_hash->get<std::string>(),
                   .at = absl::FromUnixMicros(at->get<int64_t>())};
}

std::string ExportLine(const AuditEntry& entry) {
  json details = json::parse(entry.fact.details, nullptr, /*allow_exceptions=*/false);
  if (details.is_discarded()) details = entry.fact.details;  // exported as it is stored
  const json line = {{"log", entry.fact.log},
                     {"seq", entry.seq},
                     {"at", absl::ToUnixMicros(entry.fact.at)},
                     {"source", entry.fact.source},
                     {"actor", entry.fact.actor},
                     {"action", entry.fact.action},
                     {"target", entry.fact.target},
                     {"target_name", entry.fact.target_name},
                     {"details", std::move(details)},
                     {"prev_hash", entry.prev_hash},
                     {"hash", entry.hash},
                     {"seal", entry.seal}};
  return line.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

std::string ExportCheckpointLine(const Checkpoint& checkpoint) {
  const json line = {{"log", checkpoint.log},
                     {"checkpoint_seq", checkpoint.seq},
                     {"checkpoint_hash", checkpoint.hash},
                     {"token", checkpoint.token}};
  return line.dump();
}

std::string ExportSummaryLine(const LogState& state) {
  const json line = {{"log", state.log},
                     {"anchor_seq", state.first_seq},
                     {"anchor_prev_hash", state.first_prev_hash},
                     {"head_seq", state.head_seq},
                     {"head_hash", state.head_hash}};
  if (state.retention_token.empty()) return line.dump();
  json retained = line;
  retained["retention"] = state.retention_token;
  return retained.dump();
}

}  // namespace travio::audit
