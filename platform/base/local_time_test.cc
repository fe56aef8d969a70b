#include "platform/base/local_time.h"

#include <gtest/gtest.h>

#include "platform/testing/status_matchers.h"

namespace travio {
namespace {

TEST(LocalTimeTest, ANightCoachFromDhakaArrivesNextMorning) {
  const auto departure = LocalToInstant({2026, 12, 20}, 22 * 60 + 30, "Asia/Dhaka");
  ASSERT_OK(departure);
  EXPECT_EQ(FormatInZone(*departure, "Asia/Dhaka"), "2026-12-20T22:30:00+06:00");
  EXPECT_EQ(FormatInZone(*departure, "UTC"), "2026-12-20T16:30:00+00:00");
  const absl::Time arrival = *departure + absl::Hours(9) + absl::Minutes(30);
  EXPECT_EQ(FormatInZone(arrival, "Asia/Dhaka"), "2026-12-21T08:00:00+06:00");
  EXPECT_EQ(DateInZone(arrival, "Asia/Dhaka"), (LocalDate{2026, 12, 21}));
}

TEST(LocalTimeTest, StopsAcrossABorderShowTheirOwnOffset) {
  const auto departure = LocalToInstant({2026, 12, 20}, 22 * 60 + 30, "Asia/Dhaka");
  EXPECT_EQ(FormatInZone(*departure + absl::Hours(3), "Asia/Kolkata"), "2026-12-21T01:00:00+05:30");
}

TEST(LocalTimeTest, DaylightSavingGapsAndOverlaps) {
  // 2026-03-08 02:30 does not exist in New York: read as 03:30 EDT.
  auto skipped = LocalToInstant({2026, 3, 8}, 2 * 60 + 30, "America/New_York");
  ASSERT_OK(skipped);
  EXPECT_EQ(FormatInZone(*skipped, "America/New_York"), "2026-03-08T03:30:00-04:00");
  // 2026-11-01 01:30 happens twice: the first, in EDT.
  auto doubled = LocalToInstant({2026, 11, 1}, 60 + 30, "America/New_York");
  EXPECT_EQ(FormatInZone(*doubled, "America/New_York"), "2026-11-01T01:30:00-04:00");
  // An overnight run over the autumn change lasts its real duration.
  auto night = LocalToInstant({2026, 10, 31}, 22 * 60, "America/New_York");
  EXPECT_EQ(FormatInZone(*night + absl::Hours(10), "America/New_York"),
            "2026-11-01T07:00:00-05:00");
}

TEST(LocalTimeTest, ParsesDatesTimesAndInstants) {
  EXPECT_EQ(*ParseLocalDate("2028-02-29"), (LocalDate{2028, 2, 29}));
  EXPECT_FALSE(ParseLocalDate("2026-02-29").ok());
  EXPECT_FALSE(ParseLocalDate("2026-2-3").ok());
  EXPECT_FALSE(ParseLocalDate("2026-12-20x").ok());
  EXPECT_EQ(*ParseClockTime("22:30"), 22 * 60 + 30);
  EXPECT_FALSE(ParseClockTime("24:00").ok());
  EXPECT_FALSE(ParseClockTime("7:30").ok());
  EXPECT_EQ(FormatClockTime(22 * 60 + 30), "22:30");
  const auto with_offset = ParseInstant("2026-12-20T22:30:00+06:00", "UTC");
  const auto zulu = ParseInstant("2026-12-20T16:30:00Z", "UTC");
  const auto local = ParseInstant("2026-12-20T22:30", "Asia/Dhaka");
  ASSERT_OK(with_offset);
  ASSERT_OK(zulu);
  ASSERT_OK(local);
  EXPECT_EQ(*with_offset, *zulu);
  EXPECT_EQ(*local, *zulu);
  EXPECT_EQ(*ParseInstant("2026-12-20T16:30:00.000Z", "UTC"), *zulu);  // JavaScript's toISOString
  EXPECT_EQ(*ParseInstant("2026-12-20t16:30:00.123456789z", "UTC"), *zulu);
  EXPECT_FALSE(ParseInstant("2026-12-20T16:30:00.Z", "UTC").ok());
  EXPECT_FALSE(ParseInstant("2026-12-20T16:30:00.1234567890Z", "UTC").ok());
  EXPECT_FALSE(ParseInstant("2026-12-20 22:30", "UTC").ok());
  EXPECT_FALSE(ParseInstant("2026-12-20T25:30Z", "UTC").ok());
  EXPECT_FALSE(ParseInstant("2026-12-20T22:30", "Mars/Olympus").ok());
}

TEST(LocalTimeTest, WeekdaysAndCalendarSteps) {
  EXPECT_EQ(Weekday({2026, 11, 30}), 0);  // a Monday
  EXPECT_EQ(Weekday({2026, 12, 6}), 6);   // a Sunday
  EXPECT_EQ(NextDay({2026, 12, 31}), (LocalDate{2027, 1, 1}));
  EXPECT_EQ(DaysBetween({2026, 12, 1}, {2027, 1, 1}), 31);
  EXPECT_TRUE(IsTimeZone("Asia/Dhaka"));
  EXPECT_FALSE(IsTimeZone("Asia/Dacca "));
  EXPECT_FALSE(IsTimeZone(""));
}

}  // namespace
}  // namespace travio
