#pragma once

#include <filesystem>
#include <memory>

#include "absl/status/statusor.h"
#include "services/queue/app/ports.h"

namespace travio::queue {

/// The queue's Ed25519 signing key in `<dir>/queue-signing.key` (hex, mode 0600, the directory
/// 0700), generated on first use: private keys are made where they are used, never shipped.
/// The key id is the first 16 bytes of the public key's SHA-256, hex.
absl::StatusOr<std::unique_ptr<TokenKeys>> LoadOrCreateTokenKeys(const std::filesystem::path& dir);

}  // namespace travio::queue
