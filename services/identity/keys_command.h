#pragma once

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "platform/config/config.h"

namespace travio::identity {

/// `travio keys list|rotate|retire <kid>`: manages the access-token signing keys in the
/// configured key directory (identity.keys_dir, else <data_dir>/keys). Rotation makes a new key
/// current and keeps the old ones published; restart identity processes to pick it up, and
/// retire an old key once the longest access token it signed has expired. Each newly seen key
/// is written as an audit event when identity starts.
absl::Status RunKeysCommand(const config::Config& config, const std::string& action,
                            const std::string& kid, std::ostream& out);

}  // namespace travio::identity
