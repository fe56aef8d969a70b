#include "platform/cel/conversions.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace travio::cel {
namespace {

absl::Time MinTimestamp() {
  return absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone());
}

absl::Time MaxTimestamp() {
  return absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone()) +
         absl::Nanoseconds(999999999);
}

// Zone names are looked up as files under the zoneinfo directory, so only the shapes of real
// names pass: letters, digits, '_', '-', '+' in '/'-separated parts, never "..".
bool PlausibleZoneName(absl::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  if (name.find("..") != absl::string_view::npos || name.find("//") != absl::string_view::npos) {
    return false;
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '+' &&
        c != '/') {
      return false;
    }
  }
  return true;
}

}  // namespace

bool InTimestampRange(absl::Time time) { return time >= MinTimestamp() && time <= MaxTimestamp(); }

bool InDurationRange(absl::Duration duration) {
  // One nanosecond inside int64 either way, as the reference implementation keeps it.
  return duration >= absl::Nanoseconds(std::numeric_limits<int64_t>::min() + 1) &&
         duration <= absl::Nanoseconds(std::numeric_limits<int64_t>::max());
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  // The shortest digits that round-trip, and their decimal exponent.
  char buffer[64];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, std::abs(value), std::chars_format::scientific);
  absl::string_view scientific(buffer, static_cast<size_t>(end - buffer));
  size_t e = scientific.find('e');
  std::string digits;
  for (char c : scientific.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = std::atoi(std::string(scientific.substr(e + 1)).c_str());
  std::string out = std::signbit(value) ? "-" : "";
  if (exponent < -4 || exponent >= 21) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) absl::StrAppend(&out, ".", digits.substr(1));
    absl::StrAppend(&out, "e", exponent < 0 ? "-" : "+",
                    absl::StrFormat("%02d", std::abs(exponent)));
    return out;
  }
  if (exponent < 0) {
    absl::StrAppend(&out, "0.", std::string(static_cast<size_t>(-exponent - 1), '0'), digits);
    return out;
  }
  auto whole = static_cast<size_t>(exponent + 1);
  if (digits.size() <= whole) {
    absl::StrAppend(&out, digits, std::string(whole - digits.size(), '0'));
  } else {
    absl::StrAppend(&out, digits.substr(0, whole), ".", digits.substr(whole));
  }
  return out;
}

std::string FormatTimestamp(absl::Time time) {
  return absl::FormatTime("%E4Y-%m-%dT%H:%M:%E*SZ", time, absl::UTCTimeZone());
}

std::string FormatDurationSeconds(absl::Duration duration) {
  int64_t nanos = absl::ToInt64Nanoseconds(duration);
  bool negative = nanos < 0;
  // Magnitudes in unsigned, so the most negative duration does not overflow.
  uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(nanos) : static_cast<uint64_t>(nanos);
  std::string out = negative ? "-" : "";
  absl::StrAppend(&out, magnitude / 1000000000);
  uint64_t fraction = magnitude % 1000000000;
  if (fraction != 0) {
    std::string digits = absl::StrFormat("%09d", fraction);
    while (digits.back() == '0') digits.pop_back();
    absl::StrAppend(&out, ".", digits);
  }
  out += "s";
  return out;
}

absl::StatusOr<absl::Time> ParseTimestamp(absl::string_view text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("timestamp \"", text, "\" is not RFC 3339: ", error));
  }
  if (!InTimestampRange(time)) {
    return absl::InvalidArgumentError(absl::StrCat("timestamp \"", text, "\" is out of range"));
  }
  return time;
}

absl::StatusOr<absl::Duration> ParseDuration(absl::string_view text) {
  absl::Duration duration;
  bool infinite = absl::StrContains(absl::AsciiStrToLower(text), "inf");
  if (infinite || !absl::ParseDuration(text, &duration)) {
    return absl::InvalidArgumentError(absl::StrCat("duration \"", text, "\" is not valid"));
  }
  if (!InDurationRange(duration)) {
    return absl::InvalidArgumentError(absl::StrCat("duration \"", text, "\" is out of range"));
  }
  return duration;
}

absl::StatusOr<absl::TimeZone> ParseTimeZone(absl::string_view name) {
  if (name == "UTC" || name == "Z") return absl::UTCTimeZone();
  // A fixed offset: [+-]HH:MM.
  absl::string_view offset = name;
  int sign = 1;
  if (!offset.empty() && (offset.front() == '+' || offset.front() == '-')) {
    sign = offset.front() == '-' ? -1 : 1;
    offset.remove_prefix(1);
  }
  if (offset.size() == 5 && offset[2] == ':') {
    int hours = 0;
    int minutes = 0;
    if (absl::SimpleAtoi(offset.substr(0, 2), &hours) &&
        absl::SimpleAtoi(offset.substr(3, 2), &minutes) && hours <= 23 && minutes <= 59 &&
        absl::ascii_isdigit(static_cast<unsigned char>(offset[0])) &&
        absl::ascii_isdigit(static_cast<unsigned char>(offset[3]))) {
      return absl::FixedTimeZone(sign * (hours * 3600 + minutes * 60));
    }
  }
  absl::TimeZone zone;
  if (!PlausibleZoneName(name) || !absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone \"", name, "\""));
  }
  return zone;
}

}  // namespace travio::cel
