#pragma once

#include <filesystem>
#include <memory>

#include "absl/status/statusor.h"
#include "services/fulfillment/app/ports.h"

namespace travio::fulfillment {

/// Fulfillment's keys under `dir` (mode 0700, files 0600), generated on first start:
///   tickets/   the Ed25519 ring of ticket codes (crypto::Ed25519KeyRing: `travio keys rotate
///              --service fulfillment` adds a key; the old ones keep verifying until retired)
///   links.key  hex of the 32-byte secret that signs PDF links
absl::StatusOr<std::unique_ptr<TicketKeys>> LoadOrCreateTicketKeys(
    const std::filesystem::path& dir);

}  // namespace travio::fulfillment
