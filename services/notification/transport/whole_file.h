#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "platform/base/reasons.h"

namespace travio::notification {

/// Writes `data` as `directory`/`name` (mode 0600; the directory made 0700 when missing) so that
/// readers only ever see whole files: a hidden temporary file, flushed, renamed, the directory
/// flushed. Failures carry `failure` as their reason (kUnavailable: the write may be retried).
absl::Status WriteWholeFile(const std::filesystem::path& directory, const std::string& name,
                            std::string_view data, const Reason& failure);

}  // namespace travio::notification
