#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace travio::cel {

/// The range CEL gives timestamps (0001-01-01 to 9999-12-31T23:59:59.999999999Z) and durations
/// (an int64 of nanoseconds, about 292 years either way).
bool InTimestampRange(absl::Time time);
bool InDurationRange(absl::Duration duration);

/// `string(double)`: the shortest text that reads back as the same double, in the form Go's
/// `strconv.FormatFloat(d, 'g', -1, 64)` writes (the reference implementation's).
std::string FormatDouble(double value);
/// `string(timestamp)`: RFC 3339 in UTC, with as many fraction digits as needed.
std::string FormatTimestamp(absl::Time time);
/// `string(duration)`: seconds with as many fraction digits as needed, "1.5s".
std::string FormatDurationSeconds(absl::Duration duration);

/// `timestamp(string)`: RFC 3339 with any offset, within the timestamp range.
absl::StatusOr<absl::Time> ParseTimestamp(absl::string_view text);
/// `duration(string)`: a signed sequence of decimal numbers with units h, m, s, ms, us, ns
/// ("1h30m", "-1.5s", "0"), within the duration range.
absl::StatusOr<absl::Duration> ParseDuration(absl::string_view text);
/// A time-zone argument of the timestamp accessors: an IANA name ("Asia/Dhaka"), "UTC", or a
/// fixed offset ("+06:00", "-03:30").
absl::StatusOr<absl::TimeZone> ParseTimeZone(absl::string_view name);

}  // namespace travio::cel
