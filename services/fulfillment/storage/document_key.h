#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace travio::fulfillment {

/// Keys of stored documents are relative paths of letters, digits, '.', '_', '-' and '/', with
/// no empty, "." or ".." segment: the same key names the same thing in a directory and in a
/// bucket, and none can reach outside either. kInvalidArgument otherwise.
absl::Status CheckDocumentKey(std::string_view key);

}  // namespace travio::fulfillment
