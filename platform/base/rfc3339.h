#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace travio {

/// `time` in UTC as RFC 3339 with milliseconds: "2026-12-20T16:30:00.000Z". The one form of
/// instants in API documents and event payloads (times in a station's own zone are written by
/// FormatInZone, platform/base/local_time.h).
std::string FormatRfc3339(absl::Time time);

/// Any RFC 3339 instant ("...Z", "...+06:00", with or without fractions of a second);
/// kInvalidArgument otherwise.
absl::StatusOr<absl::Time> ParseRfc3339(std::string_view text);

}  // namespace travio
