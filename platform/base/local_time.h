#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace travio {

/// A calendar date in some station's time zone.
struct LocalDate {
  int year = 0;
  int month = 0;
  int day = 0;
  auto operator<=>(const LocalDate&) const = default;
};

/// "2026-12-20"; nullopt-like kInvalidArgument for anything else (including 2026-02-30).
absl::StatusOr<LocalDate> ParseLocalDate(std::string_view text);
std::string FormatLocalDate(const LocalDate& date);
/// The next calendar day, and days between dates.
LocalDate NextDay(const LocalDate& date);
int DaysBetween(const LocalDate& from, const LocalDate& to);
/// 0 = Monday .. 6 = Sunday.
int Weekday(const LocalDate& date);

/// "22:30" as minutes after midnight; kInvalidArgument otherwise.
absl::StatusOr<int> ParseClockTime(std::string_view text);
std::string FormatClockTime(int minutes);

/// Whether `name` is an IANA time zone of the system's tz database ("Asia/Dhaka").
bool IsTimeZone(std::string_view name);

/// The instant at which the wall clock in `zone` reads `date` `minutes`. Wall times that do not
/// exist (skipped by a daylight-saving jump) move forward by the gap; wall times that happen
/// twice take the first. kInvalidArgument for an unknown zone.
absl::StatusOr<absl::Time> LocalToInstant(const LocalDate& date, int minutes,
                                          std::string_view zone);

/// `instant` as RFC 3339 in `zone` with its offset there: "2026-12-21T08:00:00+06:00".
std::string FormatInZone(absl::Time instant, std::string_view zone);
/// The calendar date in `zone` at `instant`.
LocalDate DateInZone(absl::Time instant, std::string_view zone);

/// Parses an RFC 3339 instant with an offset ("2026-12-20T22:30:00+06:00", "...Z"), or a local
/// date-time without one ("2026-12-20T22:30"), which is read in `zone`.
absl::StatusOr<absl::Time> ParseInstant(std::string_view text, std::string_view zone);

}  // namespace travio
