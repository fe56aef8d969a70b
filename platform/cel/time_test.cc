#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/cel/cel_test_support.h"
#include "platform/cel/conversions.h"

namespace travio::cel {
namespace {

using ::testing::HasSubstr;
using testing::RunCel;

int64_t Int(const std::string& expression, const Activation& bindings = {}) {
  auto value = RunCel(expression, bindings);
  EXPECT_TRUE(value.ok()) << expression << ": " << value.status();
  return value.ok() && value->kind() == Kind::kInt ? value->int_value() : -999;
}

Value At(const std::string& rfc3339) { return Value(*ParseTimestamp(rfc3339)); }

TEST(CelTime, DayOfWeekCountsFromSundayAsZero) {
  // 2026-12-06 is a Sunday, 2026-12-11 a Friday.
  EXPECT_EQ(Int("timestamp('2026-12-06T12:00:00Z').getDayOfWeek()"), 0);
  EXPECT_EQ(Int("timestamp('2026-12-11T12:00:00Z').getDayOfWeek()"), 5);
  EXPECT_EQ(Int("timestamp('2026-12-12T12:00:00Z').getDayOfWeek()"), 6);
}

TEST(CelTime, AccessorsUseTheZoneTheyAreGiven) {
  // 20:30 UTC on Thursday is 02:30 on Friday in Dhaka (UTC+6).
  Activation bindings{{"departure", At("2026-12-10T20:30:00Z")}};
  EXPECT_EQ(Int("departure.getDayOfWeek()", bindings), 4);
  EXPECT_EQ(Int("departure.getDayOfWeek('Asia/Dhaka')", bindings), 5);
  EXPECT_EQ(Int("departure.getHours('Asia/Dhaka')", bindings), 2);
  EXPECT_EQ(Int("departure.getHours('+06:00')", bindings), 2);
  EXPECT_EQ(Int("departure.getHours('-03:30')", bindings), 17);
  EXPECT_EQ(Int("departure.getMinutes('-03:30')", bindings), 0);
  EXPECT_EQ(Int("departure.getDate('Asia/Dhaka')", bindings), 11);
  EXPECT_EQ(Int("departure.getDayOfMonth('Asia/Dhaka')", bindings), 10);
  EXPECT_EQ(Int("departure.getMonth('Asia/Dhaka')", bindings), 11);
  EXPECT_EQ(Int("departure.getFullYear('Asia/Dhaka')", bindings), 2026);
  EXPECT_EQ(Int("departure.getDayOfYear('Asia/Dhaka')", bindings), 344);
}

TEST(CelTime, AccessorsWithoutAZoneUseTheEvaluationsZone) {
  Env env;
  env.Declare("departure", Type::Timestamp());
  Compilation compiled = env.Compile("departure.getDayOfWeek() * 100 + departure.getHours()");
  ASSERT_TRUE(compiled.ok());
  Activation bindings{{"departure", At("2026-12-10T20:30:00Z")}};
  EXPECT_EQ(compiled.program->Evaluate(bindings)->int_value(), 420);  // Thursday 20:00 UTC
  EvaluationOptions dhaka;
  dhaka.time_zone = *ParseTimeZone("Asia/Dhaka");
  EXPECT_EQ(compiled.program->Evaluate(bindings, dhaka)->int_value(), 502);  // Friday 02:30
}

TEST(CelTime, DaylightSavingTimeShiftsTheLocalHour) {
  // Europe/London moves from GMT to BST at 01:00 UTC on 2026-03-29.
  EXPECT_EQ(Int("timestamp('2026-03-29T00:30:00Z').getHours('Europe/London')"), 0);
  EXPECT_EQ(Int("timestamp('2026-03-29T01:30:00Z').getHours('Europe/London')"), 2);
  // ...and back at 01:00 UTC on 2026-10-25: 01:xx local happens twice.
  EXPECT_EQ(Int("timestamp('2026-10-25T00:30:00Z').getHours('Europe/London')"), 1);
  EXPECT_EQ(Int("timestamp('2026-10-25T01:30:00Z').getHours('Europe/London')"), 1);
  // A day later in wall time is not always 24 hours later.
  EXPECT_EQ(Int("(timestamp('2026-03-29T12:00:00+01:00') - "
                "timestamp('2026-03-28T12:00:00Z')).getHours()"),
            23);
}

TEST(CelTime, RefusesUnknownZones) {
  auto value = RunCel("timestamp('2026-01-01T00:00:00Z').getHours('Mars/Olympus')");
  EXPECT_THAT(value.status().message(), HasSubstr("unknown time zone \"Mars/Olympus\""));
  value = RunCel("timestamp('2026-01-01T00:00:00Z').getHours('../../etc/passwd')");
  EXPECT_THAT(value.status().message(), HasSubstr("unknown time zone"));
}

TEST(CelTime, TimestampAndDurationArithmetic) {
  EXPECT_EQ(Int("(timestamp('2026-12-11T22:00:00+06:00') - "
                "timestamp('2026-12-11T10:00:00Z')).getMinutes()"),
            360);
  EXPECT_EQ(Int("int(timestamp('1970-01-01T00:01:00Z'))"), 60);
  EXPECT_EQ(Int("duration('1h30m').getMinutes()"), 90);
  EXPECT_EQ(Int("duration('1.5s').getMilliseconds()"), 500);
  auto later = RunCel("string(timestamp('2026-12-11T22:00:00Z') + duration('90m'))");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->string_value(), "2026-12-11T23:30:00Z");
  auto text = RunCel("string(duration('-1.25s'))");
  EXPECT_EQ(text->string_value(), "-1.25s");
  EXPECT_TRUE(RunCel("timestamp('2026-12-11T22:00:00Z') < timestamp('2026-12-12T00:00:00Z')")
                  ->bool_value());
}

TEST(CelTime, StaysWithinTheRangesOfTheSpecification) {
  EXPECT_THAT(RunCel("timestamp('9999-12-31T23:59:59Z') + duration('1s')").status().message(),
              HasSubstr("timestamp overflow"));
  EXPECT_THAT(RunCel("timestamp('0000-01-01T00:00:00Z')").status().message(),
              HasSubstr("out of range"));
  EXPECT_THAT(RunCel("duration('3000000h')").status().message(), HasSubstr("out of range"));
  EXPECT_THAT(RunCel("timestamp('yesterday')").status().message(), HasSubstr("not RFC 3339"));
  EXPECT_THAT(RunCel("duration('inf')").status().message(), HasSubstr("not valid"));
}

TEST(CelTime, FormatsAsTheReferenceImplementationDoes) {
  EXPECT_EQ(FormatDouble(123.456), "123.456");
  EXPECT_EQ(FormatDouble(1e21), "1e+21");
  EXPECT_EQ(FormatDouble(1e20), "100000000000000000000");
  EXPECT_EQ(FormatDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatDouble(0.00001), "1e-05");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("0001-01-01T00:00:00Z")), "0001-01-01T00:00:00Z");
  EXPECT_EQ(FormatDurationSeconds(absl::Milliseconds(1500)), "1.5s");
}

}  // namespace
}  // namespace travio::cel
