#include "platform/base/local_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>

#include "absl/strings/str_format.h"
#include "platform/base/errors.h"

namespace travio {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

date::year_month_day ToYmd(const LocalDate& d) {
  return date::year{d.year} / date::month{static_cast<unsigned>(d.month)} /
         date::day{static_cast<unsigned>(d.day)};
}

LocalDate FromYmd(const date::year_month_day& ymd) {
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

const date::time_zone* Zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

absl::Status BadInstant() {
  return Error(reasons::kInvalidInstant,
               "Expected an RFC 3339 date-time such as 2026-12-20T22:30:00+06:00.");
}

}  // namespace

absl::StatusOr<LocalDate> ParseLocalDate(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  char tail = 0;
  const std::string copy(text);
  if (copy.size() != 10 ||
      std::sscanf(copy.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3 ||
      copy[4] != '-' || copy[7] != '-') {
    return Error(reasons::kInvalidDate, "Expected a date such as 2026-12-20.");
  }
  const LocalDate date{year, month, day};
  if (year < 2000 || year > 2200 || !ToYmd(date).ok()) {
    return Error(reasons::kInvalidDate, "No such calendar date.");
  }
  return date;
}

std::string FormatLocalDate(const LocalDate& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year, date.month, date.day);
}

LocalDate NextDay(const LocalDate& d) {
  return FromYmd(date::year_month_day{date::sys_days{ToYmd(d)} + date::days{1}});
}

int DaysBetween(const LocalDate& from, const LocalDate& to) {
  return static_cast<int>((date::sys_days{ToYmd(to)} - date::sys_days{ToYmd(from)}).count());
}

int Weekday(const LocalDate& d) {
  // date::weekday counts Sunday as 0; the API's weeks start on Monday.
  const unsigned sunday_based = date::weekday{date::sys_days{ToYmd(d)}}.c_encoding();
  return static_cast<int>((sunday_based + 6) % 7);
}

absl::StatusOr<int> ParseClockTime(std::string_view text) {
  if (text.size() != 5 || text[2] != ':' || !isdigit(text[0]) || !isdigit(text[1]) ||
      !isdigit(text[3]) || !isdigit(text[4])) {
    return Error(reasons::kInvalidTime, "Expected a time of day such as 22:30.");
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int mins = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || mins > 59) {
    return Error(reasons::kInvalidTime, "No such time of day.");
  }
  return hours * 60 + mins;
}

std::string FormatClockTime(int minutes_after_midnight) {
  return absl::StrFormat("%02d:%02d", minutes_after_midnight / 60, minutes_after_midnight % 60);
}

bool IsTimeZone(std::string_view name) {
  return !name.empty() && name.size() <= 64 && Zone(name) != nullptr;
}

absl::StatusOr<absl::Time> LocalToInstant(const LocalDate& day, int minutes_after_midnight,
                                          std::string_view zone_name) {
  const date::time_zone* zone = Zone(zone_name);
  if (zone == nullptr) {
    return Error(reasons::kInvalidTimezone, "Unknown IANA time zone.");
  }
  const date::local_seconds wall = date::local_days{ToYmd(day)} + minutes{minutes_after_midnight};
  const date::local_info info = zone->get_info(wall);
  date::sys_seconds instant;
  switch (info.result) {
    case date::local_info::unique:
      instant = date::sys_seconds{wall.time_since_epoch()} - info.first.offset;
      break;
    case date::local_info::ambiguous:
      instant = date::sys_seconds{wall.time_since_epoch()} - info.first.offset;  // the first
      break;
    case date::local_info::nonexistent:
      // Read with the offset before the jump, which lands after it by the size of the gap.
      instant = date::sys_seconds{wall.time_since_epoch()} - info.first.offset;
      break;
  }
  return absl::FromUnixSeconds(instant.time_since_epoch().count());
}

std::string FormatInZone(absl::Time instant, std::string_view zone_name) {
  const date::time_zone* zone = Zone(zone_name);
  const date::sys_seconds sys{seconds{absl::ToUnixSeconds(instant)}};
  if (zone == nullptr) return date::format("%FT%TZ", sys);
  const date::sys_info info = zone->get_info(sys);
  const date::local_seconds local{sys.time_since_epoch() + info.offset};
  const auto offset_minutes = std::chrono::duration_cast<minutes>(info.offset).count();
  const char sign = offset_minutes < 0 ? '-' : '+';
  const long magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return absl::StrFormat("%s%c%02d:%02d", date::format("%FT%T", local), sign, magnitude / 60,
                         magnitude % 60);
}

LocalDate DateInZone(absl::Time instant, std::string_view zone_name) {
  const date::time_zone* zone = Zone(zone_name);
  const date::sys_seconds sys{seconds{absl::ToUnixSeconds(instant)}};
  const seconds offset = zone == nullptr ? seconds{0} : zone->get_info(sys).offset;
  return FromYmd(date::year_month_day{
      date::floor<date::days>(date::sys_seconds{sys.time_since_epoch() + offset})});
}

absl::StatusOr<absl::Time> ParseInstant(std::string_view text, std::string_view zone) {
  // YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|+HH:MM|-HH:MM] (RFC 3339 allows t and z too), read by
  // hand (std::regex trips GCC 12's maybe-uninitialized warnings). Fractions are dropped.
  auto two_digits = [&](size_t at, int& into) {
    if (at + 2 > text.size() || !isdigit(text[at]) || !isdigit(text[at + 1])) return false;
    into = (text[at] - '0') * 10 + (text[at + 1] - '0');
    return true;
  };
  if (text.size() < 16 || text.size() > 35 || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':') {
    return BadInstant();
  }
  auto day = ParseLocalDate(text.substr(0, 10));
  int hours = 0;
  int mins = 0;
  int secs = 0;
  if (!day.ok() || !two_digits(11, hours) || !two_digits(14, mins)) return BadInstant();
  size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    if (!two_digits(at + 1, secs)) return BadInstant();
    at += 3;
    if (at < text.size() && text[at] == '.') {
      const size_t digits_start = ++at;
      while (at < text.size() && isdigit(static_cast<unsigned char>(text[at]))) ++at;
      if (at == digits_start || at - digits_start > 9) return BadInstant();
    }
  }
  if (hours > 23 || mins > 59 || secs > 59) return BadInstant();
  if (at == text.size()) {
    auto instant = LocalToInstant(*day, hours * 60 + mins, zone);
    if (!instant.ok()) return instant;
    return *instant + absl::Seconds(secs);
  }
  int offset_minutes = 0;
  if ((text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    offset_minutes = 0;
  } else if ((text[at] == '+' || text[at] == '-') && at + 6 == text.size() && text[at + 3] == ':') {
    int offset_hours = 0;
    int offset_mins = 0;
    if (!two_digits(at + 1, offset_hours) || !two_digits(at + 4, offset_mins) ||
        offset_hours > 23 || offset_mins > 59) {
      return BadInstant();
    }
    offset_minutes = (offset_hours * 60 + offset_mins) * (text[at] == '-' ? -1 : 1);
  } else {
    return BadInstant();
  }
  const date::sys_days days{ToYmd(*day)};
  const int64_t utc_seconds = int64_t{days.time_since_epoch().count()} * 86400 + hours * 3600 +
                              mins * 60 + secs - offset_minutes * 60;
  return absl::FromUnixSeconds(utc_seconds);
}

}  // namespace travio
