#pragma once

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "platform/config/config.h"

namespace travio::fulfillment {

/// `travio keys list|rotate|retire <kid> --service fulfillment`: manages the keys that sign
/// ticket codes (fulfillment.keys_dir, else <data_dir>/keys/fulfillment). Rotation makes a new
/// key current; the old ones stay published (and tickets they signed keep boarding) until
/// retired, once every trip they signed for has departed. Restart fulfillment processes to sign
/// with a new key.
absl::Status RunKeysCommand(const config::Config& config, const std::string& action,
                            const std::string& kid, std::ostream& out);

}  // namespace travio::fulfillment
