#pragma once

#include <filesystem>
#include <memory>

#include "absl/status/statusor.h"
#include "services/audit/app/ports.h"

namespace travio::audit {

/// The Ed25519 ring that signs checkpoints, under `dir`/checkpoints (crypto::Ed25519KeyRing:
/// generated on first start; `travio keys rotate --service audit` adds a key, and the old ones
/// keep verifying the checkpoints they signed until retired).
absl::StatusOr<std::unique_ptr<CheckpointKeys>> LoadOrCreateCheckpointKeys(
    const std::filesystem::path& dir);

/// audit.keys_dir, else <data_dir>/keys/audit.
std::filesystem::path CheckpointKeysDir(const std::string& keys_dir, const std::string& data_dir);

}  // namespace travio::audit
