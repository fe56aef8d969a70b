#pragma once

// Dates, times, money and durations as a traveller reads them, in English ("en") or Bangla
// ("bn": Bengali digits, month and weekday names). Times are shown in the zone given (the
// boarding station's). Any other locale reads as English.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace travio::notification {

/// "Sunday, 20 December 2026" / "রবিবার, ২০ ডিসেম্বর ২০২৬".
std::string FormatLongDate(absl::Time time, std::string_view zone, std::string_view locale);
/// "20 Dec" / "২০ ডিসেম্বর".
std::string FormatShortDate(absl::Time time, std::string_view zone, std::string_view locale);
/// "22:30" / "২২:৩০".
std::string FormatClock(absl::Time time, std::string_view zone, std::string_view locale);
/// "20 Dec 2026, 22:30 UTC" / Bangla: the moment a link expires, in UTC.
std::string FormatUtcMoment(absl::Time time, std::string_view locale);
/// "BDT 1,200.00" / "১,২০০.০০ টাকা" (other currencies keep their code in Bangla).
std::string FormatMoney(int64_t minor_units, std::string_view currency, std::string_view locale);
/// "1 hour 30 minutes" / "১ ঘণ্টা ৩০ মিনিট".
std::string FormatMinutes(int64_t minutes, std::string_view locale);
/// Western digits of `text` as Bengali digits ("22:30" -> "২২:৩০").
std::string BengaliDigits(std::string_view text);
/// "en" or "bn": the locale a message is written in ("bn-BD" reads as "bn"; unknown as "en").
std::string SupportedLocale(std::string_view locale);

}  // namespace travio::notification
