#include "services/notification/domain/locale_format.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "platform/base/money.h"

namespace travio::notification {
namespace {

constexpr const char* kBengaliDigits[] = {"০", "১", "২", "৩", "৪", "৫", "৬", "৭", "৮", "৯"};
constexpr const char* kEnglishMonths[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
constexpr const char* kBanglaMonths[] = {"জানুয়ারি",  "ফেব্রুয়ারি", "মার্চ",   "এপ্রিল",
                                         "মে",       "জুন",       "জুলাই",   "আগস্ট",
                                         "সেপ্টেম্বর", "অক্টোবর",   "নভেম্বর", "ডিসেম্বর"};
// Monday first, as absl::Weekday counts.
constexpr const char* kEnglishDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};
constexpr const char* kBanglaDays[] = {"সোমবার", "মঙ্গলবার", "বুধবার", "বৃহস্পতিবার",
                                       "শুক্রবার", "শনিবার",  "রবিবার"};

bool Bangla(std::string_view locale) { return SupportedLocale(locale) == "bn"; }

absl::CivilSecond Civil(absl::Time time, std::string_view zone) {
  absl::TimeZone tz = absl::UTCTimeZone();
  if (!zone.empty()) absl::LoadTimeZone(std::string(zone), &tz);
  return tz.At(time).cs;
}

std::string Digits(int64_t value, std::string_view locale) {
  const std::string text = std::to_string(value);
  return Bangla(locale) ? BengaliDigits(text) : text;
}

}  // namespace

std::string SupportedLocale(std::string_view locale) {
  if (locale.substr(0, 2) == "bn") return "bn";
  return "en";
}

std::string BengaliDigits(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      out += kBengaliDigits[c - '0'];
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatLongDate(absl::Time time, std::string_view zone, std::string_view locale) {
  const absl::CivilSecond civil = Civil(time, zone);
  const int weekday = static_cast<int>(absl::GetWeekday(civil));
  if (Bangla(locale)) {
    return absl::StrCat(kBanglaDays[weekday], ", ", Digits(civil.day(), locale), " ",
                        kBanglaMonths[civil.month() - 1], " ", Digits(civil.year(), locale));
  }
  return absl::StrCat(kEnglishDays[weekday], ", ", civil.day(), " ",
                      kEnglishMonths[civil.month() - 1], " ", civil.year());
}

std::string FormatShortDate(absl::Time time, std::string_view zone, std::string_view locale) {
  const absl::CivilSecond civil = Civil(time, zone);
  if (Bangla(locale)) {
    return absl::StrCat(Digits(civil.day(), locale), " ", kBanglaMonths[civil.month() - 1]);
  }
  return absl::StrCat(civil.day(), " ",
                      std::string(kEnglishMonths[civil.month() - 1]).substr(0, 3));
}

std::string FormatClock(absl::Time time, std::string_view zone, std::string_view locale) {
  const absl::CivilSecond civil = Civil(time, zone);
  const std::string text = absl::StrCat(civil.hour() < 10 ? "0" : "", civil.hour(), ":",
                                        civil.minute() < 10 ? "0" : "", civil.minute());
  return Bangla(locale) ? BengaliDigits(text) : text;
}

std::string FormatUtcMoment(absl::Time time, std::string_view locale) {
  return absl::StrCat(FormatShortDate(time, "UTC", locale), " ",
                      Digits(Civil(time, "UTC").year(), locale), ", ",
                      FormatClock(time, "UTC", locale), " UTC");
}

std::string FormatMoney(int64_t minor_units, std::string_view currency, std::string_view locale) {
  const std::string number = FormatAmount(minor_units);
  if (Bangla(locale)) {
    if (currency == "BDT") return absl::StrCat(BengaliDigits(number), " টাকা");
    return absl::StrCat(std::string(currency), " ", BengaliDigits(number));
  }
  return absl::StrCat(std::string(currency), " ", number);
}

std::string FormatMinutes(int64_t minutes, std::string_view locale) {
  const int64_t hours = minutes / 60;
  const int64_t rest = minutes % 60;
  std::string out;
  if (Bangla(locale)) {
    if (hours > 0) absl::StrAppend(&out, Digits(hours, locale), " ঘণ্টা");
    if (rest > 0 || hours == 0) {
      absl::StrAppend(&out, out.empty() ? "" : " ", Digits(rest, locale), " মিনিট");
    }
    return out;
  }
  if (hours > 0) absl::StrAppend(&out, hours, hours == 1 ? " hour" : " hours");
  if (rest > 0 || hours == 0) {
    absl::StrAppend(&out, out.empty() ? "" : " ", rest, rest == 1 ? " minute" : " minutes");
  }
  return out;
}

}  // namespace travio::notification
