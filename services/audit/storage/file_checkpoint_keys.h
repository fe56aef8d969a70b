#pragma once

#include <filesystem>
#include <memory>

#include "absl/status/statusor.h"
#include "services/audit/app/ports.h"

namespace travio::audit {

/// The Ed25519 ring that signs checkpoints, under `dir`/checkpoints (crypto::Ed25519KeyRing:
/// generated on first start; `travio keys rotate --service audit` adds a key, and the old ones
/// keep verifying the checkpoints they signed), and the entries' seal key, `dir`/seal.key
/// (32 random bytes, generated on first start, never rotated: every entry is checked with it).
absl::StatusOr<std::unique_ptr<CheckpointKeys>> LoadOrCreateCheckpointKeys(
    const std::filesystem::path& dir);
/// The same keys, which must exist: for commands run beside the service, which must not
/// make keys of their own (a log would look forged under them).
absl::StatusOr<std::unique_ptr<CheckpointKeys>> OpenCheckpointKeys(
    const std::filesystem::path& dir);

/// audit.keys_dir, else <data_dir>/keys/audit.
std::filesystem::path CheckpointKeysDir(const std::string& keys_dir, const std::string& data_dir);

}  // namespace travio::audit
